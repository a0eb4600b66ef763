// A tiny router for the local services: each service module registers its routes
// here, so Telegram, WhatsApp or speech-to-text can be added as one more module
// without touching the others. No dependencies: this runs with plain Node.

/**
 * @typedef {{ req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse,
 *   url: URL, params: Record<string, string>, body: (() => Promise<unknown>) & { text: () => Promise<string> } }} RouteContext
 * @typedef {(ctx: RouteContext) => unknown | Promise<unknown>} RouteHandler
 */

/** Bodies above this are refused: the real providers cap requests far lower. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** An error that becomes a JSON answer with this status and body. */
export class HttpError extends Error {
  /** @param {number} status @param {Record<string, unknown>} body @param {Record<string, string>} [headers] */
  constructor(status, body, headers = {}) {
    super(String(body.message ?? status));
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** Pattern `/telegram/bot:token/sendMessage` → a RegExp with named groups (a `:name` runs to the next `/`). */
function compile(pattern) {
  const source = pattern
    .split(/(:[A-Za-z_]+)/)
    .map((part) => (part.startsWith(":") ? `(?<${part.slice(1)}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}/?$`);
}

export function createRouter() {
  /** @type {{ method: string, regex: RegExp, handler: RouteHandler }[]} */
  const routes = [];
  return {
    /** @param {string} method @param {string} pattern @param {RouteHandler} handler */
    on(method, pattern, handler) {
      routes.push({ method, regex: compile(pattern), handler });
    },
    /** The handler for a request, or why there is none (404 unknown path, 405 known path with another method). */
    match(method, pathname) {
      let pathKnown = false;
      for (const route of routes) {
        const m = route.regex.exec(pathname);
        if (!m) continue;
        pathKnown = true;
        if (route.method === method) return { handler: route.handler, params: { ...m.groups } };
      }
      return { status: pathKnown ? 405 : 404 };
    },
  };
}

/**
 * Reads a request body once. Calling it gives the body as JSON (malformed JSON is the caller's fault, as with the
 * real APIs); `.text()` gives the raw text, for APIs that also take forms (Telegram's).
 */
export function bodyReader(req) {
  let cached;
  const text = () => {
    cached ??= (async () => {
      const chunks = [];
      let size = 0;
      for await (const chunk of req) {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) throw new HttpError(413, { message: "Request body too large" });
        chunks.push(chunk);
      }
      return Buffer.concat(chunks).toString("utf8");
    })();
    return cached;
  };
  const json = async () => {
    const raw = await text();
    if (!raw) return undefined;
    try {
      return JSON.parse(raw);
    } catch {
      throw new HttpError(400, { message: "The request body is not valid JSON" });
    }
  };
  return Object.assign(json, { text });
}

/** Writes a JSON answer (with any extra headers, such as a 429's Retry-After). */
export function sendJson(res, status, value, headers = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(value));
}

/** Writes an HTML answer. */
export function sendHtml(res, status, html) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(html);
}
