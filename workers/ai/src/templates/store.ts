/**
 * The template repository in D1. A template's row is its current version and
 * keeps its id for life; every version, the first included, is also written,
 * unchanged, to template_versions in the same batch. So a prototype's recorded
 * (id, version) always leads to the exact body it was drafted from, and an
 * update can never lose its history (D1 runs a batch as one transaction).
 */
import { type Database, database, schema } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import { newId } from "@statex/shared/ids";
import type { Category } from "@statex/shared/tasks";
import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";

const { templates, templateVersions } = schema;
export type Template = typeof templates.$inferSelect;
export type TemplateVersion = typeof templateVersions.$inferSelect;
export type NewTemplate = { slug: string; category: Category; title: string; body: string; requiredFields: string[] };
export type TemplateChange = Partial<Omit<NewTemplate, "slug">> & { version?: number | undefined };

/** The category every request falls back to; the last active template of it cannot be retired. */
export const FALLBACK: Category = "other";

const stamp = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/** Copies the template's row at `version` into its history; a no-op when that version is not the row's. */
function recordVersion(d1: D1Database, id: string, version: number): D1PreparedStatement {
  return d1
    .prepare(`INSERT OR IGNORE INTO template_versions (template_id, version, category, title, body, required_fields, created_by)
      SELECT id, version, category, title, body, required_fields, updated_by FROM templates WHERE id = ? AND version = ?`)
    .bind(id, version);
}

export class TemplateStore {
  private readonly db: Database;
  constructor(private readonly d1: D1Database) {
    this.db = database(d1);
  }

  list(filter: { category?: Category | undefined; status?: "active" | "retired" | undefined }): Promise<Template[]> {
    const where = and(
      filter.category ? eq(templates.category, filter.category) : undefined,
      filter.status ? eq(templates.status, filter.status) : undefined,
    );
    return this.db.select().from(templates).where(where).orderBy(asc(templates.category), asc(templates.slug)).all();
  }

  /** One template, or a 404 problem. */
  async get(id: string): Promise<Template> {
    const row = await this.db.select().from(templates).where(eq(templates.id, id)).get();
    if (!row) throw new ProblemError(404, "not-found", `No template ${id}`);
    return row;
  }

  /** Every version of a template, newest first. */
  async versions(id: string): Promise<TemplateVersion[]> {
    await this.get(id);
    return this.db.select().from(templateVersions).where(eq(templateVersions.templateId, id)).orderBy(desc(templateVersions.version)).all();
  }

  async create(input: NewTemplate, by: string): Promise<Template> {
    const taken = await this.db.select({ id: templates.id }).from(templates).where(eq(templates.slug, input.slug)).get();
    if (taken) throw new ProblemError(409, "conflict", `The slug ${input.slug} is taken`, [{ field: "slug", message: "already used" }]);
    const id = newId("tpl");
    const insert = this.d1
      .prepare("INSERT INTO templates (id, slug, category, version, title, body, required_fields, status, updated_by) VALUES (?, ?, ?, 1, ?, ?, ?, 'active', ?)")
      .bind(id, input.slug, input.category, input.title, input.body, JSON.stringify(input.requiredFields), by);
    await this.d1.batch([insert, recordVersion(this.d1, id, 1)]);
    return this.get(id);
  }

  /**
   * A new version with the changes. `change.version`, when given, is the version the author
   * edited: if someone saved another since, the update is refused (409) instead of overwriting it.
   */
  async update(id: string, change: TemplateChange, by: string): Promise<Template> {
    const current = await this.get(id);
    if (current.status === "retired") throw new ProblemError(409, "conflict", "A retired template cannot change; create a new one");
    if (change.version !== undefined && change.version !== current.version) {
      throw new ProblemError(409, "conflict", `The template is at version ${current.version}, not ${change.version}`, [{ field: "version", message: `now ${current.version}` }]);
    }
    const next = {
      category: change.category ?? current.category,
      title: change.title ?? current.title,
      body: change.body ?? current.body,
      requiredFields: change.requiredFields ?? current.requiredFields,
      version: current.version + 1,
    };
    // Only the version read above is replaced: a concurrent update makes this one change nothing (409 below).
    const update = this.d1
      .prepare(`UPDATE templates SET category = ?, title = ?, body = ?, required_fields = ?, version = ?, updated_by = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE id = ? AND version = ? AND status = 'active'`)
      .bind(next.category, next.title, next.body, JSON.stringify(next.requiredFields), next.version, by, id, current.version);
    const [updated] = await this.d1.batch([update, recordVersion(this.d1, id, next.version)]);
    if (updated?.meta.changes !== 1) throw new ProblemError(409, "conflict", "The template changed while this update was made; read it and try again");
    return this.get(id);
  }

  /** Retires a template: prototypes stop using it. Retiring twice is the same as once. */
  async retire(id: string, by: string): Promise<Template> {
    const current = await this.get(id);
    if (current.status === "retired") return current;
    if (current.category === FALLBACK) {
      const others = await this.db
        .select({ id: templates.id })
        .from(templates)
        .where(and(eq(templates.category, FALLBACK), eq(templates.status, "active"), ne(templates.id, id)))
        .get();
      if (!others) throw new ProblemError(409, "conflict", `The last active "${FALLBACK}" template is every request's fallback; add another before retiring it`);
    }
    await this.db.update(templates).set({ status: "retired", updatedBy: by, updatedAt: stamp }).where(eq(templates.id, id));
    return this.get(id);
  }

  /**
   * The template a prototype of this category uses: the category's active template, else the
   * fallback's; among several, the most recently updated (the authors' latest word).
   */
  bestFor(category: Category): Promise<Template | undefined> {
    return this.db
      .select()
      .from(templates)
      .where(and(eq(templates.status, "active"), inArray(templates.category, [category, FALLBACK])))
      .orderBy(sql`${templates.category} = ${FALLBACK}`, desc(templates.updatedAt), asc(templates.id))
      .get();
  }
}
