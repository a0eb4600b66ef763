/**
 * vitest globalSetup: a stand-in for the part of Cloudflare's API the content worker calls, purge by cache tag
 * (POST /client/v4/zones/<zone>/purge_cache {tags}), checked as Cloudflare checks it and answered in its envelope.
 * Each test uses a zone id of its own, so tests running side by side keep their own record and script:
 *
 *   POST /__script/<zone>  {answers: [{status, body?}]}: the next purges of <zone> get these, in order
 *   GET  /__calls/<zone>   every purge of <zone>: its authorization header and JSON body
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    cloudflareApiPort: number;
  }
}

type Answer = { status: number; body?: unknown };
type Call = { authorization: string; body: unknown };

export const cloudflareApiSetup = import.meta.filename;

/** Cloudflare's answer envelope. */
const envelope = (success: boolean, errors: { code: number; message: string }[] = [], result: unknown = null) => ({ success, errors, messages: [], result });

async function read(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return undefined;
  }
}

/** What Cloudflare answers a purge it accepts, or why it refuses one (a token, and 1 to 100 tags of printable ASCII). */
function purgeAnswer(authorization: string, body: unknown): Answer {
  if (!/^Bearer \S+$/.test(authorization)) return { status: 400, body: envelope(false, [{ code: 6003, message: "Invalid request headers" }]) };
  const tags = (body as { tags?: unknown } | undefined)?.tags;
  if (!Array.isArray(tags) || tags.length < 1 || tags.length > 100 || tags.some((t) => typeof t !== "string" || !/^[\x21-\x7e]{1,1024}$/.test(t) || t.includes(","))) {
    return { status: 400, body: envelope(false, [{ code: 1012, message: "Request must contain one of 'purge_everything', 'files', 'tags', 'hosts' or 'prefixes'" }]) };
  }
  return { status: 200, body: envelope(true, [], { id: "purge-standin" }) };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const scripts = new Map<string, Answer[]>();
  const calls = new Map<string, Call[]>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const body = await read(req);
      const reply = (a: Answer) => {
        res.writeHead(a.status, { "content-type": "application/json" });
        res.end(JSON.stringify(a.body ?? envelope(a.status < 400)));
      };
      const script = /^\/__script\/([^/]+)$/.exec(url.pathname);
      if (script?.[1] && req.method === "POST") {
        scripts.set(script[1], [...(scripts.get(script[1]) ?? []), ...((body as { answers?: Answer[] }).answers ?? [])]);
        return reply({ status: 200 });
      }
      const record = /^\/__calls\/([^/]+)$/.exec(url.pathname);
      if (record?.[1]) return reply({ status: 200, body: { calls: calls.get(record[1]) ?? [] } });
      const purge = /^\/client\/v4\/zones\/([^/]+)\/purge_cache$/.exec(url.pathname);
      if (!purge?.[1] || req.method !== "POST") return reply({ status: 404, body: envelope(false, [{ code: 7000, message: "No route for that URI" }]) });
      const authorization = String(req.headers.authorization ?? "");
      calls.set(purge[1], [...(calls.get(purge[1]) ?? []), { authorization, body }]);
      reply(scripts.get(purge[1])?.shift() ?? purgeAnswer(authorization, body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  project.provide("cloudflareApiPort", typeof address === "object" && address ? address.port : 0);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
