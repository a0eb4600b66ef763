/**
 * A stand-in for a hosted OpenAI-compatible API, for the tests of the `openai` provider: it checks every
 * request the way the real service would (bearer key, known model, multipart fields, JSON schema format)
 * and answers in the real service's shapes. Base-URL prefixes rehearse outages:
 * `/slow/v1/…` answers after 3 s, `/fail/<status>/v1/…` answers that status (429 with Retry-After: 2).
 * `GET /_requests` lists what was received, so tests can assert on the requests themselves.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

import { FAKE_ASR_MODEL, FAKE_CHAT_MODEL, FAKE_KEY } from "./types";

type Received = { path: string; authorization: string; contentType: string; fields: Record<string, string>; verdict: string };

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};
const problem = (message: string) => ({ error: { message, type: "invalid_request_error", param: null, code: null } });

async function transcription(req: IncomingMessage, record: Received): Promise<[number, unknown]> {
  const form = await new Response(Readable.toWeb(req) as ReadableStream, { headers: { "content-type": record.contentType } }).formData();
  const file = form.get("file");
  for (const [k, v] of form.entries()) record.fields[k] = typeof v === "string" ? v : `file ${v.name} ${v.type} ${v.size} bytes`;
  if (!(file instanceof File) || file.size === 0 || !file.name) return [400, problem("'file' is required and must be a named, non-empty file")];
  if (form.get("model") !== FAKE_ASR_MODEL) return [404, problem(`The model '${String(form.get("model"))}' does not exist`)];
  if (form.get("response_format") !== "verbose_json") return [400, problem("this test expects response_format verbose_json")];
  return [200, {
    task: "transcribe",
    language: "english",
    duration: 4.25,
    text: " Hello from the hosted model.",
    segments: [
      { id: 0, seek: 0, start: 0, end: 1.5, text: " Hello", tokens: [1], temperature: 0, avg_logprob: -0.2, compression_ratio: 1, no_speech_prob: 0 },
      { id: 1, seek: 0, start: 1.5, end: 4.25, text: " from the hosted model.", tokens: [2], temperature: 0, avg_logprob: -0.2, compression_ratio: 1, no_speech_prob: 0 },
    ],
    usage: { type: "duration", seconds: 5 },
  }];
}

async function chat(req: IncomingMessage, record: Received): Promise<[number, unknown]> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "null");
  record.fields.body = JSON.stringify(body);
  if (!record.contentType.startsWith("application/json")) return [400, problem("expected application/json")];
  const b = body as { model?: unknown; messages?: unknown; response_format?: { type?: unknown; json_schema?: { name?: unknown; schema?: unknown } } } | null;
  if (b?.model !== FAKE_CHAT_MODEL) return [404, problem(`The model '${String(b?.model)}' does not exist`)];
  if (!Array.isArray(b.messages) || b.messages.length === 0) return [400, problem("'messages' must be a non-empty array")];
  const format = b.response_format;
  if (format?.type !== "json_schema" || typeof format.json_schema?.name !== "string" || typeof format.json_schema.schema !== "object") {
    return [400, problem("response_format must be a json_schema with a name and a schema")];
  }
  return [200, {
    id: "chatcmpl-fake", object: "chat.completion", created: 0, model: FAKE_CHAT_MODEL,
    choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: JSON.stringify({ answer: "ok" }) } }],
    usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
  }];
}

export async function startFakeOpenAi(): Promise<{ port: number; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    if (url.pathname === "/_requests") return send(res, 200, received);
    const fault = /^\/(?:slow|fail\/(\d{3}))(?=\/)/.exec(url.pathname);
    const path = fault ? url.pathname.slice(fault[0].length) : url.pathname;
    const record: Received = { path, authorization: req.headers.authorization ?? "", contentType: req.headers["content-type"] ?? "", fields: {}, verdict: "" };
    received.push(record);
    if (fault?.[1]) {
      req.resume();
      record.verdict = `fault ${fault[1]}`;
      return send(res, Number(fault[1]), problem("simulated outage"), fault[1] === "429" ? { "retry-after": "2" } : {});
    }
    if (fault) await new Promise((r) => setTimeout(r, 3_000));
    if (record.authorization !== `Bearer ${FAKE_KEY}`) {
      req.resume();
      record.verdict = "401";
      return send(res, 401, problem("Incorrect API key provided"));
    }
    const handler = req.method === "POST" && path === "/v1/audio/transcriptions" ? transcription : req.method === "POST" && path === "/v1/chat/completions" ? chat : undefined;
    if (!handler) {
      req.resume();
      record.verdict = "404";
      return send(res, 404, problem(`Unknown route ${req.method} ${path}`));
    }
    try {
      const [status, body] = await handler(req, record);
      record.verdict = String(status);
      send(res, status, body);
    } catch (err) {
      record.verdict = "400";
      send(res, 400, problem(`unreadable request: ${String(err)}`));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
