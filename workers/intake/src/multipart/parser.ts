/**
 * A streaming multipart/form-data reader (RFC 7578) over a request body stream.
 * `formData()` would hold every file whole in memory; this reader hands out a
 * part's body chunk by chunk, keeping only a delimiter's length of look-behind
 * between reads, so memory stays bounded by the transport's chunk size.
 */

/** The body could not be read as multipart: a client error (400). */
export class MalformedMultipart extends Error {}

/** More bytes arrived than the request may carry (413). */
export class BodyTooLarge extends Error {}

export type PartHead = { name: string; filename?: string; contentType?: string };

const CRLF = Uint8Array.of(13, 10);
const HEADER_END = Uint8Array.of(13, 10, 13, 10);
const MAX_HEADER_BYTES = 16 * 1024;

/** The first index of `needle` in `hay` at or after `from`, or -1. */
export function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  if (first === undefined) return from;
  for (let i = hay.indexOf(first, from); i !== -1 && i + needle.length <= hay.length; i = hay.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The boundary of a multipart/form-data content type, or undefined when it is not one. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType.trim())) return undefined;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

function parseHeaders(block: string): PartHead {
  const headers = new Map<string, string>();
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new MalformedMultipart("a part header is malformed");
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headers.get("content-disposition") ?? "";
  if (!/^form-data\s*(;|$)/i.test(disposition)) throw new MalformedMultipart("a part is not form-data");
  // Parameters are quoted strings (browsers escape quotes as %22) or tokens.
  const param = (key: string) => {
    const m = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, "i").exec(disposition);
    const value = m?.[1] ?? m?.[2];
    return value?.replace(/\\(.)/g, "$1");
  };
  const name = param("name");
  if (name === undefined) throw new MalformedMultipart("a part has no name");
  const filename = param("filename");
  const contentType = headers.get("content-type");
  return { name, ...(filename !== undefined ? { filename } : {}), ...(contentType ? { contentType } : {}) };
}

export class MultipartReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  /** `\r\n--boundary`: the body is read as if it began with CRLF, so the first delimiter looks like the others. */
  private readonly delimiter: Uint8Array;
  private buf: Uint8Array = CRLF;
  private streamDone = false;
  private inBody = false;
  private finished = false;
  /** Bytes taken from the stream so far. */
  bytesRead = 0;

  constructor(
    body: ReadableStream<Uint8Array>,
    boundary: string,
    private readonly maxBytes: number,
  ) {
    this.reader = body.getReader();
    this.delimiter = new TextEncoder().encode(`\r\n--${boundary}`);
  }

  /** Pulls one more chunk into the buffer; false at the end of the stream. */
  private async fill(): Promise<boolean> {
    if (this.streamDone) return false;
    const { done, value } = await this.reader.read();
    if (done) {
      this.streamDone = true;
      return false;
    }
    this.bytesRead += value.byteLength;
    if (this.bytesRead > this.maxBytes) throw new BodyTooLarge();
    this.buf = concat(this.buf, value);
    return true;
  }

  /** Moves to the next part and returns its headers, or null after the closing delimiter. */
  async next(): Promise<PartHead | null> {
    if (this.finished) return null;
    while (this.inBody) await this.read();
    // The buffer now starts at a delimiter (or the preamble, before the first part).
    let at: number;
    while ((at = indexOf(this.buf, this.delimiter)) === -1 || this.buf.length < at + this.delimiter.length + 2) {
      if (at === -1 && this.buf.length > this.delimiter.length) this.buf = this.buf.slice(this.buf.length - this.delimiter.length);
      if (!(await this.fill())) throw new MalformedMultipart("the body ended before its closing boundary");
    }
    let rest = at + this.delimiter.length;
    if (this.buf[rest] === 45 && this.buf[rest + 1] === 45) {
      // The closing delimiter: the epilogue is read and ignored. Read, not cancelled: cancelling a body
      // that a service binding is still sending breaks the sender's side of the stream.
      this.finished = true;
      do this.buf = new Uint8Array(0);
      while (await this.fill());
      return null;
    }
    let end: number;
    while ((end = indexOf(this.buf, HEADER_END, rest)) === -1) {
      if (this.buf.length - rest > MAX_HEADER_BYTES) throw new MalformedMultipart("a part's headers are too long");
      if (!(await this.fill())) throw new MalformedMultipart("the body ended inside a part's headers");
    }
    // Transport padding (spaces, tabs) may follow a delimiter before its CRLF.
    while (this.buf[rest] === 32 || this.buf[rest] === 9) rest++;
    if (this.buf[rest] !== 13 || this.buf[rest + 1] !== 10) throw new MalformedMultipart("a boundary is not followed by a line break");
    const head = parseHeaders(new TextDecoder().decode(this.buf.subarray(rest + 2, end)));
    this.buf = this.buf.slice(end + HEADER_END.length);
    this.inBody = true;
    return head;
  }

  /** The next chunk of the current part's body, or null at its end. */
  async read(): Promise<Uint8Array | null> {
    if (!this.inBody) return null;
    for (;;) {
      const at = indexOf(this.buf, this.delimiter);
      if (at !== -1) {
        const chunk = this.buf.subarray(0, at);
        this.buf = this.buf.slice(at);
        if (chunk.length) return chunk;
        this.inBody = false;
        return null;
      }
      // Keep what could be the start of a delimiter split across chunks; hand out the rest.
      const safe = this.buf.length - (this.delimiter.length - 1);
      if (safe > 0) {
        // subarray: the chunk is handed out without a copy; only the short tail is copied.
        const chunk = this.buf.subarray(0, safe);
        this.buf = this.buf.slice(safe);
        return chunk;
      }
      if (!(await this.fill())) throw new MalformedMultipart("the body ended inside a part");
    }
  }

  /** A field's value as text, refusing one longer than `max` bytes. */
  async text(max: number): Promise<string> {
    let bytes: Uint8Array = new Uint8Array(0);
    for (let chunk = await this.read(); chunk; chunk = await this.read()) {
      bytes = concat(bytes, chunk);
      if (bytes.length > max) throw new FieldTooLarge(max);
    }
    return new TextDecoder().decode(bytes);
  }

  /** Stops reading: the rest of the body is not wanted (a refusal does not read 100 MB it will not keep). */
  async cancel(): Promise<void> {
    if (this.streamDone) return;
    this.finished = true;
    this.streamDone = true;
    await this.reader.cancel().catch(() => undefined);
  }
}

export class FieldTooLarge extends Error {
  constructor(readonly max: number) {
    super(`longer than ${max} bytes`);
  }
}
