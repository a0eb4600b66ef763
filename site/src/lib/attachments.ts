/**
 * The list of files attached to the form: each with its name, size, a remove button, its own upload progress bar
 * and its own error line, so a refusal from the server lands next to the file it names.
 */
import { MAX_FILES, formatBytes, refusal } from "./files";
import type { UploadSession } from "./resumable";

export type Attachment = {
  readonly file: File;
  /** Why the form will not send this file; such files stay listed so the client sees why. */
  readonly refused: string | null;
  /** The resumable upload of a large file, once opened; a second submit resumes it. */
  session?: UploadSession;
  /** The large file's upload is complete and only its id goes with the submission. */
  uploaded: boolean;
  readonly item: HTMLLIElement;
  readonly bar: HTMLDivElement;
  readonly fill: HTMLDivElement;
  readonly state: HTMLSpanElement;
  readonly error: HTMLDivElement;
  readonly remove: HTMLButtonElement;
};

export type AttachmentHooks = {
  /** Says something to screen readers (a polite live region). */
  announce: (text: string) => void;
  /** A file left the list (so the recorder can forget its note, an upload can be dropped). */
  removed: (a: Attachment) => void;
  /** Where focus goes when the last file is removed. */
  fallbackFocus: HTMLElement;
};

let counter = 0;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text = ""): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text;
  return node;
}

export class Attachments {
  private items: Attachment[] = [];

  constructor(
    private readonly list: HTMLUListElement,
    private readonly hooks: AttachmentHooks,
  ) {}

  /** Adds files, each checked on its own; returns them in order. */
  add(files: Iterable<File>): Attachment[] {
    const added: Attachment[] = [];
    for (const file of files) {
      const full = this.accepted().length >= MAX_FILES;
      const a = this.render(file, full ? `At most ${MAX_FILES} files go with one request.` : refusal(file));
      this.items.push(a);
      added.push(a);
    }
    const ok = added.filter((a) => !a.refused).length;
    const refused = added.length - ok;
    this.hooks.announce(`${ok} file${ok === 1 ? "" : "s"} attached${refused ? `, ${refused} refused` : ""}.`);
    return added;
  }

  /** The files that go with the submission. */
  accepted(): Attachment[] {
    return this.items.filter((a) => !a.refused);
  }

  /** Files by name, as the server's `files.<name>` errors name them. */
  named(name: string): Attachment[] {
    return this.items.filter((a) => a.file.name === name);
  }

  /** Removes the attachment holding `file`, if any. */
  removeFile(file: File): void {
    const a = this.items.find((x) => x.file === file);
    if (a) this.drop(a, false);
  }

  /** While sending, the list must not change under the upload. */
  lock(locked: boolean): void {
    for (const a of this.items) a.remove.disabled = locked;
  }

  progress(a: Attachment, fraction: number): void {
    const pct = Math.round(fraction * 100);
    a.bar.hidden = false;
    a.bar.setAttribute("aria-valuenow", String(pct));
    a.fill.style.width = `${pct}%`;
    a.state.textContent = pct >= 100 ? "Uploaded" : `Uploading… ${pct}%`;
    if (pct >= 100 && a.item.dataset.done !== "true") {
      a.item.dataset.done = "true";
      this.hooks.announce(`${a.file.name} uploaded.`);
    }
  }

  fail(a: Attachment, message: string): void {
    a.error.textContent = message;
    a.item.classList.add("invalid");
    // A full bar next to "Not sent" would say the opposite of the error.
    a.bar.hidden = true;
    a.state.textContent = "Not sent";
  }

  clearErrors(): void {
    for (const a of this.items) {
      if (a.refused) continue;
      a.error.textContent = "";
      a.item.classList.remove("invalid");
      if (a.state.textContent === "Not sent") a.state.textContent = "";
      // Sent again on the next submit (unless uploaded ahead), so it may be announced again.
      if (!a.uploaded) delete a.item.dataset.done;
    }
  }

  private render(file: File, refused: string | null): Attachment {
    const id = `file-${++counter}`;
    const item = el("li", refused ? "file invalid" : "file");
    // Focusable by script so that focusing a file's error reads the file's name and the error together.
    item.tabIndex = -1;
    item.setAttribute("aria-labelledby", `${id}-name`);
    item.setAttribute("aria-describedby", `${id}-state ${id}-error`);
    const name = el("span", "file-name", file.name);
    name.id = `${id}-name`;
    const size = el("span", "file-size muted", formatBytes(file.size));
    const state = el("span", "file-state muted", refused ? "Not attached" : "");
    state.id = `${id}-state`;
    const remove = el("button", "remove", "Remove");
    remove.type = "button";
    remove.setAttribute("aria-label", `Remove ${file.name}`);
    const bar = el("div", "progress");
    bar.hidden = true;
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-label", `Upload of ${file.name}`);
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", "100");
    bar.setAttribute("aria-valuenow", "0");
    const fill = el("div", "");
    bar.append(fill);
    const error = el("div", "error", refused ?? "");
    error.id = `${id}-error`;
    const head = el("div", "file-head");
    head.append(name, size, state, remove);
    item.append(head, bar, error);
    this.list.append(item);
    const a: Attachment = { file, refused, uploaded: false, item, bar, fill, state, error, remove };
    remove.addEventListener("click", () => this.drop(a, true));
    return a;
  }

  private drop(a: Attachment, moveFocus: boolean): void {
    const at = this.items.indexOf(a);
    if (at < 0) return;
    this.items.splice(at, 1);
    a.item.remove();
    this.hooks.removed(a);
    this.hooks.announce(`${a.file.name} removed.`);
    // Focus would otherwise fall to the page's start; the next file (or the file picker) is where the user was.
    if (!moveFocus) return;
    const neighbour = this.items[at] ?? this.items[at - 1];
    if (neighbour) neighbour.remove.focus();
    else this.hooks.fallbackFocus.focus();
  }
}
