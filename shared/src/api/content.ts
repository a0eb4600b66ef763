/**
 * content's part of the public API: the published pages, search and media for anyone, and the authors' drafts,
 * versions, publishing and preview links. content validates with these very schemas, and its tests parse its real
 * answers with the answer schemas here.
 */
import { z } from "zod";
import { Slug } from "../slug";
import { type Answer, type Operation, json } from "../openapi";
import { Timestamp } from "./common";

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

const Kind = z.enum(["page", "post"]);
const Version = z.number().int().min(1);
const Hero = z.object({ url: z.string(), alt: z.string(), width: z.number().int(), height: z.number().int() });

/** A published page or post without its body, as the listings give it; `date` is what it shows and sorts by. */
export const PublishedSummary = z.object({
  slug: z.string(),
  kind: Kind,
  title: z.string(),
  summary: z.string().nullable(),
  tags: z.array(z.string()),
  locale: z.string(),
  author: z.string().nullable(),
  date: Timestamp,
  hero: Hero.nullable(),
  /** The saved version that is live. */
  version: Version,
  /** When the page first went live. */
  publishedAt: Timestamp,
  /** When the version now live went live. */
  updatedAt: Timestamp,
});
export const PublishedList = z.object({ pages: z.array(PublishedSummary) });
/** A published page with its rendered body (not a whole document). */
export const PublishedPage = PublishedSummary.extend({ html: z.string() });

/** Where a page stands, as the authors' list shows it; `version` is the draft and the next save's baseVersion. */
export const PageStanding = z.object({
  slug: z.string(),
  title: z.string(),
  version: z.number().int().min(0),
  status: z.enum(["draft", "scheduled", "published"]),
  live: z.object({ version: Version, since: Timestamp }).nullable(),
  scheduled: z.object({ version: Version, at: Timestamp }).nullable(),
  unpublishedChanges: z.boolean(),
  updatedAt: Timestamp,
  updatedBy: z.string().nullable(),
  url: z.string(),
});
export const Drafts = z.object({ pages: z.array(PageStanding) });

/**
 * The front matter as read (defaults filled in). Written out here rather than taken from markdown.ts, whose YAML
 * parser and renderer must stay out of the gateway, which builds the document from these schemas.
 */
const ReadFrontMatter = z.object({
  title: z.string(),
  slug: z.string(),
  summary: z.string().optional(),
  kind: Kind,
  tags: z.array(z.string()),
  locale: z.string(),
  author: z.string().optional(),
  date: z.string().optional(),
  hero: z.string().optional(),
  heroAlt: z.string().optional(),
  draft: z.boolean(),
});
/** A draft as its author opens it: `front` is null (and `problems` says why) for a source whose front matter no longer reads. */
export const Draft = PageStanding.extend({
  markdown: z.string(),
  front: ReadFrontMatter.nullable(),
  html: z.string(),
  problems: z.array(z.object({ field: z.string(), message: z.string() })),
});

const VersionFields = { version: Version, title: z.string(), restoredFrom: Version.nullable(), createdBy: z.string().nullable(), createdAt: Timestamp };
export const Versions = z.object({
  slug: z.string(),
  version: z.number().int().min(0),
  live: PageStanding.shape.live,
  scheduled: PageStanding.shape.scheduled,
  versions: z.array(z.object(VersionFields)),
});
export const SavedVersion = z.object({ slug: z.string(), markdown: z.string(), ...VersionFields });
export const PreviewLink = z.object({ url: z.string(), expiresAt: Timestamp, version: Version });
/** An image upload: one file part named `file` (content checks what its bytes are, not what it is called). */
export const UploadForm = z.object({
  file: z.file({ error: "an image file (multipart field file)" }).describe("One image: PNG, JPEG, WebP or GIF"),
});
export const Uploaded = z.object({
  url: z.string(),
  type: z.enum(["image/png", "image/jpeg", "image/webp", "image/gif"]),
  width: z.number().int(),
  height: z.number().int(),
  size: z.number().int(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export const SearchResults = z.object({
  query: z.string(),
  results: z.array(
    z.object({
      slug: z.string(),
      url: z.string(),
      kind: Kind,
      title: z.string(),
      /** The title as HTML, matched words in <mark>. */
      titleHtml: z.string(),
      summary: z.string().nullable(),
      /** Words around the matches in the body as HTML, matched words in <mark>. */
      snippet: z.string(),
      date: Timestamp,
      tags: z.array(z.string()),
    }),
  ),
});

/** A whole document of another media type than JSON, its body a string. */
const documentOf = (type: string, description: string): Answer => ({ description, type, schema: z.string() });

/** The operations of content's routes, which the gateway's table names row by row (what each takes and answers). */
export const operations = {
  list: { query: ListQuery, responses: { 200: json(PublishedList) } },
  page: { params: SlugParam, responses: { 200: json(PublishedPage) } },
  feed: { responses: { 200: documentOf("application/rss+xml", "The feed (RSS 2.0)") } },
  sitemap: { responses: { 200: documentOf("application/xml", "The sitemap") } },
  tagPage: { responses: { 200: documentOf("text/html", "The tag's page") } },
  sitePage: { responses: { 200: documentOf("text/html", "The page") } },
  search: { query: SearchQuery, responses: { 200: json(SearchResults) } },
  media: {
    params: MediaParam,
    responses: { 200: { description: "The image, as the type its bytes are", type: "image/*" }, 304: { description: "Not modified (If-None-Match named it)" } },
  },
  preview: { params: SlugParam, query: PreviewQuery, responses: { 200: documentOf("text/html", "The version as the site would show it") }, errors: [403, 410] },
  drafts: { responses: { 200: json(Drafts) } },
  draft: { params: SlugParam, responses: { 200: json(Draft) } },
  save: {
    params: SlugParam,
    body: SaveBody,
    bodyTypes: { "text/markdown": SaveBody.shape.markdown.describe("The page's Markdown with its front matter, as the body itself; the version it is based on as ?baseVersion= (0 for a new page)") },
    responses: { 200: json(Draft, "Saved: the draft as it now stands"), 201: json(Draft, "Created: the page's first version") },
    errors: [409, 413],
  },
  versions: { params: SlugParam, responses: { 200: json(Versions) } },
  version: { params: VersionParam, responses: { 200: json(SavedVersion) } },
  restore: { params: VersionParam, body: RestoreBody, responses: { 200: json(Draft, "Restored: the draft as it now stands") }, errors: [409] },
  publish: { params: SlugParam, body: PublishBody, responses: { 200: json(PageStanding, "Published or scheduled: where the page now stands") }, errors: [409] },
  unpublish: { params: SlugParam, responses: { 200: json(PageStanding, "A draft again") } },
  remove: { params: SlugParam, responses: { 204: { description: "Deleted, with every version" } } },
  previewLink: { params: SlugParam, body: PreviewBody, responses: { 201: json(PreviewLink, "Created") } },
  upload: { bodyTypes: { "multipart/form-data": UploadForm }, responses: { 201: json(Uploaded, "Stored") }, errors: [413] },
} satisfies Record<string, Operation>;
