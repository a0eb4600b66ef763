/**
 * Reads a multipart submission part by part: text fields into memory (each
 * capped), every file part streamed into R2 as it arrives. Refusals are
 * thrown as problems naming the field or file; the caller deletes what was
 * written (every key is reported through `track` before it is written).
 */
import { ProblemError } from "@statex/shared/errors";
import type { StoredFile } from "@statex/shared/events";
import { storeStream } from "../files/stream";
import { isRefusal } from "../files/store";
import { BodyTooLarge, FieldTooLarge, MalformedMultipart, type MultipartReader } from "../multipart/parser";

export type Limits = { fileBytes: number; files: number; requestBytes: number; textChars: number };

export type Form = {
  /** Single-valued fields, last one wins (as a form with a repeated input would send). */
  fields: Map<string, string>;
  uploadIds: string[];
  uploadTokens: string[];
  files: StoredFile[];
};

/** The fields a submission reads; anything else a form sends (a submit button, say) is ignored. */
const FIELDS = new Set(["text", "name", "email", "phone", "telegram", "whatsapp", "channel", "website", "cf-turnstile-response"]);
const MAX_FIELD_BYTES = 4096;

export function limitsOf(env: IntakeEnv): Limits {
  return { fileBytes: Number(env.MAX_FILE_BYTES), files: Number(env.MAX_FILES), requestBytes: Number(env.MAX_REQUEST_BYTES), textChars: Number(env.MAX_TEXT_CHARS) };
}

export function tooLargeProblem(field: string, detail: string): ProblemError {
  return new ProblemError(413, "too-large", `${field} is too large: ${detail}`, [{ field, message: detail }]);
}

function fileName(given: string, index: number): string {
  // Only the last path segment: old browsers send C:\path\name.pdf.
  const base = given.split(/[\\/]/).pop()?.trim() ?? "";
  return (base || `file-${index}`).slice(0, 255);
}

export async function readForm(reader: MultipartReader, bucket: R2Bucket, requestId: string, limits: Limits, track: (key: string) => void): Promise<Form> {
  const form: Form = { fields: new Map(), uploadIds: [], uploadTokens: [], files: [] };
  let current = "body";
  try {
    for (let part = await reader.next(); part; part = await reader.next()) {
      if (part.filename !== undefined) {
        // An empty file input: browsers send a part with an empty filename and no bytes.
        if (part.filename === "") {
          await reader.text(0).catch(() => {
            throw new MalformedMultipart("a file part without a name has content");
          });
          continue;
        }
        const name = fileName(part.filename, form.files.length + 1);
        current = `files.${name}`;
        if (form.files.length + form.uploadIds.length >= limits.files) throw tooLargeProblem(current, `at most ${limits.files} files per request`);
        const stored = await storeStream(bucket, requestId, name, () => reader.read(), { maxBytes: limits.fileBytes }, track);
        if (isRefusal(stored)) {
          if (stored.status === 413) throw tooLargeProblem(current, stored.reason);
          throw new ProblemError(415, "file-type-refused", `${name}: ${stored.reason}`, [{ field: current, message: stored.reason }]);
        }
        form.files.push(stored);
        continue;
      }
      current = part.name;
      if (part.name === "uploadIds" || part.name === "uploadTokens") {
        const value = (await reader.text(256)).trim();
        if (value) (part.name === "uploadIds" ? form.uploadIds : form.uploadTokens).push(value);
        if (form.files.length + form.uploadIds.length > limits.files) throw tooLargeProblem("uploadIds", `at most ${limits.files} files per request`);
        continue;
      }
      // UTF-8 takes at most 4 bytes a character; the character limit itself is checked after validation.
      const value = await reader.text(part.name === "text" ? limits.textChars * 4 : MAX_FIELD_BYTES);
      if (FIELDS.has(part.name)) form.fields.set(part.name, value);
    }
    return form;
  } catch (err) {
    if (err instanceof FieldTooLarge) throw tooLargeProblem(current, err.message);
    if (err instanceof BodyTooLarge) throw tooLargeProblem(current, `the request is larger than ${limits.requestBytes} bytes`);
    if (err instanceof MalformedMultipart) throw new ProblemError(400, "malformed-body", "The multipart body could not be read", [{ field: "body", message: err.message }]);
    throw err;
  }
}
