/**
 * Where each error of a problem+json answer belongs on the form: a field's error next to its input, a file's
 * (`files.<filename>`) next to that file, anything else in the summary at the top.
 */
import type { Problem } from "../api";
import type { Attachment } from "./attachments";

/** The file input's field name, which the server also uses for errors about the files as a whole. */
export const FILE_FIELD = "files";

export type Placed = {
  fields: { field: string; message: string }[];
  files: { attachment: Attachment; message: string }[];
  /** Errors that name nothing on the form, as sentences for the summary. */
  other: string[];
  /** What to focus: the first error in page order. */
  first: HTMLElement | undefined;
};

/**
 * `idOf` gives a field's input id where a page has more than one form (the account page prefixes them); a form
 * without files passes no `attachments`.
 */
export function fieldErrors(
  problem: Problem,
  fields: readonly string[],
  attachments?: { named(name: string): Attachment[] },
  idOf: (field: string) => string = (field) => field,
): Placed {
  const placed: Placed = { fields: [], files: [], other: [], first: undefined };
  const targets: HTMLElement[] = [];
  for (const { field, message } of problem.errors ?? []) {
    const named = attachments && field.startsWith(`${FILE_FIELD}.`) ? attachments.named(field.slice(FILE_FIELD.length + 1)) : [];
    if (named.length) {
      for (const attachment of named) {
        placed.files.push({ attachment, message });
        targets.push(attachment.item);
      }
    } else if (fields.includes(field)) {
      placed.fields.push({ field, message });
      const input = document.getElementById(idOf(field));
      if (input) targets.push(input);
    } else {
      placed.other.push(`${field}: ${message}.`);
    }
  }
  if (placed.other.length) placed.other.unshift(problem.detail ?? problem.title);
  // DOCUMENT_POSITION_FOLLOWING: b comes after a, so a sorts first.
  targets.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  placed.first = targets[0];
  return placed;
}
