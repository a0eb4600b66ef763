/**
 * content's part of the public API: the published pages, search and media for anyone, and the authors' drafts,
 * versions, publishing and preview links. content validates with these very schemas. The answers are not described
 * here yet (the document says so), only what each route takes.
 */
import { z } from "zod";
import { Slug } from "../slug";
import type { Operation } from "../openapi";

export const SlugParam = z.object({ slug: Slug });
export const VersionParam = SlugParam.extend({ n: z.coerce.number().int("a whole number").min(1, "at least 1").max(1_000_000, "at most 1000000") });
export const ListQuery = z.object({ kind: z.enum(["page", "post"]).optional() });

/** What a search box sends: words, "quoted phrases" and word* prefixes; anything else in it is only a separator. */
export const SearchQuery = z.object({
  q: z.string().trim().min(1, "required").max(200, "at most 200 characters"),
  limit: z.coerce.number().int().min(1, "at least 1").max(50, "at most 50").default(10),
});

export const PreviewQuery = z.object({ token: z.string().min(1, "required").max(200, "at most 200 characters") });
export const MediaParam = z.object({ file: z.string().regex(/^([0-9a-f]{64})\.(png|jpg|webp|gif)$/, "<sha256>.<png|jpg|webp|gif>") });

const MAX_MARKDOWN = 200_000;
const Markdown = z.string().min(1, "required").max(MAX_MARKDOWN, `at most ${MAX_MARKDOWN} characters`);
/** The version a save is based on: the `version` the author loaded (0 for a new page). A save based on an older one is refused. */
const BaseVersion = z.coerce.number().int("a whole number").min(0, "at least 0");
export const SaveBody = z.strictObject({ markdown: Markdown, baseVersion: BaseVersion.default(0) });
export const RestoreBody = z.strictObject({ baseVersion: BaseVersion.optional() });
export const PublishBody = z.strictObject({
  /** When to go live (an ISO date-time with its offset); now, or in the past, publishes now. */
  at: z.iso.datetime({ offset: true, error: "an ISO date-time with its offset (2026-05-01T09:00:00Z)" }).optional(),
  /** Which saved version; the newest (the draft) if not given. */
  version: z.number().int("a whole number").min(1, "at least 1").optional(),
});
export const PreviewBody = z.strictObject({
  version: z.number().int("a whole number").min(1, "at least 1").optional(),
  /** How long the link works, in minutes: a day unless asked, a week at most. */
  expiresInMinutes: z.number().int("a whole number").min(1, "at least 1").max(7 * 24 * 60, "at most 10080 (a week)").default(24 * 60),
});

/** The operations of content's routes, which the gateway's table names row by row (what each takes). */
export const operations = {
  list: { query: ListQuery },
  page: { params: SlugParam },
  search: { query: SearchQuery },
  media: { params: MediaParam },
  preview: { params: SlugParam, query: PreviewQuery, errors: [403, 410] },
  draft: { params: SlugParam },
  save: { params: SlugParam, body: SaveBody, bodyTypes: { "text/markdown": null }, errors: [409, 413] },
  versions: { params: SlugParam },
  version: { params: VersionParam },
  restore: { params: VersionParam, body: RestoreBody, errors: [409] },
  publish: { params: SlugParam, body: PublishBody, errors: [409] },
  unpublish: { params: SlugParam },
  remove: { params: SlugParam },
  previewLink: { params: SlugParam, body: PreviewBody },
  upload: { bodyTypes: { "multipart/form-data": null }, errors: [413] },
} satisfies Record<string, Operation>;
