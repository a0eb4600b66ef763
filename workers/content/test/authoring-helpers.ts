/** Calling the content worker as the gateway would, as an author or anyone, and reading what it wrote. */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Role } from "@statex/shared/auth";
import worker from "../src/index";

export type As = { userId: string; role: Role };
export const author: As = { userId: "usr_AUTHOR", role: "author" };
export const otherAuthor: As = { userId: "usr_OTHER", role: "author" };
export const ops: As = { userId: "usr_OPS", role: "ops" };
export const client: As = { userId: "usr_CLIENT", role: "client" };

export async function call(path: string, init: RequestInit & { as?: As } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.as) {
    headers.set("x-statex-user-id", init.as.userId);
    headers.set("x-statex-user-role", init.as.role);
  }
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://content${path}`, { ...init, headers }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export const json = (body: unknown) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

type Front = { title: string; kind?: "page" | "post"; tags?: string[]; summary?: string; draft?: boolean; hero?: string; heroAlt?: string; date?: string };

/** A source with front matter (ready to publish unless `draft: true`). */
export function source(slug: string, front: Front, body = "Hello **world**."): string {
  const lines = [
    `title: ${JSON.stringify(front.title)}`,
    `slug: ${slug}`,
    `kind: ${front.kind ?? "page"}`,
    `tags: ${JSON.stringify(front.tags ?? [])}`,
    `draft: ${front.draft ?? false}`,
    ...(front.summary ? [`summary: ${JSON.stringify(front.summary)}`] : []),
    ...(front.hero ? [`hero: ${front.hero}`, `heroAlt: ${JSON.stringify(front.heroAlt ?? "")}`] : []),
    ...(front.date ? [`date: ${front.date}`] : []),
  ];
  return `---\n${lines.join("\n")}\n---\n${body}\n`;
}

export function save(slug: string, markdown: string, baseVersion?: number, as: As = author): Promise<Response> {
  return call(`/pages/${slug}`, { method: "PUT", as, ...json(baseVersion === undefined ? { markdown } : { markdown, baseVersion }) });
}

export function publish(slug: string, body: { at?: string; version?: number } = {}, as: As = author): Promise<Response> {
  return call(`/pages/${slug}/publish`, { method: "POST", as, ...json(body) });
}

/** Saves a new page (version 1) and publishes it now. */
export async function savedAndPublished(slug: string, front: Front, body?: string): Promise<void> {
  const saved = await save(slug, source(slug, front, body));
  if (saved.status !== 201) throw new Error(`save ${slug}: ${saved.status} ${await saved.text()}`);
  const published = await publish(slug);
  if (published.status !== 200) throw new Error(`publish ${slug}: ${published.status} ${await published.text()}`);
}

/** Runs the content worker's cron as if for the minute of `at`. */
export async function cronAt(at: Date): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at.getTime(), cron: "* * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** The data of the events of one type in the outbox, oldest first. */
export async function events(type: string): Promise<Record<string, unknown>[]> {
  const rows = await env.DB.prepare("select body from event_outbox where type = ? order by created_at, rowid").bind(type).all<{ body: string }>();
  return rows.results.map((r) => (JSON.parse(r.body) as { data: Record<string, unknown> }).data);
}

export type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };
