/** Calls intake's fetch handler as the gateway would, and waits for what it left running (the relay). */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../src/index";

export async function call(path: string, init?: RequestInit, withEnv: IntakeEnv = env): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://intake${path}`, init), withEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export type FilePart = { name: string; bytes: Uint8Array; type?: string; field?: string };

/** A browser-like multipart form: the fields, then the files (as `files`, unless a part names its field). */
export function form(fields: Record<string, string | string[]>, files: FilePart[] = []): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) data.append(k, one);
  for (const f of files) data.append(f.field ?? "files", new File([f.bytes], f.name, { type: f.type ?? "application/octet-stream" }));
  return data;
}

export function submitForm(data: FormData, headers: Record<string, string> = {}, withEnv?: IntakeEnv): Promise<Response> {
  return call("/requests", { method: "POST", body: data, headers }, withEnv);
}

export function submitJson(body: unknown, headers: Record<string, string> = {}, withEnv?: IntakeEnv): Promise<Response> {
  return call("/requests", { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } }, withEnv);
}

type Send = (fields: Record<string, string | string[]>, headers?: Record<string, string>, withEnv?: IntakeEnv) => Promise<Response>;

/** The two forms a submission takes: the same fields as a multipart form (the site's) and as JSON (an API client's). */
export const forms: Record<"multipart" | "JSON", Send> = {
  multipart: (fields, headers, withEnv) => submitForm(form(fields), headers, withEnv),
  JSON: (fields, headers, withEnv) => submitJson(fields, headers, withEnv),
};

export const contact = { name: "Marta Silva", email: "marta@clinic.example", text: "We need an online booking website for three clinics." };

/** The hex SHA-256 intake records for each stored file. */
export { sha256Hex as sha256 } from "@statex/shared/hash";

export async function count(table: "requests" | "request_files" | "spam_log"): Promise<number> {
  return (await env.DB.prepare(`select count(*) as n from ${table}`).first<{ n: number }>())?.n ?? 0;
}

export type Problem = { type: string; title: string; status: number; detail: string; errors?: { field: string; message: string }[] };
