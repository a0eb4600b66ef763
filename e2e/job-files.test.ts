// A request's AI job over files, on the real platform: a recording and documents go through asr and docai
// (the model server's pocketsphinx, the ai worker's PDF and DOCX readers), their text feeds nlp, nlp the draft.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCX_MARKDOWN, writeDocx } from "../shared/test/ai-fixtures/docx";
import { writePdf } from "../shared/test/ai-fixtures/pdf";
import { wavClip } from "../shared/test/ai-fixtures/speech";
import { type DeadLetter, type Submitted, deadLetterOf, eventually, form, opsHeaders, redrive, siteUrl } from "./helpers";

type Step = { id: string; kind: string; fileName?: string; state: string; attempt: number; error?: string };
type View = {
  status: string;
  steps: Step[];
  result: {
    summary: string;
    keywords: { phrase: string }[];
    entities: { places: string[]; money: string[] };
    prototype: { markdown: string; template: { slug: string } };
    tasks: { id: string; kind: string; state: string; resultKey: string | null; error?: string }[];
    partial: boolean;
  } | null;
};
type Stored<T> = { taskId: string; kind: string; output: T; provenance: { provider: string } };
type Transcript = { text: string; language: string; durationSec: number };
type DocText = { text: string; markdown: string; pages: number; method: string };

const SPOKEN = "Please build a dashboard that shows our monthly sales and customer data.";
/** The PDF's lines: a title and body text, one line naming a place and one an amount the analysis should find. */
const PDF_LINES = ["Clinic Booking Brief", "We run a dental clinic in Leeds with three chairs.", "Patients book appointments online, day or night.", "The budget is about 12,000 EUR."];
const text = "Our dental clinic needs online booking and a sales dashboard. The brief, our plan and a voice note are attached.";
const contact = { name: "Mira Holm", email: "mira@clinic.example", channel: "api" };

let dir = "";
const bytes = (b: Uint8Array) => new Uint8Array(b);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "statex-e2e-jobs-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pdf(): Uint8Array<ArrayBuffer> {
  const [title = "", ...body] = PDF_LINES;
  return bytes(writePdf([[{ text: title, size: 24 }, ...body.map((line) => ({ text: line, size: 11 }))]], { title: "Clinic booking brief", author: "Mira Holm", created: new Date("2026-01-05T09:00:00Z") }));
}

function recording(name: string): { name: string; bytes: Uint8Array<ArrayBuffer> } {
  const clip = wavClip(dir, "voice-note", "rms", SPOKEN);
  return { name, bytes: bytes(Buffer.from(clip.base64, "base64")) };
}

async function submitFiles(files: { name: string; bytes: Uint8Array<ArrayBuffer> }[]): Promise<Submitted> {
  const res = await fetch(`${siteUrl()}/api/requests`, { method: "POST", body: form({ ...contact, text }, files) });
  if (res.status !== 202) throw new Error(`submit answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Submitted;
}

function finished(submitted: Submitted, timeoutMs: number): Promise<View> {
  return eventually(
    "the job to finish",
    async () => {
      const view = (await (await fetch(`${siteUrl()}${submitted.statusUrl}`)).json()) as View;
      if (view.status === "failed" || view.status === "cancelled") throw new Error(`the job ended ${view.status}: ${JSON.stringify(view.steps)}`);
      return view.status === "completed" ? view : undefined;
    },
    timeoutMs,
  );
}

/** A task's whole output as ops read it (the status URL shows the analysis, not every transcript and document). */
async function stored<T>(requestId: string, taskId: string): Promise<Stored<T>> {
  const res = await fetch(`${siteUrl()}/api/ops/jobs/${requestId}/tasks/${encodeURIComponent(taskId)}/result`, { headers: await opsHeaders() });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Stored<T>;
}

/** Lower case words, so a transcript's casing and punctuation do not matter. */
const words = (s: string) => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];

describe("a request with two documents and a recording", () => {
  it("completes with every result: the transcript, each document's text, the analysis over all of them, and the draft", async () => {
    const submitted = await submitFiles([
      { name: "brief.pdf", bytes: pdf() },
      { name: "plan.docx", bytes: bytes(writeDocx()) },
      recording("voice-note.wav"),
    ]);
    const view = await finished(submitted, 45_000);

    expect(view.steps.map((s) => `${s.kind}:${s.state}`).sort()).toEqual(["asr:succeeded", "docai:succeeded", "docai:succeeded", "nlp:succeeded", "prototype:succeeded"]);
    // A file's step names its file, so the client can tell them apart; the others name none.
    expect(view.steps.map((s) => `${s.kind}:${s.fileName ?? "-"}`).sort()).toEqual(["asr:voice-note.wav", "docai:brief.pdf", "docai:plan.docx", "nlp:-", "prototype:-"]);
    expect(view.result?.partial).toBe(false);
    expect(view.result?.tasks.every((t) => t.state === "succeeded" && t.resultKey?.startsWith(`results/${submitted.id}/`))).toBe(true);

    // The recording's words, as pocketsphinx heard them (flite's rms voice; the words it gets right every time).
    const asr = view.steps.find((s) => s.kind === "asr");
    const transcript = await stored<Transcript>(submitted.id, asr?.id ?? "asr");
    expect(transcript).toMatchObject({ kind: "asr", output: { language: "en" }, provenance: { provider: "openai" } });
    expect(words(transcript.output.text)).toEqual(expect.arrayContaining(["build", "dashboard", "monthly", "sales", "customer", "data"]));
    expect(transcript.output.durationSec).toBeGreaterThan(3);

    // Each document's own text: every line of the PDF, and the DOCX's structure exactly.
    const docs = await Promise.all(view.steps.filter((s) => s.kind === "docai").map((s) => stored<DocText>(submitted.id, s.id)));
    const fromPdf = docs.find((d) => d.output.method === "pdf-text");
    const fromDocx = docs.find((d) => d.output.method === "docx");
    for (const line of PDF_LINES) expect(fromPdf?.output.text).toContain(line);
    expect(fromPdf?.output.pages).toBe(1);
    expect(fromDocx?.output.markdown).toBe(DOCX_MARKDOWN);

    // nlp read the typed text and all three: the analysis names what only the PDF (Leeds, 12,000 EUR),
    // only the DOCX (3,000 and 9,000 EUR) and only the recording ("customer data") say; the draft builds on it.
    const result = view.result;
    expect(result?.entities.places).toEqual(["Leeds"]);
    expect(result?.entities.money).toEqual(["12,000 EUR", "3,000 EUR", "9,000 EUR"]);
    expect(result?.keywords.map((k) => k.phrase)).toContain("customer data");
    expect(result?.prototype).toMatchObject({ template: { slug: "website-default" }, markdown: expect.stringContaining("Places: Leeds") });
  });
});

describe("a recording whose task fails every time", () => {
  it("dead-letters its message (redrivable once), and the job completes without it, saying why", async () => {
    const submitted = await submitFiles([
      { name: "brief.pdf", bytes: pdf() },
      // The ai worker's dev-only fault switch (workers/ai/src/fault.ts): every delivery of this file's asr task fails.
      recording("voice-note [[statex-fault:asr]].wav"),
    ]);

    const letter = await deadLetterOf("statex-ai-tasks", submitted.id);
    expect(letter).toMatchObject({ queue: "statex-ai-tasks", reason: "retries exhausted on statex-ai-tasks", redrivenAt: null });
    expect(JSON.parse(letter.body)).toMatchObject({ requestId: submitted.id, kind: "asr", attempt: 1 });
    const first = await redrive(letter.id);
    expect(first.status).toBe(200);
    expect((await redrive(letter.id)).status).toBe(409);

    // The job never hears back about the recording: each attempt's deadline passes (e2e/setup.ts: two attempts
    // of 15 s), the last attempt gives up, and the job answers with what succeeded.
    const view = await finished(submitted, 75_000);
    const byKind = Object.fromEntries(view.steps.map((s) => [s.kind, s]));
    expect(byKind.asr).toMatchObject({ state: "failed", attempt: 2 });
    expect(byKind.asr?.error).toMatch(/^no answer within \d+ ms of being picked up \(gave up after 2 attempts\)$/);
    expect([byKind.docai?.state, byKind.nlp?.state, byKind.prototype?.state]).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(view.result?.partial).toBe(true);
    expect(view.result?.tasks).toContainEqual(expect.objectContaining({ kind: "asr", state: "failed", resultKey: null, error: byKind.asr?.error }));

    // What succeeded is all there: the document's text, and an analysis and draft built from it without the recording.
    const doc = await stored<DocText>(submitted.id, byKind.docai?.id ?? "docai");
    for (const line of PDF_LINES) expect(doc.output.text).toContain(line);
    expect(view.result?.entities.places).toEqual(["Leeds"]);
    expect(view.result?.keywords.flatMap((k) => words(k.phrase))).not.toContain("customer");
    expect(view.result?.prototype).toMatchObject({ template: { slug: "website-default" }, markdown: expect.stringContaining("Places: Leeds") });
    const missing = await fetch(`${siteUrl()}/api/ops/jobs/${submitted.id}/tasks/${byKind.asr?.id ?? "asr"}/result`, { headers: await opsHeaders() });
    expect(missing.status).toBe(404);

    // Every attempt's message was dead-lettered (the redriven one, still the live attempt then, failed again),
    // and the redriven letter says when it went back.
    const res = await fetch(`${siteUrl()}/api/ops/dead-letters?queue=statex-ai-tasks`, { headers: await opsHeaders() });
    const letters = ((await res.json()) as { deadLetters: DeadLetter[] }).deadLetters.filter((d) => d.body.includes(submitted.id));
    expect(letters.map((d) => (JSON.parse(d.body) as { attempt: number }).attempt).sort()).toEqual([1, 1, 2]);
    expect(letters.find((d) => d.id === letter.id)?.redrivenAt).toEqual(expect.any(String));
  }, 90_000);
});
