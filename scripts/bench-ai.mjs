// The AI tasks' benchmark with the offline and local providers (what `npm run dev` and CI use):
//  - asr: milliseconds per second of audio through the local model server (pocketsphinx), flite clips;
//  - docai: milliseconds per page for a PDF's text layer and a DOCX (the in-worker reader), and per page of OCR;
//  - nlp: milliseconds per request text (the offline analysis);
//  - the model server's peak memory (its process and the decoders and OCR it runs), sampled every 50 ms.
// The worker code runs here in Node, bundled by esbuild from the same source as the worker: same V8, no workerd.
// Exported for `npm run bench`; runnable alone: `node scripts/bench-ai.mjs` prints JSON.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { importWorkerCode } from "../local/worker-code.mjs";
import { devSecretValue } from "../infra/topology.mjs";

const root = path.resolve(import.meta.dirname, "..");
/** The key the local model server expects when started as a program (the dev value the ai worker has). */
const KEY = devSecretValue("AI_API_KEY");

/** The worker's own modules (and the test fixture makers), bundled for Node. */
function loadWorkerCode(dir) {
  return importWorkerCode(
    [
      'export { extractDocument } from "./workers/ai/src/documents/index.ts";',
      'export { analyse } from "./workers/ai/src/providers/offline/nlp.ts";',
      'export { writePdf } from "./shared/test/ai-fixtures/pdf.ts";',
      'export { writeDocx } from "./shared/test/ai-fixtures/docx.ts";',
      'export { speechClips, longClip } from "./shared/test/ai-fixtures/speech.ts";',
      'export { renderPng } from "./shared/test/ai-fixtures/chromium.ts";',
    ].join("\n"),
    path.join(dir, "ai-bench.mjs"),
  );
}

/** Resident memory of a process and all its descendants, in bytes (Linux /proc). */
function treeRss(pid) {
  const children = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended between listing and reading.
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    try {
      total += Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0) * 1024;
    } catch {
      continue;
    }
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

/** The model server as its own process (as `npm run dev` runs it), with a memory sampler. */
async function startModelServer(dataDir) {
  const child = spawn(process.execPath, [path.join(root, "local", "server.mjs")], {
    env: { ...process.env, LOCAL_SERVICES_PORT: "0", LOCAL_SERVICES_DATA: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const m = /local services on (http:\/\/\S+) /.exec(output);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`local services exited (${code}): ${output}`)));
  });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRss(child.pid))), 50);
  return {
    url,
    peakBytes: () => peak,
    stop: () => {
      clearInterval(sampler);
      child.kill("SIGTERM");
    },
  };
}

async function post(url, route, fields) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const res = await fetch(`${url}/v1/${route}`, { method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: form });
  if (!res.ok) throw new Error(`${route}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

const round = (n) => Math.round(n * 10) / 10;
const file = (fixture) => new File([Buffer.from(fixture.base64, "base64")], fixture.name, { type: fixture.mime });

/**
 * Measures every AI task with the offline and local providers.
 * @returns {Promise<{ asr: object, docai: object, nlp: object, modelServer: { peakRssMb: number } }>}
 */
export async function benchAi() {
  const dir = mkdtempSync(path.join(tmpdir(), "statex-bench-ai-"));
  const code = await loadWorkerCode(dir);
  const server = await startModelServer(path.join(dir, "local"));
  try {
    // asr: one clip at a time, so the figure is the latency a single voice note sees.
    const clips = [...code.speechClips(dir).slice(0, 4), code.longClip(dir)];
    let audioSeconds = 0;
    let asrMs = 0;
    for (const clip of clips) {
      const started = performance.now();
      const out = await post(server.url, "audio/transcriptions", { file: file(clip), model: "pocketsphinx-en-us", response_format: "verbose_json" });
      asrMs += performance.now() - started;
      audioSeconds += out.duration;
    }

    const body = (text) => ({ text, size: 11 });
    const pages = Array.from({ length: 20 }, (_, i) => [{ text: `Section ${i + 1}`, size: 16 }, ...Array.from({ length: 30 }, (_, j) => body(`Line ${j + 1} of page ${i + 1}: patients book appointments online and get reminders.`))]);
    const pdf = new File([code.writePdf(pages, { title: "Bench", author: "Bench", created: new Date(0) })], "bench.pdf", { type: "application/pdf" });
    await code.extractDocument(pdf); // warm: PDF.js compiles on first use
    const pdfRuns = 5;
    let started = performance.now();
    for (let i = 0; i < pdfRuns; i++) await code.extractDocument(pdf);
    const pdfMsPerPage = (performance.now() - started) / (pdfRuns * pages.length);
    const docx = new File([code.writeDocx()], "b.docx", { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" });
    started = performance.now();
    for (let i = 0; i < 50; i++) await code.extractDocument(docx);
    const docxMs = (performance.now() - started) / 50;
    const png = new File([code.renderPng(dir)], "page.png", { type: "image/png" });
    await post(server.url, "ocr", { file: png, model: "tesseract-eng" }); // warm: loads the model
    started = performance.now();
    for (let i = 0; i < 3; i++) await post(server.url, "ocr", { file: png, model: "tesseract-eng" });
    const ocrMsPerPage = (performance.now() - started) / 3;

    const texts = [
      "We run a dental clinic in Leeds. We need a booking website where patients book appointments online. It should send reminders by email and SMS. Our budget is about 12,000 EUR and we would like to launch in March.",
      "Wir brauchen eine App für unsere Bäckerei, mit Bestellungen und Abholzeiten.",
      "Please build a dashboard that shows our monthly sales and customer data from Shopify and our CRM.",
    ];
    code.analyse(texts[0]);
    started = performance.now();
    for (let i = 0; i < 60; i++) code.analyse(texts[i % texts.length]);
    const nlpMs = (performance.now() - started) / 60;

    return {
      asr: { msPerAudioSecond: round(asrMs / audioSeconds), audioSeconds: round(audioSeconds), clips: clips.length },
      docai: { pdfMsPerPage: round(pdfMsPerPage), docxMsPerDocument: round(docxMs), ocrMsPerPage: round(ocrMsPerPage) },
      nlp: { msPerText: round(nlpMs) },
      modelServer: { peakRssMb: round(server.peakBytes() / 1024 / 1024) },
    };
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  console.log(JSON.stringify(await benchAi(), null, 2));
}
