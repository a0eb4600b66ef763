// A stand-in for the platform's webhook routes in the local services' tests: a tiny HTTP server that keeps every
// request it gets (method, path, headers, raw body), answers WhatsApp's verification handshake like the notify worker
// would, and answers each path's POSTs with the statuses a test lines up (then 200).
import { createServer } from "node:http";

/**
 * @param {{ verifyToken: string }} options the token the handshake must carry
 * @returns {Promise<{ url: string, requests: { method: string, path: string, query: URLSearchParams, headers: import("node:http").IncomingHttpHeaders, body: string }[],
 *   failNext: (path: string, ...statuses: number[]) => void, handshake: { answer: "challenge" | "wrong" | number }, close: () => Promise<void> }>}
 */
export async function startReceiver({ verifyToken }) {
  const requests = [];
  /** @type {Map<string, number[]>} */
  const planned = new Map();
  const handshake = { answer: "challenge" };
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const url = new URL(req.url ?? "/", "http://receiver");
    requests.push({ method: req.method ?? "", path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    if (req.method === "GET" && url.searchParams.get("hub.mode") === "subscribe") {
      const ok = url.searchParams.get("hub.verify_token") === verifyToken && handshake.answer === "challenge";
      if (typeof handshake.answer === "number") res.writeHead(handshake.answer).end();
      else res.writeHead(ok ? 200 : 403, { "content-type": "text/plain" }).end(ok ? url.searchParams.get("hub.challenge") : "wrong token");
      return;
    }
    const status = planned.get(url.pathname)?.shift() ?? 200;
    res.writeHead(status, { "content-type": "application/json" }).end(status < 300 ? "{}" : '{"error":"planned failure"}');
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handshake,
    failNext(path, ...statuses) {
      planned.set(path, [...(planned.get(path) ?? []), ...statuses]);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}
