/**
 * The docai task's extraction, shared by every provider that runs it: text layers are read here, in the
 * worker, exactly; only images and scanned pages need a model, through the OCR function a provider passes.
 */
import { DocaiResult } from "@statex/shared/tasks";
import { ProviderError, Unsupported } from "../providers/types";
import { readDocx } from "./docx";
import { pdfMarkdown, readPdf } from "./pdf";

/** The in-worker reader as provenance names it, when no model was needed. */
export const DOCUMENT_READER = "statex-documents (unpdf, fflate)";

/** Reads the text of an image, or of the given pages of a PDF (1-based). */
export type Ocr = (file: File, pages: number[]) => Promise<{ page: number; text: string }[]>;

export type DocumentKind = "pdf" | "docx" | "markdown" | "text" | "image";

const BY_MIME: Record<string, DocumentKind> = {
  "application/pdf": "pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "text/markdown": "markdown",
  "text/x-markdown": "markdown",
  "text/plain": "text",
  "image/png": "image",
  "image/jpeg": "image",
};
const BY_EXTENSION: Record<string, DocumentKind> = { pdf: "pdf", docx: "docx", md: "markdown", markdown: "markdown", txt: "text", png: "image", jpg: "image", jpeg: "image" };

/** The kind of a file by its type, or its name when the type is generic (uploads often say octet-stream). */
export function documentKind(file: File): DocumentKind {
  const kind = BY_MIME[file.type.split(";")[0]?.trim().toLowerCase() ?? ""] ?? BY_EXTENSION[file.name.split(".").at(-1)?.toLowerCase() ?? ""];
  if (!kind) throw new ProviderError(`unsupported document type ${file.type || file.name}`, "invalid-input");
  return kind;
}

async function fromPdf(file: File, ocr: Ocr | undefined): Promise<DocaiResult> {
  let parsed;
  try {
    parsed = await readPdf(new Uint8Array(await file.arrayBuffer()));
  } catch (err) {
    throw new ProviderError(`the PDF could not be read: ${err instanceof Error ? err.message : String(err)}`, "invalid-input");
  }
  const { pages, metadata } = parsed;
  const scanned = pages.flatMap((lines, i) => (lines.length ? [] : [i + 1]));
  if (scanned.length && !ocr) throw new Unsupported(`pages ${scanned.join(", ")} of the PDF are images and need OCR, which this provider lacks`);
  const recognised = scanned.length && ocr ? await ocr(file, scanned) : [];
  // A recognised page is plain lines at body size: OCR sees no font sizes to tell headings by.
  const withOcr = pages.map((lines, i) => lines.length ? lines : (recognised.find((r) => r.page === i + 1)?.text ?? "").split("\n").filter((t) => t.trim()).map((text) => ({ text, size: 0 })));
  const method = scanned.length === 0 ? "pdf-text" : scanned.length === pages.length ? "ocr" : "pdf-text+ocr";
  const text = withOcr.map((lines) => lines.map((l) => l.text).join("\n")).join("\n\n");
  return DocaiResult.parse({ markdown: pdfMarkdown(withOcr), text, pages: pages.length, metadata, method });
}

async function fromImage(file: File, ocr: Ocr | undefined): Promise<DocaiResult> {
  if (!ocr) throw new Unsupported("images need OCR, which this provider lacks");
  const text = (await ocr(file, [])).map((p) => p.text).join("\n\n").trim();
  return DocaiResult.parse({ markdown: text, text, pages: 1, metadata: {}, method: "ocr" });
}

/** Text and structure of one document; `ocr` is needed only for images and scanned PDF pages. */
export async function extractDocument(file: File, ocr?: Ocr): Promise<DocaiResult> {
  const kind = documentKind(file);
  if (kind === "pdf") return fromPdf(file, ocr);
  if (kind === "image") return fromImage(file, ocr);
  if (kind === "docx") return DocaiResult.parse({ ...readDocx(new Uint8Array(await file.arrayBuffer())), method: "docx" });
  // Markdown is already the output format; plain text is kept as written (its line breaks are its structure).
  const text = (await file.text()).replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  return DocaiResult.parse({ markdown: text, text, pages: 1, metadata: {}, method: "plain" });
}
