/**
 * The authors' side: drafts, publishing and removal. Who may call every route
 * here: authors and ops. The guard is on each route, not `use`d, because these
 * share paths with the public routes (GET /pages/:slug stays open).
 */
import { requireRole } from "@statex/shared/auth";
import { signedInCaller } from "@statex/shared/caller";
import { type Database, database, schema } from "@statex/shared/db";
import { type Envelope, createEvent } from "@statex/shared/events";
import { ProblemError, validationProblem } from "@statex/shared/errors";
import { type AppEnv, limitBody, requireMediaType, validate } from "@statex/shared/http";
import { outboxInsert } from "@statex/shared/outbox";
import { relaySoon } from "@statex/shared/relay";
import { and, desc, eq, sql } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { parsePage } from "../frontmatter";
import { SlugParam, draftSummary, draftView, pageBySlug, publishedView, siteKey } from "../pages";
import { renderSitePage } from "../template";
import { putSitePage } from "./public";
import { errorField } from "@statex/shared/logger";

const MAX_MARKDOWN = 200_000;
const DraftBody = z.strictObject({ markdown: z.string().min(1, "required").max(MAX_MARKDOWN, `at most ${MAX_MARKDOWN} characters`) });

type C = Context<AppEnv<ContentEnv>>;

function contentEvent<T extends "content.published" | "content.updated" | "content.deleted">(c: C, type: T, data: Envelope<T>["data"]) {
  return createEvent(type, data, { correlationId: c.get("requestId"), source: "content" });
}

/** The page source from either body format the route accepts. */
async function markdownOf(c: C): Promise<string> {
  if ((c.req.header("content-type") ?? "").toLowerCase().startsWith("text/markdown")) {
    const text = await c.req.text();
    const result = DraftBody.shape.markdown.safeParse(text);
    if (!result.success) throw validationProblem(result.error.issues, "body");
    return result.data;
  }
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw new ProblemError(400, "malformed-body", "The request body could not be parsed", [{ field: "body", message: "not JSON" }]);
  }
  const result = DraftBody.safeParse(json);
  if (!result.success) throw validationProblem(result.error.issues);
  return result.data.markdown;
}

/**
 * The publish event's outbox row, written only if the page is now at exactly
 * this version and publish time, i.e. only if this request's update won: a
 * publish that lost a race (the row changed after we read it) writes no event.
 */
export function outboxInsertIfPublished(db: Database, event: Envelope<"content.published">, publishedAt: string) {
  const { pages, eventOutbox } = schema;
  return db.insert(eventOutbox).select(
    db
      // drizzle's insert-select wants every column, in the table's order.
      .select({
        id: sql<string>`${event.id}`.as("id"),
        type: sql<string>`${event.type}`.as("type"),
        body: sql<string>`${JSON.stringify(event)}`.as("body"),
        attempts: sql<number>`0`.as("attempts"),
        lastError: sql<string | null>`null`.as("last_error"),
        createdAt: sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`.as("created_at"),
        sentAt: sql<string | null>`null`.as("sent_at"),
      })
      .from(pages)
      .where(and(eq(pages.slug, event.data.slug), eq(pages.version, event.data.version), eq(pages.publishedAt, publishedAt))),
  );
}

const authors = requireRole("author");

export const authoringRoutes = new Hono<AppEnv<ContentEnv>>()
  // Who may call: authors and ops. Every page with its draft state, most recently edited first (no sources).
  .get("/drafts", authors, async (c) => {
    const rows = await database(c.env.DB).select().from(schema.pages).orderBy(desc(schema.pages.updatedAt)).all();
    return c.json({ drafts: rows.map(draftSummary) });
  })
  // Who may call: authors and ops. One draft with its source and a preview.
  .get("/pages/:slug/draft", authors, validate("param", SlugParam), async (c) => {
    return c.json(draftView(await pageBySlug(database(c.env.DB), c.req.valid("param").slug)));
  })
  // Who may call: authors and ops. Creates or updates the draft; the live page waits for publish.
  .put("/pages/:slug", authors, limitBody(256 * 1024), requireMediaType("application/json", "text/markdown"), validate("param", SlugParam), async (c) => {
    const { slug } = c.req.valid("param");
    const markdown = await markdownOf(c);
    const { meta } = parsePage(markdown);
    const { userId } = signedInCaller(c.req.raw.headers);
    const db = database(c.env.DB);
    const existed = await db.select({ slug: schema.pages.slug }).from(schema.pages).where(eq(schema.pages.slug, slug)).get();
    const draft = { title: meta.title, description: meta.description ?? null, draftBody: markdown, updatedBy: userId, updatedAt: new Date().toISOString() };
    const event = contentEvent(c, "content.updated", { slug });
    await db.batch([
      db.insert(schema.pages).values({ slug, ...draft }).onConflictDoUpdate({ target: schema.pages.slug, set: draft }),
      outboxInsert(db, event),
    ]);
    relaySoon(c.executionCtx, db, c.env, c.get("log"), [event]);
    return c.json(draftView(await pageBySlug(db, slug)), existed ? 200 : 201);
  })
  // Who may call: authors and ops. The draft becomes the live page (version + 1); its full HTML goes to R2.
  .post("/pages/:slug/publish", authors, validate("param", SlugParam), async (c) => {
    const { slug } = c.req.valid("param");
    const db = database(c.env.DB);
    const row = await pageBySlug(db, slug);
    // Publishing what is already live changes nothing: no new version, no event.
    if (row.status === "published" && row.draftBody === row.publishedBody) return c.json(publishedView(row));
    const { meta } = parsePage(row.draftBody);
    const version = row.version + 1;
    const publishedAt = new Date().toISOString();
    const event = contentEvent(c, "content.published", { slug, version });
    const [update] = await db.batch([
      db
        .update(schema.pages)
        .set({ status: "published", publishedBody: row.draftBody, publishedTitle: meta.title, publishedDescription: meta.description ?? null, version, publishedAt })
        // Only from the version we read: two authors publishing at once cannot both win.
        .where(and(eq(schema.pages.slug, slug), eq(schema.pages.version, row.version), eq(schema.pages.draftBody, row.draftBody))),
      outboxInsertIfPublished(db, event, publishedAt),
    ]);
    if (update.meta.changes !== 1) throw new ProblemError(409, "edit-conflict", "The page changed while publishing; reload and publish again");
    const log = c.get("log");
    log.info("page published", { slug, version });
    relaySoon(c.executionCtx, db, c.env, log, [event]);
    const page = publishedView(await pageBySlug(db, slug));
    try {
      await putSitePage(c.env.FILES, slug, version, await renderSitePage(page));
    } catch (err) {
      // D1 is the truth of what is live; GET /site re-renders and stores a page R2 lacks.
      log.warn("storing the site page failed; it will be rendered on first view", { slug, error: errorField(err) });
    }
    return c.json(page);
  })
  // Who may call: authors and ops. Removes the page, live and draft, and its HTML in R2.
  .delete("/pages/:slug", authors, validate("param", SlugParam), async (c) => {
    const { slug } = c.req.valid("param");
    const db = database(c.env.DB);
    await pageBySlug(db, slug);
    const event = contentEvent(c, "content.deleted", { slug });
    await db.batch([db.delete(schema.pages).where(eq(schema.pages.slug, slug)), outboxInsert(db, event)]);
    relaySoon(c.executionCtx, db, c.env, c.get("log"), [event]);
    // After the row: if this fails, GET /site already answers 404 (it asks D1 first), and the next delete retries nothing harmful.
    await c.env.FILES.delete(siteKey(slug));
    return c.body(null, 204);
  });
