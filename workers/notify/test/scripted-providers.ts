/**
 * vitest globalSetup: a local HTTP server that answers as the email API, the Telegram Bot API and the WhatsApp Cloud
 * API do, in their formats, with what each test scripts: a 429 with Retry-After, a permanent refusal, a failure,
 * then success. The local stand-ins (local/) answer for real but take their faults from one switch per channel,
 * which tests running side by side would share; here each test has its own scripts and its own record of calls,
 * under a key at the start of the path (`/<key>/telegram/bot<token>/sendMessage`).
 *
 *   POST /<key>/__script   {answers: [{status, body?, headers?}]}: the next calls under <key> get these, in order
 *   GET  /<key>/__calls    every call under <key>: method, path, headers, JSON body
 *   *    /<key>/…          the next scripted answer, else the provider's success answer for that path
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    scriptedProvidersPort: number;
  }
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };
type Call = { method: string; path: string; headers: Record<string, string>; body: unknown };

export const scriptedProvidersSetup = import.meta.filename;

async function read(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

let counter = 0;

/** The provider's answer to a send that worked, by path. */
function success(path: string, body: unknown): Answer {
  const input = (body ?? {}) as Record<string, unknown>;
  if (/^\/telegram\/bot[^/]+\/sendMessage$/.test(path)) {
    return { status: 200, body: { ok: true, result: { message_id: ++counter, chat: { id: Number(input.chat_id), type: "private" }, date: Math.floor(Date.now() / 1000), text: String(input.text ?? "") } } };
  }
  if (/^\/whatsapp\/v\d+\.\d+\/[^/]+\/messages$/.test(path)) {
    return { status: 200, body: { messaging_product: "whatsapp", contacts: [{ input: String(input.to), wa_id: String(input.to) }], messages: [{ id: `wamid.${randomUUID()}` }] } };
  }
  if (path === "/email/emails") return { status: 200, body: { id: randomUUID() } };
  return { status: 404, body: { message: `no provider at ${path}` } };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const scripts = new Map<string, Answer[]>();
  const calls = new Map<string, Call[]>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const [, key = "", ...rest] = url.pathname.split("/");
      const path = `/${rest.join("/")}`;
      const body = await read(req);
      const reply = (a: Answer) => {
        res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
        res.end(a.body === undefined ? "" : JSON.stringify(a.body));
      };
      if (path === "/__script" && req.method === "POST") {
        scripts.set(key, [...(scripts.get(key) ?? []), ...((body as { answers: Answer[] }).answers ?? [])]);
        return reply({ status: 200, body: { ok: true } });
      }
      if (path === "/__calls") return reply({ status: 200, body: { calls: calls.get(key) ?? [] } });
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      calls.set(key, [...(calls.get(key) ?? []), { method: req.method ?? "GET", path, headers, body }]);
      const next = scripts.get(key)?.shift();
      reply(next ?? success(path, body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  project.provide("scriptedProvidersPort", typeof address === "object" && address ? address.port : 0);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
