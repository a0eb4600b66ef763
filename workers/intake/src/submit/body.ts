/**
 * Reading a submission's body: the one thing a JSON submission and a multipart/form-data one do differently. Both
 * come out as the same raw fields, for the one validation that follows, and the form's files, already in R2.
 */
import { ProblemError } from "@statex/shared/errors";
import type { StoredFile } from "@statex/shared/events";
import { MultipartReader, boundaryOf } from "../multipart/parser";
import { readForm } from "./form";
import { type Limits, tooLargeProblem } from "./limits";

export type Body = { fields: unknown; files: StoredFile[] };

/** A JSON body carries no files, so it has a limit of its own, far below a form's. */
const MAX_JSON_BYTES = 256 * 1024;

/**
 * The body's fields (unvalidated) and files. The caller has checked the media type is JSON or multipart; each key a
 * form's file is stored under goes through `track` before it is written, so the caller can delete them on refusal.
 */
export async function readBody(req: Request, bucket: R2Bucket, requestId: string, limits: Limits, track: (key: string) => void): Promise<Body> {
  const contentType = req.headers.get("content-type") ?? "";
  const multipart = /^multipart\//i.test(contentType.trim());
  const maxBytes = multipart ? limits.requestBytes : MAX_JSON_BYTES;
  if (Number(req.headers.get("content-length") ?? 0) > maxBytes) throw tooLargeProblem("body", `at most ${maxBytes} bytes per request`);
  if (!multipart) return { fields: await readJson(req.body, maxBytes), files: [] };
  const boundary = boundaryOf(contentType);
  if (!boundary || !req.body) throw new ProblemError(400, "malformed-body", "The multipart body could not be read", [{ field: "body", message: boundary ? "empty body" : "no boundary in content-type" }]);
  const reader = new MultipartReader(req.body, boundary, limits.requestBytes);
  try {
    return await readForm(reader, bucket, requestId, limits, track);
  } catch (err) {
    // A refusal does not read the rest of the body (it may be 100 MB nobody will keep).
    await reader.cancel();
    throw err;
  }
}

/** A JSON body, counted as it arrives: a body sent without its length cannot slip past the limit either. */
async function readJson(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<unknown> {
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  if (body) {
    for await (const chunk of body) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) throw tooLargeProblem("body", `at most ${maxBytes} bytes per request`);
      text += decoder.decode(chunk, { stream: true });
    }
  }
  text += decoder.decode();
  try {
    return JSON.parse(text);
  } catch {
    throw new ProblemError(400, "malformed-body", "The request body could not be parsed", [{ field: "body", message: "malformed JSON" }]);
  }
}
