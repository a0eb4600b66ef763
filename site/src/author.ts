/**
 * The authors' page (`/author.html`): every page and post with where it stands, and an editor for one — markdown with
 * front matter beside a live preview rendered by the site's own renderer, image uploads, versions, publishing now or
 * at a time, unpublishing, deleting and preview links. For authors, ops and admins (the roles the content worker's
 * authoring routes let through); anyone else signed in is told the page is for authors. Signing in, the role gate and
 * signing out are every staff page's (lib/staff-sign-in.ts). Which page is open is in the hash (`#edit/<slug>`, `#new`),
 * so the back button returns to the list and an editor can be bookmarked.
 */
import { ROLES, hasRole } from "@statex/shared/auth";
import { ApiError, byId } from "./api";
import { AccessLost, type Draft, type PageSummary, type Version, authoring } from "./lib/author-api";
import { type Sizes, learnSizes, readSource, renderPreview, starter, withDraftFalse } from "./lib/author-preview";
import { h, problemText, table, when } from "./lib/ops-ui";
import { staffDoor } from "./lib/staff-sign-in";
import { type Session, currentSession } from "./session";

/** The roles at or above "author": those the authoring routes let through (requireRole("author")). */
const AUTHOR_ROLES = new Set<string>(ROLES.filter((role) => hasRole(role, "author")));
/** How long the preview waits after the last keystroke: typing stays smooth in a long page. */
const PREVIEW_DEBOUNCE_MS = 200;

const sections = { signedOut: byId("signed-out"), notAuthor: byId("not-author"), desk: byId("desk") };
const listView = byId("list-view");
const editorView = byId("editor-view");
const source = byId<HTMLTextAreaElement>("source");
const preview = byId("preview");

/** The page in the editor: its slug once saved (null for a new one), and the version its text is based on. */
const editing: { slug: string | null; baseVersion: number; saved: string; summary: PageSummary | null } = { slug: null, baseVersion: 0, saved: "", summary: null };
const sizes: Sizes = new Map();
const dirty = () => source.value !== editing.saved;

/** Who the "authors only" note says is signed in. */
function notAuthor(session: Session | null): void {
  byId("not-author-who").textContent = session ? `${session.user.name} (${session.user.email}), whose role is ${session.user.role}` : "an account that is not an author";
}

/** The session ended (401) or is not an author's (403) while the page was open: say which, and stop. */
function failed(err: unknown, box?: HTMLElement): void {
  if (err instanceof AccessLost) {
    if (err.status === 403) {
      notAuthor(currentSession());
      return door.show("refused");
    }
    door.show("signedOut");
    const note = byId("signin-error");
    note.textContent = "Your session has ended. Sign in again.";
    note.hidden = false;
    return;
  }
  if (!box) return console.error(err);
  box.textContent = problemText(err);
  box.hidden = false;
}

/** "you" for the signed-in author, the account id for anyone else (the list carries ids, not names). */
function who(userId: string): string {
  return currentSession()?.user.id === userId ? "you" : userId;
}

const badge = (status: string) => h("span", { class: `status page-${status}`, text: status });

// ---- The list ----

async function showList(): Promise<void> {
  listView.hidden = false;
  editorView.hidden = true;
  const status = byId("list-status");
  const problem = byId("list-problem");
  problem.hidden = true;
  try {
    const pages = await authoring.list();
    const rows = byId("page-rows");
    rows.replaceChildren(
      ...pages.map((p) => {
        const standing = p.status === "scheduled" && p.scheduled ? h("span", {}, badge(p.status), " ", when(p.scheduled.at)) : badge(p.status);
        const changes = p.status === "published" && p.unpublishedChanges ? h("span", { class: "muted", text: " · changes not published" }) : null;
        return h(
          "tr",
          {},
          h("td", {}, h("a", { href: `#edit/${encodeURIComponent(p.slug)}`, text: p.title }), h("div", { class: "muted small", text: p.url })),
          h("td", {}, standing, changes),
          h("td", { text: `version ${p.version}` }),
          h("td", {}, when(p.updatedAt)),
          h("td", { text: who(p.updatedBy) }),
        );
      }),
    );
    byId("page-table").hidden = !pages.length;
    status.textContent = pages.length ? `${pages.length === 1 ? "1 page" : `${pages.length} pages`}, most recently saved first.` : "No pages yet. Start one with “New page or post”.";
  } catch (err) {
    status.textContent = "";
    failed(err, problem);
  }
}

// ---- The editor ----

let previewTimer: ReturnType<typeof setTimeout> | undefined;

/** Renders the preview and the front matter's problems now. */
function refreshPreview(): void {
  clearTimeout(previewTimer);
  const read = readSource(source.value);
  renderPreview(preview, read, sizes);
  byId("source-problems").replaceChildren(...read.problems.map((p) => h("li", { text: `${p.field}: ${p.message}` })));
  source.setAttribute("aria-invalid", String(read.problems.length > 0));
  byId("draft-note").hidden = read.front?.draft !== true;
  byId("save-status").textContent = dirty() ? "Unsaved changes" : editing.slug ? `Saved as version ${editing.baseVersion}` : "";
}

source.addEventListener("input", () => {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(refreshPreview, PREVIEW_DEBOUNCE_MS);
  byId("save-status").textContent = "Unsaved changes";
});

/**
 * An uploaded image goes into the text where the cursor was (or over the selection) as `![alt](url)`: the alt text
 * the author gave, else the file's name, selected so it is easy to type over.
 */
const imageFile = byId<HTMLInputElement>("image-file");
imageFile.addEventListener("change", () => {
  const file = imageFile.files?.[0];
  const status = byId("image-status");
  if (!file) return;
  const { selectionStart, selectionEnd } = source;
  status.textContent = `Uploading ${file.name}…`;
  authoring
    .upload(file)
    .then((image) => {
      sizes.set(image.url, { width: image.width, height: image.height });
      const altInput = byId<HTMLInputElement>("image-alt");
      // Square brackets would end the alt text early.
      const alt = (altInput.value.trim() || file.name.replace(/\.[^.]+$/, "")).replace(/[[\]]/g, "");
      // A paragraph of its own, so what comes before or is typed after does not run into it.
      const text = source.value;
      const before = selectionStart === 0 || text.slice(selectionStart - 2, selectionStart) === "\n\n" ? "" : text[selectionStart - 1] === "\n" ? "\n" : "\n\n";
      const after = text.slice(selectionEnd, selectionEnd + 2) === "\n\n" ? "" : text[selectionEnd] === "\n" ? "\n" : "\n\n";
      source.setRangeText(`${before}![${alt}](${image.url})${after}`, selectionStart, selectionEnd, "end");
      source.focus();
      source.setSelectionRange(selectionStart + before.length + 2, selectionStart + before.length + 2 + alt.length);
      altInput.value = "";
      status.textContent = `Uploaded ${file.name} (${image.width}×${image.height}) and put it in the text.`;
      refreshPreview();
    })
    .catch((err: unknown) => {
      if (err instanceof AccessLost) return failed(err);
      status.textContent = `${file.name} was not uploaded: ${problemText(err)}`;
    })
    .finally(() => {
      // The same file may be chosen again.
      imageFile.value = "";
    });
});

/** The status line under the heading: where the page stands on the site. */
function showStanding(summary: PageSummary | null): void {
  const line = byId("standing");
  if (!summary) {
    line.replaceChildren(badge("new"), " Not saved yet. Saving keeps it as a draft; nothing is on the site until you publish.");
    return;
  }
  const parts: (Node | string)[] = [badge(summary.status), " "];
  if (summary.live) parts.push(`Version ${summary.live.version} is live at `, h("a", { href: summary.url, text: summary.url }), " since ", when(summary.live.since), ". ");
  if (summary.scheduled) parts.push(`Version ${summary.scheduled.version} goes live `, when(summary.scheduled.at), ". ");
  if (!summary.live && !summary.scheduled) parts.push("Not on the site. ");
  parts.push(`Draft: version ${summary.version}, saved `, when(summary.updatedAt), ` by ${who(summary.updatedBy)}.`);
  if (summary.live && summary.unpublishedChanges) parts.push(" It has changes that are not published.");
  line.replaceChildren(...parts);
  byId("unpublish").hidden = !summary.live && !summary.scheduled;
}

/** Puts a page into the editor: a draft from the server, or a new page's starter text. */
function load(draft: Draft | null): void {
  editing.slug = draft?.slug ?? null;
  editing.baseVersion = draft?.version ?? 0;
  editing.summary = draft;
  if (draft) learnSizes(sizes, draft.html);
  source.value = draft?.markdown ?? starter();
  // A new page's starter text is not the author's yet: unchanged, there is nothing to lose.
  editing.saved = source.value;
  byId("editor-heading").textContent = draft ? `Editing “${draft.title}”` : "New page or post";
  document.title = `${draft ? draft.title : "New page"} — Write and publish — StateX`;
  for (const id of ["conflict", "publish-problem", "load-problem", "link-box"]) byId(id).hidden = true;
  byId("publish-status").textContent = "";
  // What a page that is not saved yet cannot do: publish, share, delete, have versions.
  byId("saved-only").hidden = !draft;
  byId("versions").hidden = !draft;
  showStanding(draft);
  refreshPreview();
  if (draft) void showVersions(draft.slug);
}

/** Takes a page's new standing after an action, and the list of versions that goes with it. */
function standingChanged(summary: PageSummary): void {
  editing.summary = summary;
  showStanding(summary);
  if (editing.slug) void showVersions(editing.slug);
}

async function openPage(slug: string): Promise<void> {
  listView.hidden = true;
  editorView.hidden = false;
  // Coming back to the page being edited keeps what the author typed.
  if (editing.slug === slug && dirty()) return;
  byId("unsaved").hidden = true;
  try {
    load(await authoring.draft(slug));
    byId("editor-heading").focus();
  } catch (err) {
    failed(err, byId("load-problem"));
  }
}

function openNew(): void {
  listView.hidden = true;
  editorView.hidden = false;
  // A new page being written is kept likewise.
  if (editing.slug === null && dirty()) return;
  byId("unsaved").hidden = true;
  load(null);
  byId("editor-heading").focus();
}

/** The slug a save goes to: the page's own, or the new page's front matter's. */
function slugToSave(): string | undefined {
  return editing.slug ?? readSource(source.value).front?.slug;
}

/** A 409 from a save: someone saved since. The message names the newer version; the author may load it. */
function showConflict(err: ApiError, slug: string): void {
  byId("conflict-text").textContent = err.problem.detail ?? err.problem.title;
  const newer = /version (\d+)/.exec(err.problem.errors?.find((e) => e.field === "baseVersion")?.message ?? "")?.[1];
  const button = byId<HTMLButtonElement>("conflict-load");
  button.textContent = newer ? `Load version ${newer}` : "Load the newest version";
  button.dataset["slug"] = slug;
  const box = byId("conflict");
  box.hidden = false;
  box.focus();
}

byId("conflict-load").addEventListener("click", () => {
  const slug = byId("conflict-load").dataset["slug"];
  if (!slug) return;
  // What the author wrote stays on the page to copy from: loading the newer version replaces the editor's text.
  byId<HTMLTextAreaElement>("unsaved-text").value = source.value;
  const unsaved = byId<HTMLDetailsElement>("unsaved");
  unsaved.hidden = false;
  unsaved.open = true;
  authoring
    .draft(slug)
    .then((draft) => {
      load(draft);
      history.replaceState(null, "", `#edit/${encodeURIComponent(draft.slug)}`);
    })
    .catch((err: unknown) => failed(err, byId("load-problem")));
});

/** Saves the editor's text as a new version; the draft the server answers, or undefined when it refused. */
async function save(): Promise<Draft | undefined> {
  const status = byId("save-status");
  const slug = slugToSave();
  if (!slug) {
    status.textContent = "";
    byId("source-problems").replaceChildren(h("li", { text: "frontMatter.slug: the page needs a slug before it can be saved" }));
    source.focus();
    return undefined;
  }
  status.textContent = "Saving…";
  byId("conflict").hidden = true;
  try {
    const draft = await authoring.save(slug, source.value, editing.baseVersion);
    const wasNew = editing.slug === null;
    load(draft);
    byId("save-status").textContent = `Saved as version ${draft.version}`;
    if (wasNew) history.replaceState(null, "", `#edit/${encodeURIComponent(draft.slug)}`);
    // Saved: whatever the author kept from a refused save is merged or given up by now.
    byId("unsaved").hidden = true;
    return draft;
  } catch (err) {
    status.textContent = "Not saved";
    if (err instanceof ApiError && err.problem.status === 409) showConflict(err, slug);
    else if (err instanceof ApiError && err.problem.errors?.length) {
      byId("source-problems").replaceChildren(...err.problem.errors.map((e) => h("li", { text: `${e.field}: ${e.message}` })));
      source.setAttribute("aria-invalid", "true");
    } else failed(err, byId("load-problem"));
    return undefined;
  }
}

/** Runs one of the page's actions with its button disabled meanwhile, and its problem shown in the publish card. */
function action(button: HTMLButtonElement, run: () => Promise<void>): void {
  if (button.disabled) return;
  button.disabled = true;
  byId("publish-problem").hidden = true;
  byId("publish-status").textContent = "";
  run()
    .catch((err: unknown) => failed(err, byId("publish-problem")))
    .finally(() => {
      button.disabled = false;
    });
}

byId("save").addEventListener("click", (event) => action(event.currentTarget as HTMLButtonElement, async () => void (await save())));

/** The version to publish: the saved draft, after saving what the author changed since. */
async function savedVersion(): Promise<{ slug: string; version: number } | undefined> {
  if (dirty() || !editing.slug) {
    const draft = await save();
    return draft ? { slug: draft.slug, version: draft.version } : undefined;
  }
  return { slug: editing.slug, version: editing.baseVersion };
}

byId("publish").addEventListener("click", (event) =>
  action(event.currentTarget as HTMLButtonElement, async () => {
    const saved = await savedVersion();
    if (!saved) return;
    const summary = await authoring.publish(saved.slug, saved.version);
    standingChanged(summary);
    byId("publish-status").replaceChildren(`Published version ${saved.version}: `, h("a", { href: summary.url, text: "see it on the site" }), ".");
  }),
);

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
byId("schedule-zone").textContent = `Your time zone: ${zone}.`;

byId<HTMLFormElement>("schedule-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = byId<HTMLInputElement>("schedule-at");
  const button = (event.currentTarget as HTMLFormElement).querySelector("button") as HTMLButtonElement;
  action(button, async () => {
    // datetime-local is the author's wall-clock time; Date reads it in their time zone, the API takes it in UTC.
    const at = input.value ? new Date(input.value) : undefined;
    if (!at || Number.isNaN(at.getTime())) throw new ApiError({ status: 400, title: "Choose the day and time to publish at." });
    const saved = await savedVersion();
    if (!saved) return;
    const summary = await authoring.publish(saved.slug, saved.version, at.toISOString());
    standingChanged(summary);
    byId("publish-status").replaceChildren(
      summary.scheduled ? h("span", {}, `Version ${saved.version} goes live `, when(summary.scheduled.at), ".") : `Published version ${saved.version} now: that time has passed.`,
    );
  });
});

byId("unpublish").addEventListener("click", (event) =>
  action(event.currentTarget as HTMLButtonElement, async () => {
    if (!editing.slug) return;
    standingChanged(await authoring.unpublish(editing.slug));
    byId("publish-status").textContent = "Taken off the site; it is a draft again.";
  }),
);

byId("undraft").addEventListener("click", () => {
  const next = withDraftFalse(source.value);
  if (next === undefined) return;
  source.value = next;
  refreshPreview();
});

byId("make-link").addEventListener("click", (event) =>
  action(event.currentTarget as HTMLButtonElement, async () => {
    if (!editing.slug) return;
    const link = await authoring.previewLink(editing.slug, editing.baseVersion);
    byId<HTMLInputElement>("link-url").value = new URL(link.url, location.origin).href;
    byId("link-status").replaceChildren(`Shows version ${link.version} until `, when(link.expiresAt), dirty() ? ". Your unsaved changes are not in it." : ".");
    byId("link-box").hidden = false;
  }),
);

byId("copy-link").addEventListener("click", () => {
  const input = byId<HTMLInputElement>("link-url");
  const status = byId("link-status");
  navigator.clipboard.writeText(input.value).then(
    () => (status.textContent = "Copied."),
    () => {
      // No clipboard permission (an insecure origin, a refusal): the link is selected for the author to copy.
      input.select();
      status.textContent = "Press Ctrl+C (⌘C) to copy the selected link.";
    },
  );
});

const dialog = byId<HTMLDialogElement>("delete-dialog");
byId("delete").addEventListener("click", () => {
  const summary = editing.summary;
  if (!summary) return;
  byId("delete-dialog-text").textContent = `“${summary.title}” and all ${summary.version === 1 ? "1 version" : `${summary.version} versions`} of it will be gone${summary.live ? ", and it is taken off the site" : ""}. This cannot be undone.`;
  dialog.returnValue = "";
  dialog.showModal();
});
dialog.addEventListener("close", () => {
  const slug = editing.slug;
  if (dialog.returnValue !== "delete" || !slug) return;
  action(byId<HTMLButtonElement>("delete"), async () => {
    await authoring.remove(slug);
    editing.slug = null;
    editing.saved = source.value;
    location.hash = "";
  });
});

// ---- Versions ----

async function showVersions(slug: string): Promise<void> {
  const box = byId("version-list");
  try {
    const { versions, live, scheduled, version: newest } = await authoring.versions(slug);
    const note = (v: Version) =>
      [v.version === newest ? "the draft" : "", live?.version === v.version ? "live" : "", scheduled?.version === v.version ? "scheduled" : "", v.restoredFrom ? `restored from ${v.restoredFrom}` : ""]
        .filter(Boolean)
        .join(", ");
    const restore = (v: Version) => {
      if (v.version === newest) return "";
      const button = h("button", { type: "button", class: "secondary small", text: `Restore version ${v.version}` });
      button.addEventListener("click", () =>
        action(button, async () => {
          if (dirty() && !window.confirm("Restoring replaces your unsaved changes in the editor. Restore anyway?")) return;
          load(await authoring.restore(slug, v.version, editing.baseVersion));
          byId("save-status").textContent = `Version ${v.version} restored as version ${editing.baseVersion}`;
        }),
      );
      return button;
    };
    box.replaceChildren(table("Every saved version, newest first", ["Version", "Title", "Saved", "By", "Note", "Restore"], versions.map((v) => [String(v.version), v.title, when(v.createdAt), who(v.createdBy), note(v), restore(v)]), "author-table"));
  } catch (err) {
    failed(err, box);
  }
}

// ---- Arriving, routing, signing in and out ----

function route(): void {
  if (sections.desk.hidden) return;
  const hash = location.hash.slice(1);
  if (hash === "new") return openNew();
  const slug = /^edit\/(.+)$/.exec(hash)?.[1];
  if (slug) return void openPage(decodeURIComponent(slug));
  void showList();
}

const door = staffDoor({
  roles: AUTHOR_ROLES,
  parts: { signedOut: sections.signedOut, refused: sections.notAuthor, inside: sections.desk },
  signOutButtons: ["signout", "not-author-signout"],
  enter: (session) => {
    byId("who").textContent = `${session.user.name} (${session.user.role})`;
    route();
  },
  refuse: notAuthor,
  leave: () => undefined,
});

// Leaving with unsaved text: the browser asks first.
window.addEventListener("beforeunload", (event) => {
  if (!sections.desk.hidden && !editorView.hidden && dirty()) event.preventDefault();
});
window.addEventListener("hashchange", route);
