/**
 * What the form lets a client attach, checked before anything is sent. The server sniffs every file's bytes and
 * has the last word; these checks only spare the client a long upload that would be refused anyway.
 */

/** Kinds the intake accepts (workers/intake/src/files/sniff.ts), by the extensions clients give them. */
const EXTENSIONS = ["pdf", "docx", "txt", "md", "png", "jpg", "jpeg", "webm", "ogg", "oga", "opus", "mp3", "wav", "m4a"];

/** The same kinds by declared type, for files whose names carry no extension (drags from some apps). */
const MIME_PREFIXES = ["application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "text/plain", "text/markdown", "image/png", "image/jpeg", "audio/"];

// Intake's own MAX_FILE_BYTES and MAX_FILES (infra/topology.mjs), put in by the site build (scripts/build-site.mjs).
declare const INTAKE_MAX_FILE_BYTES: number;
declare const INTAKE_MAX_FILES: number;

/** The largest file intake takes. */
export const MAX_FILE_BYTES = INTAKE_MAX_FILE_BYTES;
/** How many files intake takes with one request. */
export const MAX_FILES = INTAKE_MAX_FILES;

/** What the form says of the limits, beside the kinds it lists. */
export const LIMITS_HINT = `Up to ${MAX_FILES} files, ${formatBytes(MAX_FILE_BYTES)} each.`;

/** Above this a file goes through the resumable upload API, so a dropped connection loses one part, not the file. */
export const RESUMABLE_FROM_BYTES = 8 * 1024 * 1024;

/** The file input's `accept`: a hint for the picker, not a check. */
export const ACCEPT = EXTENSIONS.map((e) => `.${e}`).join(",");

/** Why a file cannot be attached, or null when it may be. */
export function refusal(file: File): string | null {
  const dot = file.name.lastIndexOf(".");
  const ext = dot > 0 ? file.name.slice(dot + 1).toLowerCase() : "";
  const known = ext ? EXTENSIONS.includes(ext) : MIME_PREFIXES.some((p) => file.type.startsWith(p));
  if (!known) return "This type of file is not accepted. Attach documents (PDF, Word, text, Markdown, PNG, JPEG) or audio (WebM, Ogg, MP3, WAV, M4A).";
  if (file.size === 0) return "This file is empty.";
  if (file.size > MAX_FILE_BYTES) return `This file is larger than ${formatBytes(MAX_FILE_BYTES)}, the most one file may be.`;
  return null;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
