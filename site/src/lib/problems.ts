/**
 * Where each error of a problem+json answer belongs on the form: a field's error next to its input, a file's
 * (`files.<filename>`) next to that file, anything else in the summary at the top.
 */
import { ApiError, type Problem, byId } from "../api";
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

/**
 * Shows what went wrong with a form of the account pages, whose inputs are `<prefix>-<field>` with their error line
 * `<prefix>-<field>-error` and a summary `<prefix>-error`: each field's error by its input, anything else (or a
 * network failure) in the summary, and focus on the first.
 */
export function showFormProblem(prefix: string, fields: readonly string[], err: unknown): void {
  const summary = byId(`${prefix}-error`);
  if (!(err instanceof ApiError)) {
    summary.textContent = "Could not reach StateX. Check your connection and try again.";
    summary.hidden = false;
    return;
  }
  const idOf = (field: string) => `${prefix}-${field}`;
  const placed = fieldErrors(err.problem, fields, undefined, idOf);
  for (const { field, message } of placed.fields) {
    byId(`${idOf(field)}-error`).textContent = message;
    byId(idOf(field)).setAttribute("aria-invalid", "true");
  }
  if (placed.other.length || !placed.first) {
    summary.textContent = placed.other.length ? placed.other.join(" ") : (err.problem.detail ?? err.problem.title);
    summary.hidden = false;
    summary.focus();
  } else placed.first.focus();
}

/** Clears what {@link showFormProblem} showed on a form. */
export function clearFormProblems(form: HTMLFormElement, prefix: string): void {
  byId(`${prefix}-error`).hidden = true;
  for (const line of form.querySelectorAll<HTMLElement>(".error")) line.textContent = "";
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

/**
 * Handles a form of the account pages: on submit, its fields go to `send` (once at a time: the button is disabled
 * meanwhile), what it answers to `done`, and a problem next to the fields it names.
 */
export function handleForm<T>(prefix: string, fields: readonly string[], send: (body: Record<string, FormDataEntryValue>) => Promise<T>, done: (answer: T, form: HTMLFormElement) => void): HTMLFormElement {
  const form = byId<HTMLFormElement>(`${prefix}-form`);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]") as HTMLButtonElement;
    if (button.disabled) return;
    clearFormProblems(form, prefix);
    button.disabled = true;
    send(Object.fromEntries(new FormData(form)))
      .then((answer) => done(answer, form))
      .catch((err: unknown) => showFormProblem(prefix, fields, err))
      .finally(() => {
        button.disabled = false;
      });
  });
  return form;
}
