/**
 * What one submission may carry, and the one 413 problem for going over any of it (the body, a file, the
 * number of files, the text), whichever form the submission takes.
 */
import { ProblemError } from "@statex/shared/errors";

export type Limits = { fileBytes: number; files: number; requestBytes: number; textChars: number };

export function limitsOf(env: IntakeEnv): Limits {
  return { fileBytes: Number(env.MAX_FILE_BYTES), files: Number(env.MAX_FILES), requestBytes: Number(env.MAX_REQUEST_BYTES), textChars: Number(env.MAX_TEXT_CHARS) };
}

export function tooLargeProblem(field: string, detail: string): ProblemError {
  return new ProblemError(413, "too-large", `${field} is too large: ${detail}`, [{ field, message: detail }]);
}

/** 413 naming `field`, the first file (or the upload ids) past the number a request may have. */
export function tooManyFiles(limits: Limits, field: string): ProblemError {
  return tooLargeProblem(field, `at most ${limits.files} files per request`);
}
