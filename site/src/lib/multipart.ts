/**
 * A multipart/form-data body built by hand rather than with FormData, so the form knows where each file's bytes
 * sit in the body: the one upload progress event of XMLHttpRequest is then apportioned exactly to each file's bar.
 * Encoding follows the HTML standard's rules for form submission, which is what servers parse.
 */

export type Part = { name: string; value: string } | { name: string; file: Blob; filename: string };

/** A file part's place in the body, in bytes. */
export type Range = { start: number; end: number };

export type Multipart = { body: Blob; contentType: string; ranges: Range[] };

const encoder = new TextEncoder();

/** Names in headers escape quotes and line breaks as the HTML standard does (and as browsers send them). */
const escapeName = (s: string) => s.replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/"/g, "%22");

/** Builds the body; `ranges` lists the file parts in the order they were given. */
export function multipart(parts: Part[]): Multipart {
  const boundary = `----statex${crypto.randomUUID().replace(/-/g, "")}`;
  const chunks: BlobPart[] = [];
  const ranges: Range[] = [];
  let offset = 0;
  const push = (chunk: Uint8Array<ArrayBuffer> | Blob) => {
    chunks.push(chunk);
    offset += chunk instanceof Blob ? chunk.size : chunk.byteLength;
  };
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(part.name)}"`;
    if ("file" in part) {
      head += `; filename="${escapeName(part.filename)}"\r\nContent-Type: ${part.file.type || "application/octet-stream"}\r\n\r\n`;
      push(encoder.encode(head));
      ranges.push({ start: offset, end: offset + part.file.size });
      push(part.file);
    } else {
      // The HTML standard normalises every line break in a value to CRLF.
      push(encoder.encode(`${head}\r\n\r\n${part.value.replace(/\r\n|\r|\n/g, "\r\n")}`));
    }
    push(encoder.encode("\r\n"));
  }
  push(encoder.encode(`--${boundary}--\r\n`));
  return { body: new Blob(chunks), contentType: `multipart/form-data; boundary=${boundary}`, ranges };
}

/** How far (0–1) into its range the body has been sent. */
export function fractionSent(range: Range, loaded: number): number {
  const size = range.end - range.start;
  if (size <= 0) return loaded >= range.end ? 1 : 0;
  return Math.min(1, Math.max(0, (loaded - range.start) / size));
}
