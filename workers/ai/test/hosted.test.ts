import { Logger } from "@statex/shared/logger";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { availableFixtures, FAKE_ASR_MODEL, FAKE_CHAT_MODEL, FAKE_KEY } from "../../../shared/test/ai-fixtures/types";
import { runChain } from "../src/providers/chain";
import { createOpenAiProvider, openaiProvider } from "../src/providers/openai";
import { type OpenAiSettings, openAiChat, settingsFromEnv } from "../src/providers/openai/client";
import { taskFor } from "./helpers";

const log = new Logger({}, "ai");
const fixtures = availableFixtures(inject("aiFixtures"));
const fake = `http://127.0.0.1:${inject("fakeOpenAiPort")}`;

/** The provider as production configures it, but pointed at the fake hosted API (prefix: an outage rehearsal). */
const hosted = (prefix = "", overrides: Partial<OpenAiSettings> = {}) =>
  createOpenAiProvider((e) => ({ ...settingsFromEnv(e), baseUrl: `${fake}${prefix}/v1`, apiKey: FAKE_KEY, asrModel: FAKE_ASR_MODEL, timeoutMs: 1_000, ...overrides }));

type Received = { path: string; authorization: string; contentType: string; fields: Record<string, string>; verdict: string };
const received = async () => (await (await fetch(`${fake}/_requests`)).json<Received[]>());

function clip() {
  const first = fixtures.speech[0];
  if (!first) throw new Error("no speech fixtures");
  return first;
}

describe("openai provider against a hosted API (a fake that checks our requests)", () => {
  it("sends the file, model and verbose_json with the bearer key, and maps the answer to the asr schema", async () => {
    const task = await taskFor("asr", clip());
    const report = await runChain([hosted()], task, env, log);
    expect(report).toMatchObject({
      ok: true,
      output: { text: "Hello from the hosted model.", language: "en", durationSec: 4.25, segments: [{ start: 0, end: 1.5, text: "Hello" }, { start: 1.5, end: 4.25, text: "from the hosted model." }] },
      provenance: { provider: "openai", model: FAKE_ASR_MODEL, usage: { audioSeconds: 5 } },
    });
    const request = (await received()).find((r) => r.fields.file?.includes(clip().name));
    expect(request).toMatchObject({ path: "/v1/audio/transcriptions", authorization: `Bearer ${FAKE_KEY}`, verdict: "200" });
    expect(request?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(request?.fields).toMatchObject({ model: FAKE_ASR_MODEL, response_format: "verbose_json" });
    expect(request?.fields.file).toMatch(new RegExp(`^file ${clip().name} ${clip().mime} \\d+ bytes$`));
  });

  it("falls through a hosted API that is down to the next provider, and says which answered", { timeout: 200_000 }, async () => {
    const task = await taskFor("asr", clip());
    const report = await runChain([hosted("/fail/503"), openaiProvider], task, env, log);
    expect(report).toMatchObject({ ok: true, provenance: { provider: "openai", model: "pocketsphinx-en-us" } });
  });

  it("treats a refused key as a passing fault (configuration can be fixed), naming the API's reason", async () => {
    const report = await runChain([hosted("", { apiKey: "wrong" })], await taskFor("asr", clip()), env, log);
    expect(report).toMatchObject({ ok: false, errorClass: "retryable" });
    if (report.ok) throw new Error("expected failure");
    expect(report.error).toMatch(/HTTP 401 Incorrect API key provided$/);
  });

  it("passes a rate limit on with its Retry-After, and a timeout as a passing fault", async () => {
    const task = await taskFor("asr", clip());
    expect(await runChain([hosted("/fail/429")], task, env, log)).toMatchObject({ ok: false, errorClass: "rate-limited", retryAfterMs: 2_000 });
    const slow = await runChain([hosted("/slow")], task, env, log);
    expect(slow).toMatchObject({ ok: false, errorClass: "retryable" });
    if (slow.ok) throw new Error("expected failure");
    expect(slow.error).toMatch(/no answer within 1000 ms/);
  });

  it("refuses a file the API rejects as invalid input, without trying further providers", async () => {
    const report = await runChain([hosted("/fail/400"), hosted()], await taskFor("asr", clip()), env, log);
    expect(report).toMatchObject({ ok: false, errorClass: "invalid-input" });
  });

  it("asks chat completions for JSON-schema output and counts the tokens", async () => {
    const settings = { ...settingsFromEnv(env), baseUrl: `${fake}/v1`, apiKey: FAKE_KEY, chatModel: FAKE_CHAT_MODEL };
    const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false };
    const result = await openAiChat(settings).complete({ messages: [{ role: "user", content: "Say ok." }], schema: { name: "reply", schema }, maxTokens: 100 });
    expect(JSON.parse(result.content)).toEqual({ answer: "ok" });
    expect(result).toMatchObject({ usage: { inputTokens: 42, outputTokens: 7 }, truncated: false });
    const sent = (await received()).filter((r) => r.path === "/v1/chat/completions").at(-1);
    expect(sent).toMatchObject({ authorization: `Bearer ${FAKE_KEY}`, verdict: "200" });
    expect(JSON.parse(sent?.fields.body ?? "{}")).toEqual({
      model: FAKE_CHAT_MODEL,
      messages: [{ role: "user", content: "Say ok." }],
      response_format: { type: "json_schema", json_schema: { name: "reply", schema, strict: true } },
      max_tokens: 100,
    });
  });
});
