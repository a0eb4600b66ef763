/**
 * The authors' side: drafts and their versions, publishing now or at a time, unpublishing, deleting, and preview
 * links. Who may call every route here: authors and ops (and admins). The guard is on each route, not `use`d, because
 * these share paths with the public routes (GET /pages/:slug stays open).
 */
import { requireRole } from "@statex/shared/auth";
import { signedInCaller } from "@statex/shared/caller";
import { type Database, database, schema } from "@statex/shared/db";
import { ProblemError, validationProblem } from "@statex/shared/errors";
import { type AppEnv, limitBody, requireMediaType, validate } from "@statex/shared/http";
import { eq, sql } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { PreviewBody, PublishBody, RestoreBody, SaveBody } from "@statex/shared/api/content";
import { SlugParam, VersionParam, pageBySlug, pageList, pageSummary, versionList, versionOf } from "../pages";
import { previewLink } from "../preview";
import { type Scope, deletePage, publishNow, schedule, unpublish } from "../publishing";
import { batch } from "../batch";
import { type RenderedPage, renderBody, renderPage } from "../render";

type C = Context<AppEnv<ContentEnv>>;

/** The longest a schedule may reach: further than that is a typo in the year. */
const MAX_SCHEDULE_MS = 5 * 365 * 24 * 3600 * 1000;

function scope(c: C): Scope {
  return { env: c.env, ctx: c.executionCtx, db: database(c.env.DB), log: c.get("log"), correlationId: c.get("requestId") };
}

/** A JSON body that may be left out (`{}` then), for actions whose every field is optional. */
async function optionalJson<S extends z.ZodType>(c: C, schema: S): Promise<z.output<S>> {
  const text = await c.req.text();
  let json: unknown = {};
  if (text.trim()) {
    if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("application/json")) {
      throw new ProblemError(415, "unsupported-media-type", "Send the body as application/json", [{ field: "content-type", message: "expected application/json" }]);
    }
    try {
      json = JSON.parse(text);
    } catch {
      throw new ProblemError(400, "malformed-body", "The request body could not be parsed", [{ field: "body", message: "not JSON" }]);
    }
  }
  const result = schema.safeParse(json);
  if (!result.success) throw validationProblem(result.error.issues);
  return result.data;
}

/** The page source and base version from either body format: JSON, or markdown itself with ?baseVersion=. */
async function saveBodyOf(c: C): Promise<z.output<typeof SaveBody>> {
  if ((c.req.header("content-type") ?? "").toLowerCase().startsWith("text/markdown")) {
    const markdown = SaveBody.shape.markdown.safeParse(await c.req.text());
    if (!markdown.success) throw validationProblem(markdown.error.issues, "body");
    const base = SaveBody.shape.baseVersion.safeParse(c.req.query("baseVersion"));
    if (!base.success) throw validationProblem(base.error.issues, "query.baseVersion");
    return { markdown: markdown.data, baseVersion: base.data };
  }
  return optionalJson(c, SaveBody);
}

/** Reads and renders a source as it will be published; its slug must be the page's own. */
async function renderSource(db: Database, env: ContentEnv, slug: string, markdown: string): Promise<RenderedPage> {
  const page = await renderPage(db, markdown, env.SITE_URL);
  if (page.front.slug !== slug) {
    throw new ProblemError(400, "invalid-front-matter", "Invalid frontMatter.slug", [{ field: "frontMatter.slug", message: `must be the page's own, ${slug}` }]);
  }
  return page;
}

/**
 * Saves a source as the page's next version, if the page is still at `baseVersion` (0: it does not exist yet):
 * otherwise someone saved since, and the save is refused (409) naming the newer version. One batch: the page's row
 * moves to the new version only where it still is at the base, and the version is written only if that happened.
 */
async function saveVersion(d1: D1Database, slug: string, markdown: string, title: string, baseVersion: number, by: string, restoredFrom: number | null) {
  const { pages } = schema;
  const version = baseVersion + 1;
  const at = new Date().toISOString();
  const row = { title, version, updatedBy: by, updatedAt: at };
  const db = database(d1);
  const [moved] = await batch(d1, [
    db.insert(pages).values({ slug, ...row }).onConflictDoUpdate({ target: pages.slug, set: row, setWhere: eq(pages.version, baseVersion) }),
    sql`insert into page_versions (slug, version, body, title, restored_from, created_by, created_at)
      select ${slug}, ${version}, ${markdown}, ${title}, ${restoredFrom}, ${by}, ${at}
      where exists (select 1 from pages where slug = ${slug} and version = ${version} and updated_at = ${at} and updated_by = ${by})
      on conflict do nothing`,
  ]);
  if (moved?.meta.changes === 1) return version;
  const current = await db.select({ version: pages.version }).from(pages).where(eq(pages.slug, slug)).get();
  const newer = current?.version ?? 0;
  throw new ProblemError(409, "edit-conflict", `Version ${newer} of this page was saved after version ${baseVersion}: load it and save again`, [
    { field: "baseVersion", message: `version ${newer} is the newest` },
  ]);
}

/** The draft as its author opens it: its standing, its source, its front matter and its preview. */
async function draftView(c: C, slug: string) {
  const db = database(c.env.DB);
  const summary = await pageSummary(db, slug);
  const source = await versionOf(db, slug, summary.version);
  let preview: { front: RenderedPage["front"] | null; html: string; problems: unknown[] };
  try {
    const { front, html } = await renderPage(db, source.body, c.env.SITE_URL);
    preview = { front, html, problems: [] };
  } catch (err) {
    // A page carried over from before today's front matter: its body still previews, and the problems say what to fix.
    if (!(err instanceof ProblemError)) throw err;
    preview = { front: null, html: (await renderBody(db, source.body)).html, problems: err.errors ?? [] };
  }
  return { ...summary, markdown: source.body, ...preview };
}

const authors = requireRole("author");

export const authoringRoutes = new Hono<AppEnv<ContentEnv>>()
  // Who may call: authors and ops. Every page with where it stands (draft, scheduled, published), most recently saved first.
  .get("/drafts", authors, async (c) => c.json({ pages: await pageList(database(c.env.DB)) }))
  // Who may call: authors and ops. A page's draft (its newest version) with its source and preview.
  .get("/pages/:slug/draft", authors, validate("param", SlugParam), async (c) => c.json(await draftView(c, c.req.valid("param").slug)))
  // Who may call: authors and ops. Saves a new version: {markdown, baseVersion} (or text/markdown, ?baseVersion=).
  .put("/pages/:slug", authors, limitBody(256 * 1024), requireMediaType("application/json", "text/markdown"), validate("param", SlugParam), async (c) => {
    const { slug } = c.req.valid("param");
    const { markdown, baseVersion } = await saveBodyOf(c);
    const db = database(c.env.DB);
    const page = await renderSource(db, c.env, slug, markdown);
    const { userId } = signedInCaller(c.req.raw.headers);
    const version = await saveVersion(c.env.DB, slug, markdown, page.front.title, baseVersion, userId, null);
    c.get("log").info("page saved", { slug, version });
    return c.json(await draftView(c, slug), version === 1 ? 201 : 200);
  })
  // Who may call: authors and ops. Every saved version of a page, newest first.
  .get("/pages/:slug/versions", authors, validate("param", SlugParam), async (c) => {
    const { slug } = c.req.valid("param");
    const db = database(c.env.DB);
    const [summary, versions] = await Promise.all([pageSummary(db, slug), versionList(db, slug)]);
    return c.json({ slug, version: summary.version, live: summary.live, scheduled: summary.scheduled, versions });
  })
  // Who may call: authors and ops. One saved version with its source.
  .get("/pages/:slug/versions/:n", authors, validate("param", VersionParam), async (c) => {
    const { slug, n } = c.req.valid("param");
    const row = await versionOf(database(c.env.DB), slug, n);
    return c.json({ slug, version: row.version, title: row.title, markdown: row.body, restoredFrom: row.restoredFrom, createdBy: row.createdBy, createdAt: row.createdAt });
  })
  // Who may call: authors and ops. An earlier version's source saved again as the newest version (the draft).
  .post("/pages/:slug/versions/:n/restore", authors, validate("param", VersionParam), async (c) => {
    const { slug, n } = c.req.valid("param");
    const body = await optionalJson(c, RestoreBody);
    const db = database(c.env.DB);
    const [page, old] = await Promise.all([pageBySlug(db, slug), versionOf(db, slug, n)]);
    const rendered = await renderSource(db, c.env, slug, old.body);
    const { userId } = signedInCaller(c.req.raw.headers);
    const version = await saveVersion(c.env.DB, slug, old.body, rendered.front.title, body.baseVersion ?? page.version, userId, n);
    c.get("log").info("version restored", { slug, from: n, version });
    return c.json(await draftView(c, slug));
  })
  // Who may call: authors and ops. The draft (or {version}) live now, or from {at}; the cron publishes it then.
  .post("/pages/:slug/publish", authors, validate("param", SlugParam), async (c) => {
    const { slug } = c.req.valid("param");
    const body = await optionalJson(c, PublishBody);
    const s = scope(c);
    const page = await pageBySlug(s.db, slug);
    const version = body.version ?? page.version;
    const source = await versionOf(s.db, slug, version);
    const rendered = await renderSource(s.db, c.env, slug, source.body);
    if (rendered.front.draft) {
      throw new ProblemError(409, "still-a-draft", `Version ${version} says draft: true; save it with draft: false to publish it`, [
        { field: "frontMatter.draft", message: "must be false to publish" },
      ]);
    }
    const { userId } = signedInCaller(c.req.raw.headers);
    const now = new Date();
    const at = body.at ? new Date(body.at) : undefined;
    if (at && at.getTime() - now.getTime() > MAX_SCHEDULE_MS) throw new ProblemError(400, "validation-error", "Invalid at", [{ field: "at", message: "at most 5 years ahead" }]);
    if (at && at > now) await schedule(s, slug, version, rendered, userId, at, now);
    else await publishNow(s, slug, version, rendered, userId, now);
    return c.json(await pageSummary(s.db, slug));
  })
  // Who may call: authors and ops. Off the site (and any schedule cancelled): a draft again.
  .post("/pages/:slug/unpublish", authors, validate("param", SlugParam), async (c) => {
    const { slug } = c.req.valid("param");
    const s = scope(c);
    await pageBySlug(s.db, slug);
    await unpublish(s, slug, signedInCaller(c.req.raw.headers).userId);
    return c.json(await pageSummary(s.db, slug));
  })
  // Who may call: authors and ops. The page, every version and publication of it, gone.
  .delete("/pages/:slug", authors, validate("param", SlugParam), async (c) => {
    const { slug } = c.req.valid("param");
    await deletePage(scope(c), slug, signedInCaller(c.req.raw.headers).userId);
    return c.body(null, 204);
  })
  // Who may call: authors and ops. A link that shows the draft (or {version}) to anyone holding it, until it expires.
  .post("/pages/:slug/preview-link", authors, validate("param", SlugParam), async (c) => {
    const { slug } = c.req.valid("param");
    const body = await optionalJson(c, PreviewBody);
    const db = database(c.env.DB);
    const version = body.version ?? (await pageBySlug(db, slug)).version;
    await versionOf(db, slug, version);
    return c.json(await previewLink(c.env.PREVIEW_TOKEN_SECRET, slug, version, body.expiresInMinutes * 60_000), 201);
  });
