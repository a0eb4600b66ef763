// OCR with tesseract.js and the English model its npm package ships (no download):
// images directly, PDFs page by page after poppler's pdftoppm renders them.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const require = createRequire(import.meta.url);

export const OCR_MODEL = "tesseract-eng";
/** Scans are rendered at this resolution: enough for body text, quick to recognise. */
const PDF_DPI = 200;

/** One recogniser for the server's life, created on first use (loading the model takes a second). */
export function createOcr() {
  let worker;
  // tesseract.js runs one job at a time per worker; a chain keeps callers from interleaving pages.
  let queue = Promise.resolve();
  const recognise = (image) => {
    const job = queue.then(async () => {
      worker ??= (async () => {
        const { createWorker } = await import("tesseract.js");
        const { langPath } = require("@tesseract.js-data/eng");
        // cacheMethod "none": read the shipped model every time rather than write copies into the working folder.
        return createWorker("eng", 1, { langPath, gzip: true, cacheMethod: "none" });
      })();
      const { data } = await (await worker).recognize(image);
      return { text: data.text.trim(), confidence: Math.round(data.confidence) / 100 };
    });
    queue = job.catch(() => undefined);
    return job;
  };

  /** Pages of a PDF as PNG buffers (1-based numbers; all pages when none are given). */
  async function renderPdf(pdf, pages) {
    const dir = await mkdtemp(path.join(tmpdir(), "statex-ocr-"));
    try {
      await writeFile(path.join(dir, "in.pdf"), pdf);
      const wanted = pages?.length ? pages : [undefined];
      for (const page of wanted) {
        const range = page ? ["-f", String(page), "-l", String(page)] : [];
        await run("pdftoppm", ["-r", String(PDF_DPI), "-png", ...range, path.join(dir, "in.pdf"), path.join(dir, "page")], { timeout: 60_000 });
      }
      const files = (await readdir(dir)).filter((f) => f.startsWith("page")).sort();
      return Promise.all(files.map(async (f) => ({ page: Number(/(\d+)\.png$/.exec(f)?.[1]), image: await readFile(path.join(dir, f)) })));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  return {
    /** Text of an image, or of the given pages of a PDF. */
    async read(bytes, mime, pages) {
      const images = mime === "application/pdf" ? await renderPdf(bytes, pages) : [{ page: 1, image: bytes }];
      const results = [];
      for (const { page, image } of images) results.push({ page, ...(await recognise(image)) });
      return { text: results.map((r) => r.text).join("\n\n"), pages: results };
    },
    async close() {
      if (worker) await (await worker).terminate();
    },
  };
}
