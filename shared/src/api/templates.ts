/**
 * The template repository's part of the public API (the ai worker's /templates, for authors). What a template must
 * be to be saved: known placeholders only, and every required field present in the body. Checked at the API's edge
 * so a broken template never reaches a client's draft; the ai worker validates with these very schemas.
 */
import { z } from "zod";
import { json, type Operation } from "../openapi";
import { PLACEHOLDER_NAMES, isPlaceholder, placeholdersIn } from "../placeholders";
import { Category } from "../tasks";
import { Timestamp } from "./common";

const MAX_BODY = 50_000;

const fields = {
  category: Category,
  title: z.string().trim().min(1, "required").max(200, "at most 200 characters"),
  body: z.string().min(1, "required").max(MAX_BODY, `at most ${MAX_BODY} characters`),
  requiredFields: z.array(z.enum(PLACEHOLDER_NAMES as [string, ...string[]])).max(PLACEHOLDER_NAMES.length),
};

/** Unknown placeholders in the body, and required fields the body never uses, as issues on those fields. */
function checkPlaceholders(value: { body?: string | undefined; requiredFields?: string[] | undefined }, ctx: z.RefinementCtx): void {
  if (value.body === undefined) return;
  const used = placeholdersIn(value.body);
  const unknown = used.filter((n) => !isPlaceholder(n));
  if (unknown.length) {
    ctx.addIssue({ code: "custom", path: ["body"], message: `unknown placeholders: ${unknown.map((n) => `{{${n}}}`).join(", ")}; known: ${PLACEHOLDER_NAMES.join(", ")}` });
  }
  (value.requiredFields ?? []).forEach((f, i) => {
    if (!used.includes(f)) ctx.addIssue({ code: "custom", path: ["requiredFields", i], message: `{{${f}}} is required but not in the body` });
  });
}

export const TemplateInput = z
  .strictObject({
    slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lower-case words joined by hyphens").max(64, "at most 64 characters"),
    ...fields,
    requiredFields: fields.requiredFields.default([]),
  })
  .superRefine(checkPlaceholders);

/** An update: any of the content fields, and optionally the version it was edited from (for a 409 on a lost update). */
export const TemplateUpdate = z
  .strictObject({
    category: fields.category.optional(),
    title: fields.title.optional(),
    body: fields.body.optional(),
    requiredFields: fields.requiredFields.optional(),
    version: z.number().int().min(1).optional(),
  })
  .refine((v) => v.category !== undefined || v.title !== undefined || v.body !== undefined || v.requiredFields !== undefined, {
    message: "change at least one of category, title, body, requiredFields",
    path: ["body"],
  })
  .superRefine(checkPlaceholders);

export const TemplateQuery = z.strictObject({
  category: Category.optional(),
  status: z.enum(["active", "retired"]).optional(),
});

export const TemplateId = z.object({ id: z.string().regex(/^tpl_[A-Za-z0-9_]{1,64}$/, "a template id (tpl_…)") });

/** A template at its current version, as the ai worker keeps it (its id stays for life; `version` counts saves). */
export const Template = z.object({
  id: z.string(),
  slug: z.string(),
  category: Category,
  version: z.number().int().min(1),
  title: z.string(),
  body: z.string(),
  requiredFields: z.array(z.string()),
  status: z.enum(["active", "retired"]),
  // The seeded templates were saved by no one.
  updatedBy: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** One saved version of a template, unchanged since: what a prototype that recorded (id, version) was drafted from. */
export const TemplateVersion = z.object({
  templateId: z.string(),
  version: z.number().int().min(1),
  category: Category,
  title: z.string(),
  body: z.string(),
  requiredFields: z.array(z.string()),
  createdBy: z.string().nullable(),
  createdAt: Timestamp,
});

export const TemplateList = z.object({ templates: z.array(Template) });
export const TemplateVersions = z.object({ versions: z.array(TemplateVersion) });

/** The operations of the template routes, which the gateway's table names row by row. */
export const operations = {
  list: { query: TemplateQuery, responses: { 200: json(TemplateList, "Every template matching, by category then slug") } },
  create: { body: TemplateInput, responses: { 201: json(Template, "Created at version 1 (Location names it)") }, errors: [409] },
  get: { params: TemplateId, responses: { 200: json(Template) } },
  versions: { params: TemplateId, responses: { 200: json(TemplateVersions, "Every version, newest first") } },
  update: { params: TemplateId, body: TemplateUpdate, responses: { 200: json(Template, "Saved as the next version") }, errors: [409] },
  retire: { params: TemplateId, responses: { 200: json(Template, "Retired (retiring twice answers the same)") }, errors: [409] },
} satisfies Record<string, Operation>;
