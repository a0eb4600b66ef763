/**
 * The content worker's authoring routes as the author page calls them (their shapes: workers/content/src/pages.ts and
 * routes/authoring.ts). A 401 or 403 becomes {@link AccessLost}, so the page as a whole shows sign-in or "authors only"
 * rather than each control saying it failed.
 */
import { AccessLost, opsApi } from "./ops-ui";

export { AccessLost };

export type PageStatus = "draft" | "scheduled" | "published";

/** A page as the authors' list and every action's answer show it. */
export type PageSummary = {
  slug: string;
  title: string;
  /** The newest saved version: the draft, and the base of the next save. */
  version: number;
  status: PageStatus;
  live: { version: number; since: string } | null;
  scheduled: { version: number; at: string } | null;
  unpublishedChanges: boolean;
  updatedAt: string;
  updatedBy: string;
  url: string;
};

/** A draft as the editor opens it: its standing, its source, and the server's own rendering of it. */
export type Draft = PageSummary & { markdown: string; html: string; problems: { field: string; message: string }[] };

export type Version = { version: number; title: string; restoredFrom: number | null; createdBy: string; createdAt: string };
export type Versions = { slug: string; version: number; live: PageSummary["live"]; scheduled: PageSummary["scheduled"]; versions: Version[] };
export type Upload = { url: string; type: string; width: number; height: number; size: number; sha256: string };
export type PreviewLink = { url: string; expiresAt: string; version: number };

// The ops console's call already turns 401 and 403 into AccessLost; the authoring routes need the same and no more.
const call = opsApi;
const page = (slug: string) => `/api/pages/${encodeURIComponent(slug)}`;
const json = (method: string, body: unknown): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export const authoring = {
  list: () => call<{ pages: PageSummary[] }>("/api/drafts").then((r) => r.pages),
  draft: (slug: string) => call<Draft>(`${page(slug)}/draft`),
  /** A new version on top of `baseVersion` (0 for a new page); 409 when someone saved since. */
  save: (slug: string, markdown: string, baseVersion: number) => call<Draft>(page(slug), json("PUT", { markdown, baseVersion })),
  versions: (slug: string) => call<Versions>(`${page(slug)}/versions`),
  restore: (slug: string, version: number, baseVersion: number) => call<Draft>(`${page(slug)}/versions/${version}/restore`, json("POST", { baseVersion })),
  /** Live now, or from `at` (ISO) when it is later. */
  publish: (slug: string, version: number, at?: string) => call<PageSummary>(`${page(slug)}/publish`, json("POST", at ? { version, at } : { version })),
  unpublish: (slug: string) => call<PageSummary>(`${page(slug)}/unpublish`, { method: "POST" }),
  remove: (slug: string) => call<undefined>(page(slug), { method: "DELETE" }),
  previewLink: (slug: string, version: number) => call<PreviewLink>(`${page(slug)}/preview-link`, json("POST", { version })),
  /** One image as the `file` field of a form; the browser sets the multipart boundary. */
  upload: (file: File) => {
    const form = new FormData();
    form.append("file", file);
    return call<Upload>("/api/media", { method: "POST", body: form });
  },
};
