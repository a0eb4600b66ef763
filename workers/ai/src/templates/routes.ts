/**
 * The template repository's API. Who may call every route here: authors and
 * ops (through the gateway's /api/templates, which vouches for the caller).
 */
import { requireRole } from "@statex/shared/auth";
import { signedInCaller } from "@statex/shared/caller";
import { type AppEnv, limitBody, requireMediaType, validate } from "@statex/shared/http";
import { TemplateId, TemplateInput, TemplateQuery, TemplateUpdate } from "@statex/shared/api/templates";
import { Hono } from "hono";
import { TemplateStore } from "./store";

const authors = requireRole("author");
const json = [limitBody(128 * 1024), requireMediaType("application/json")] as const;


export const templateRoutes = new Hono<AppEnv<AiEnv>>()
  .use(authors)
  // Every template (?category=&status=), grouped by category.
  .get("/", validate("query", TemplateQuery), async (c) => {
    const rows = await new TemplateStore(c.env.DB).list(c.req.valid("query"));
    return c.json({ templates: rows });
  })
  .get("/:id", validate("param", TemplateId), async (c) => c.json(await new TemplateStore(c.env.DB).get(c.req.valid("param").id)))
  // The history: every version as it was saved, newest first.
  .get("/:id/versions", validate("param", TemplateId), async (c) => {
    const versions = await new TemplateStore(c.env.DB).versions(c.req.valid("param").id);
    return c.json({ versions: versions });
  })
  .post("/", ...json, validate("json", TemplateInput), async (c) => {
    const created = await new TemplateStore(c.env.DB).create(c.req.valid("json"), signedInCaller(c.req.raw.headers).userId);
    return c.json(created, 201, { location: `/templates/${created.id}` });
  })
  // A new version; send `version` (the one you edited) to be refused rather than overwrite someone else's.
  .put("/:id", ...json, validate("param", TemplateId), validate("json", TemplateUpdate), async (c) => {
    const store = new TemplateStore(c.env.DB);
    return c.json(await store.update(c.req.valid("param").id, c.req.valid("json"), signedInCaller(c.req.raw.headers).userId));
  })
  // Prototypes stop using it; its versions stay readable.
  .post("/:id/retire", validate("param", TemplateId), async (c) => {
    return c.json(await new TemplateStore(c.env.DB).retire(c.req.valid("param").id, signedInCaller(c.req.raw.headers).userId));
  });
