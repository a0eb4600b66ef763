/** Calls to the platform's /api, with problem+json errors turned into a typed value. */
import { authHeaders, currentSession, forgetRefused } from "./session";

export type FieldError = { field: string; message: string };
export type Problem = { status: number; title: string; detail?: string; errors?: FieldError[] };

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

/** Calls `path` as the signed-in client when there is a session; a session the server no longer knows is forgotten. */
export async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const sent = currentSession()?.token;
  const res = await fetch(path, { ...init, headers: { accept: "application/json", ...authHeaders(), ...init?.headers } });
  if (res.status === 204) return undefined as T;
  if (res.ok) return (await res.json()) as T;
  if (res.status === 401) forgetRefused(sent);
  const type = res.headers.get("content-type") ?? "";
  if (type.includes("json")) throw new ApiError((await res.json()) as Problem);
  throw new ApiError({ status: res.status, title: res.statusText || "Request failed" });
}

/** An element by id, which the page is known to have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el as T;
}
