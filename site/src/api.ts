/** Calls to the platform's /api, with problem+json errors turned into a typed value. */
import { authHeaders, refreshAfterRefusal } from "./session";

export type FieldError = { field: string; message: string };
export type Problem = { status: number; title: string; detail?: string; errors?: FieldError[] };

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

/** The gateway refused the access token itself (expired, or its key retired), as opposed to "sign in to do this". */
const tokenRefused = (res: Response) => res.status === 401 && (res.headers.get("www-authenticate") ?? "").includes("invalid_token");

/**
 * Calls `path` as the signed-in client when there is a session. An access token the gateway refuses is refreshed
 * once and the call made again; a session that cannot be refreshed is forgotten.
 */
export async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const send = async () => fetch(path, { ...init, headers: { accept: "application/json", ...(await authHeaders()), ...init?.headers } });
  let res = await send();
  if (tokenRefused(res) && (await refreshAfterRefusal())) res = await send();
  if (res.status === 204) return undefined as T;
  if (res.ok) return (await res.json()) as T;
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
