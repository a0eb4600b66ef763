import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Template, TemplateList, TemplateVersions } from "@statex/shared/api/templates";
import type { Role } from "@statex/shared/auth";
import { describe, expect, it } from "vitest";
import worker from "../src/index";

type As = { userId: string; role: Role };
const author: As = { userId: "usr_AUTHOR", role: "author" };
const ops: As = { userId: "usr_OPS", role: "ops" };
const client: As = { userId: "usr_CLIENT", role: "client" };

async function call(path: string, init: { method?: string; as?: As; body?: unknown } = {}) {
  const headers = new Headers();
  if (init.as) {
    headers.set("x-statex-user-id", init.as.userId);
    headers.set("x-statex-user-role", init.as.role);
  }
  if (init.body !== undefined) headers.set("content-type", "application/json");
  const ctx = createExecutionContext();
  const req = new Request(`http://ai${path}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? null : JSON.stringify(init.body) });
  const res = await worker.fetch(req, env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

type Problem = { status: number; errors?: { field: string; message: string }[] };
const body = "# {{title}}\n\n{{summary}}\n\n## Features\n{{features}}\n\n## Questions\n{{questions}}";
const input = { slug: "clinic-website", category: "website", title: "Clinic website", body, requiredFields: ["summary", "features"] };

describe("template API", () => {
  it("lists the seeded templates, one active per category", async () => {
    const res = await call("/templates?status=active", { as: author });
    expect(res.status).toBe(200);
    const { templates } = TemplateList.parse(await res.json());
    expect(templates.map((t) => t.category).sort()).toEqual(["ai-assistant", "automation-bot", "data-dashboards", "e-commerce", "integration", "mobile-app", "other", "website"]);
    expect(templates.every((t) => t.version === 1 && t.requiredFields.includes("summary"))).toBe(true);
  });

  it("refuses anonymous callers (401) and clients (403) as problem+json", async () => {
    const anonymous = await call("/templates");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toBe("application/problem+json");
    expect((await call("/templates", { as: client })).status).toBe(403);
    expect((await call("/templates", { method: "POST", as: client, body: input })).status).toBe(403);
    expect((await call("/templates/tpl_website/retire", { method: "POST", as: client })).status).toBe(403);
  });

  it("validates, naming each field that failed", async () => {
    const res = await call("/templates", { method: "POST", as: author, body: { slug: "Bad Slug", category: "poetry", title: "", body: "{{summary}} {{nonsense}}", requiredFields: ["features"] } });
    expect(res.status).toBe(400);
    const fields = ((await res.json<Problem>()).errors ?? []).map((e) => e.field).sort();
    expect(fields).toEqual(expect.arrayContaining(["slug", "category", "title"]));
    const placeholders = await call("/templates", { method: "POST", as: author, body: { ...input, body: "{{summary}} {{nonsense}}", requiredFields: ["features"] } });
    const errors = (await placeholders.json<Problem>()).errors ?? [];
    expect(errors).toEqual(expect.arrayContaining([
      { field: "body", message: expect.stringContaining("{{nonsense}}") },
      { field: "requiredFields.0", message: "{{features}} is required but not in the body" },
    ]));
    expect((await call("/templates/tpl_website", { method: "PUT", as: author, body: {} })).status).toBe(400);
  });

  it("creates, updates as new versions with history, refuses a lost update, and retires", async () => {
    const created = await call("/templates", { method: "POST", as: author, body: input });
    expect(created.status).toBe(201);
    const tpl = Template.parse(await created.json());
    expect(tpl).toMatchObject({ slug: "clinic-website", version: 1, status: "active", updatedBy: "usr_AUTHOR" });
    expect(created.headers.get("location")).toBe(`/templates/${tpl.id}`);
    expect((await call("/templates", { method: "POST", as: author, body: input })).status).toBe(409);

    const updated = await call(`/templates/${tpl.id}`, { method: "PUT", as: ops, body: { title: "Clinic website v2", version: 1 } });
    expect(updated.status).toBe(200);
    expect(Template.parse(await updated.json())).toMatchObject({ id: tpl.id, version: 2, title: "Clinic website v2", body, updatedBy: "usr_OPS" });
    const stale = await call(`/templates/${tpl.id}`, { method: "PUT", as: author, body: { title: "Mine", version: 1 } });
    expect(stale.status).toBe(409);

    const history = TemplateVersions.parse(await (await call(`/templates/${tpl.id}/versions`, { as: author })).json());
    expect(history.versions.map((v) => [v.version, v.title])).toEqual([[2, "Clinic website v2"], [1, "Clinic website"]]);

    const retired = await call(`/templates/${tpl.id}/retire`, { method: "POST", as: author });
    expect(Template.parse(await retired.json())).toMatchObject({ status: "retired", version: 2 });
    expect((await call(`/templates/${tpl.id}/retire`, { method: "POST", as: author })).status).toBe(200);
    expect((await call(`/templates/${tpl.id}`, { method: "PUT", as: author, body: { title: "Again" } })).status).toBe(409);
    const active = TemplateList.parse(await (await call("/templates?category=website&status=active", { as: author })).json());
    expect(active.templates.map((t) => t.id)).toEqual(["tpl_website"]);
  });

  it("keeps the last active fallback template, and answers 404 for an unknown id", async () => {
    const res = await call("/templates/tpl_other/retire", { method: "POST", as: ops });
    expect(res.status).toBe(409);
    expect((await call("/templates/tpl_nope", { as: author })).status).toBe(404);
    const seeded = await call("/templates/tpl_other", { as: author });
    expect(Template.parse(await seeded.json())).toMatchObject({ id: "tpl_other", category: "other", status: "active" });
    expect((await call("/templates/not-an-id", { as: author })).status).toBe(400);
  });
});
