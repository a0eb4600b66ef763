/** Images of text rendered by Debian's Chromium: a PNG screenshot, and a PDF whose page is only that image (a scan). */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { requirePackages } from "../../../scripts/system.mjs";

/** The text on the rendered page: ordinary business prose, the kind a scanned brief holds. */
export const OCR_TEXT = [
  "Project brief for a booking website",
  "Our dental clinic in Leeds needs online booking for patients.",
  "Reminders should be sent by email one day before each visit.",
  "The budget is about twelve thousand euros and we hope to launch in May.",
];

function chromium(args: string[]) {
  requirePackages("chromium");
  execFileSync("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-dev-shm-usage", ...args], {
    stdio: "pipe",
    timeout: 60_000,
  });
}

export function renderPng(dir: string): Uint8Array {
  const html = path.join(dir, "page.html");
  writeFileSync(html, `<!doctype html><html><body style="margin:40px;font:28px/1.5 'DejaVu Sans',sans-serif;background:#fff;color:#000">
${OCR_TEXT.map((line) => `<p style="margin:0 0 12px">${line}</p>`).join("\n")}</body></html>`);
  const png = path.join(dir, "page.png");
  chromium([`--screenshot=${png}`, "--window-size=1400,400", `file://${html}`]);
  return readFileSync(png);
}

/** A PDF of an <img>: Chromium prints the picture as an image, so the page has no text layer. */
export function renderScannedPdf(dir: string): Uint8Array {
  const html = path.join(dir, "scan.html");
  writeFileSync(html, `<!doctype html><html><body style="margin:0"><img src="page.png" style="width:100%"></body></html>`);
  const pdf = path.join(dir, "scan.pdf");
  chromium([`--print-to-pdf=${pdf}`, "--no-pdf-header-footer", `file://${html}`]);
  return readFileSync(pdf);
}
