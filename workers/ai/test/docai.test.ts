import { Logger } from "@statex/shared/logger";
import { DocaiResult, type TaskMessage } from "@statex/shared/tasks";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { availableFixtures } from "../../../shared/test/ai-fixtures/types";
import { buildChain, runChain } from "../src/providers/chain";
import { offlineProvider } from "../src/providers/offline";
import { taskFor } from "./helpers";
import { characterErrorRate } from "./quality";

const log = new Logger({}, "ai");
const fixtures = availableFixtures(inject("aiFixtures"));
const squash = (s: string) => s.replace(/\s+/g, " ").trim();

/** Runs one docai task through the configured chain (dev: openai → the local model server for OCR, then offline). */
async function read(task: TaskMessage) {
  const report = await runChain(buildChain(env.AI_PROVIDERS).chain, task, env, log);
  if (!report.ok) throw new Error(`docai failed: ${report.error}`);
  return { output: DocaiResult.parse(report.output), provenance: report.provenance };
}

describe("docai: documents with a text layer, read in the worker", () => {
  it("reads a PDF's text exactly as pdftotext does, with headings, page count and metadata", { timeout: 60_000 }, async () => {
    const { output, provenance } = await read(await taskFor("docai", fixtures.pdf));
    expect(squash(output.text)).toBe(squash(fixtures.pdf.expected));
    expect(output).toMatchObject({
      pages: 2,
      method: "pdf-text",
      metadata: { title: "Clinic booking brief", author: "Ada Lovelace", created: "2025-03-04T10:20:30.000Z" },
    });
    expect(output.markdown).toMatch(/^# Clinic Booking Brief$/m);
    expect(output.markdown).toMatch(/^## Goals$/m);
    expect(output.markdown).toMatch(/^## Budget and timing$/m);
    expect(output.markdown).toMatch(/^We run a dental clinic in Leeds \(three chairs\)\.$/m);
    expect(provenance).toMatchObject({ provider: "openai", model: "statex-documents (unpdf, fflate)" });
  });

  it("keeps a DOCX's headings, lists and table as markdown, with its metadata", async () => {
    const { output } = await read(await taskFor("docai", fixtures.docx));
    expect(output.markdown).toBe(fixtures.docx.expected);
    expect(output).toMatchObject({ method: "docx", pages: 1, metadata: { title: "Clinic booking brief", author: "Grace Hopper", created: "2025-02-03T09:00:00.000Z" } });
  });

  it("takes TXT and MD as written, also when the upload says octet-stream", async () => {
    const md = "# Brief\n\n- one\n- two\n";
    const { output } = await read(await taskFor("docai", { name: "brief.md", mime: "application/octet-stream", base64: btoa(md), expected: md }));
    expect(output).toMatchObject({ markdown: md, text: md, pages: 1, method: "plain" });
    const txt = "Line one.\r\nLine two.";
    expect((await read(await taskFor("docai", { name: "a.txt", mime: "text/plain", base64: btoa(txt), expected: "" }))).output.text).toBe("Line one.\nLine two.");
  });

  it("refuses a corrupt or unknown file as invalid input", { timeout: 60_000 }, async () => {
    const chain = buildChain(env.AI_PROVIDERS).chain;
    const broken = await taskFor("docai", { name: "x.pdf", mime: "application/pdf", base64: btoa("not a pdf"), expected: "" });
    expect(await runChain(chain, broken, env, log)).toMatchObject({ ok: false, errorClass: "invalid-input" });
    const unknown = await taskFor("docai", { name: "x.bin", mime: "application/zip", base64: btoa("zip"), expected: "" });
    expect(await runChain(chain, unknown, env, log)).toMatchObject({ ok: false, errorClass: "invalid-input", error: "unsupported document type application/zip" });
  });
});

describe("docai: images and scans through OCR on the local model server", () => {
  it("reads a rendered page with at most 5% character errors", { timeout: 120_000 }, async () => {
    const { output, provenance } = await read(await taskFor("docai", fixtures.png));
    const cer = characterErrorRate(fixtures.png.expected, output.text);
    console.log(`OCR character error rate ${(cer * 100).toFixed(2)}% (png)`);
    expect(cer).toBeLessThanOrEqual(0.05);
    expect(output).toMatchObject({ method: "ocr", pages: 1 });
    expect(provenance).toMatchObject({ provider: "openai", model: "tesseract-eng" });
  });

  it("reads a scanned PDF (no text layer) page by page", { timeout: 120_000 }, async () => {
    const { output } = await read(await taskFor("docai", fixtures.scannedPdf));
    const cer = characterErrorRate(fixtures.scannedPdf.expected, output.text);
    console.log(`OCR character error rate ${(cer * 100).toFixed(2)}% (scanned pdf)`);
    expect(cer).toBeLessThanOrEqual(0.05);
    expect(output).toMatchObject({ method: "ocr", pages: 1 });
  });

  it("without an OCR provider, an image fails saying so", async () => {
    const report = await runChain([offlineProvider], await taskFor("docai", fixtures.png), env, log);
    expect(report).toMatchObject({ ok: false, errorClass: "invalid-input", error: "images need OCR, which this provider lacks" });
  });
});
