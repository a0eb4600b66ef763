/**
 * Reads a multipart submission part by part: text fields into memory (each
 * capped), every file part streamed into R2 as it arrives. Refusals are
 * thrown as problems naming the field or file; the caller deletes what was
 * written (every key is reported through `track` before it is written).
 */
import { SubmitBody } from "@statex/shared/api/intake";
import { ProblemError } from "@statex/shared/errors";
import type { StoredFile } from "@statex/shared/events";
import { storeStream } from "../files/stream";
import { isRefusal } from "../files/store";
import { BodyTooLarge, FieldTooLarge, MalformedMultipart, type MultipartReader } from "../multipart/parser";
import { type Limits, tooLargeProblem, tooManyFiles } from "./limits";

/** A form's fields as a JSON body would carry them (validated by the caller), and its files, already stored. */
export type Form = { fields: Record<string, unknown>; files: StoredFile[] };

/**
 * The fields a submission reads, from SubmitBody itself (the uploads' lists are read apart, part by part); anything
 * else a form sends (a submit button, say) is ignored. A field is required when its schema refuses it absent.
 */
const TEXT_FIELDS = Object.keys(SubmitBody.shape).filter((k) => k !== "uploadIds" && k !== "uploadTokens");
const REQUIRED = TEXT_FIELDS.filter((k) => !SubmitBody.shape[k as keyof typeof SubmitBody.shape].safeParse(undefined).success);
const OPTIONAL = TEXT_FIELDS.filter((k) => !REQUIRED.includes(k));
const FIELDS = new Set(TEXT_FIELDS);
const MAX_FIELD_BYTES = 4096;

/** Form inputs left empty arrive as "": for optional fields that means absent. Repeated upload fields are lists. */
function fieldsOf(values: Map<string, string>, uploadIds: string[], uploadTokens: string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = { uploadIds, uploadTokens };
  for (const k of REQUIRED) fields[k] = values.get(k);
  for (const k of OPTIONAL) fields[k] = values.get(k)?.trim() ? values.get(k) : undefined;
  return fields;
}

function fileName(given: string, index: number): string {
  // Only the last path segment: old browsers send C:\path\name.pdf.
  const base = given.split(/[\\/]/).pop()?.trim() ?? "";
  return (base || `file-${index}`).slice(0, 255);
}

export async function readForm(reader: MultipartReader, bucket: R2Bucket, requestId: string, limits: Limits, track: (key: string) => void): Promise<Form> {
  const values = new Map<string, string>();
  const uploadIds: string[] = [];
  const uploadTokens: string[] = [];
  const files: StoredFile[] = [];
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
        const name = fileName(part.filename, files.length + 1);
        current = `files.${name}`;
        if (files.length + uploadIds.length >= limits.files) throw tooManyFiles(limits, current);
        const stored = await storeStream(bucket, requestId, name, () => reader.read(), { maxBytes: limits.fileBytes }, track);
        if (isRefusal(stored)) {
          if (stored.status === 413) throw tooLargeProblem(current, stored.reason);
          throw new ProblemError(415, "file-type-refused", `${name}: ${stored.reason}`, [{ field: current, message: stored.reason }]);
        }
        files.push(stored);
        continue;
      }
      current = part.name;
      if (part.name === "uploadIds" || part.name === "uploadTokens") {
        const value = (await reader.text(256)).trim();
        if (value) (part.name === "uploadIds" ? uploadIds : uploadTokens).push(value);
        // Checked again once the body is read (as for JSON); here it stops a body of endless ids early.
        if (files.length + uploadIds.length > limits.files) throw tooManyFiles(limits, "uploadIds");
        continue;
      }
      // UTF-8 takes at most 4 bytes a character; the character limit itself is checked after validation.
      const value = await reader.text(part.name === "text" ? limits.textChars * 4 : MAX_FIELD_BYTES);
      if (FIELDS.has(part.name)) values.set(part.name, value);
    }
    return { fields: fieldsOf(values, uploadIds, uploadTokens), files };
  } catch (err) {
    if (err instanceof FieldTooLarge) throw tooLargeProblem(current, err.message);
    if (err instanceof BodyTooLarge) throw tooLargeProblem(current, `the request is larger than ${limits.requestBytes} bytes`);
    if (err instanceof MalformedMultipart) throw new ProblemError(400, "malformed-body", "The multipart body could not be read", [{ field: "body", message: err.message }]);
    throw err;
  }
}
