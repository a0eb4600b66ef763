/**
 * vitest globalSetup of the ai worker's tests: makes every fixture with the real tools (flite, ffmpeg,
 * Chromium, a tiny PDF writer, fflate) and provides them as `aiFixtures`; starts the fake hosted API and
 * provides its port as `fakeOpenAiPort`. Fixtures are made fresh each run, so none is checked in.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { OCR_TEXT, renderPng, renderScannedPdf } from "./chromium";
import { DOCX_MARKDOWN, writeDocx } from "./docx";
import { startFakeOpenAi } from "./fake-openai";
import { writePdf } from "./pdf";
import { longClip, speechClips } from "./speech";
import { requirePackages } from "../../../scripts/system.mjs";
import type { AiFixtures, ProvidedAiFixtures } from "./types";

/** The path to give a project's `globalSetup`. */
export const aiFixturesSetup = import.meta.filename;

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/** A two-page brief: a title and section headings larger than the body text, and document metadata. */
function briefPdf(): Uint8Array {
  const body = (text: string) => ({ text, size: 11 });
  return writePdf(
    [
      [{ text: "Clinic Booking Brief", size: 24 }, body("We run a dental clinic in Leeds (three chairs)."), { text: "Goals", size: 16 },
        body("Patients book appointments online, day or night."), body("Reminders go out by email and SMS."), { text: "Scope", size: 16 },
        body("Booking, reminders, a staff calendar and reports.")],
      [{ text: "Budget and timing", size: 16 }, body("About 12,000 EUR; we hope to start in March 2026."), body("Contact: ada@example.com")],
    ],
    { title: "Clinic booking brief", author: "Ada Lovelace", created: new Date("2025-03-04T10:20:30Z") },
  );
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(tmpdir(), "statex-ai-fixtures-"));
  const pdf = briefPdf();
  await writeFile(path.join(dir, "brief.pdf"), pdf);
  const fixtures: ProvidedAiFixtures = { made: {}, missing: {} };
  // A fixture whose tool is missing is left out with the line that says what to install, so only the tests
  // that use it fail (availableFixtures throws that line); any other failure is a real one.
  const make = <K extends keyof AiFixtures>(key: K, build: () => AiFixtures[K]) => {
    try {
      fixtures.made[key] = build();
    } catch (err) {
      if (!(err instanceof Error && err.name === "MissingPackages")) throw err;
      fixtures.missing[key] = err.message;
    }
  };
  make("speech", () => speechClips(dir));
  make("longSpeech", () => longClip(dir));
  make("pdf", () => {
    requirePackages("poppler-utils");
    const expected = execFileSync("pdftotext", [path.join(dir, "brief.pdf"), "-"]).toString("utf8");
    return { name: "brief.pdf", mime: "application/pdf", base64: b64(pdf), expected };
  });
  make("docx", () => ({ name: "brief.docx", mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", base64: b64(writeDocx()), expected: DOCX_MARKDOWN }));
  make("png", () => ({ name: "page.png", mime: "image/png", base64: b64(renderPng(dir)), expected: OCR_TEXT.join("\n") }));
  // The scan is a picture of page.png, so it needs that first.
  make("scannedPdf", () => ({ name: "scan.pdf", mime: "application/pdf", base64: b64(renderScannedPdf(dir)), expected: OCR_TEXT.join("\n") }));
  project.provide("aiFixtures", fixtures);
  const fake = await startFakeOpenAi();
  project.provide("fakeOpenAiPort", fake.port);
  return async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  };
}
