// For tests that call a worker's routes as the gateway would: the caller it forwards, and the role gate of the
// ops routes, which every worker that serves them checks itself (the gateway's check is not the only one).
import { describe, expect, it } from "vitest";
import { type Role, USER_ID_HEADER, USER_ROLE_HEADER } from "../src/auth";

/** The identity headers the gateway forwards for a signed-in caller with `role`. */
export function callerHeaders(role: Role): Record<string, string> {
  return { [USER_ID_HEADER]: `usr_${role.toUpperCase()}`, [USER_ROLE_HEADER]: role };
}

/** What a worker's tests send to its ops routes. */
export const opsCaller = callerHeaders("ops");

export type OpsRoute = { method: string; path: string; served: number };
export type Send = (method: string, path: string, headers: Record<string, string>) => Promise<Response>;

/** The status and media type of a response, its body read to the end so nothing is left streaming after the test. */
async function answer(response: Promise<Response>): Promise<{ status: number; type: string | null }> {
  const res = await response;
  await res.arrayBuffer();
  return { status: res.status, type: res.headers.get("content-type") };
}

/**
 * Each route refuses a request without a caller (401) and a caller below ops (403) as problem+json, and serves
 * ops and admin: it answers them with `served`, what the route itself says to that path.
 */
export function describeOpsOnly(routes: OpsRoute[], send: Send): void {
  describe.each(routes)("$method $path, for ops only", ({ method, path, served }) => {
    it("401 without a caller, 403 for a client or an author", async () => {
      expect(await answer(send(method, path, {}))).toEqual({ status: 401, type: "application/problem+json" });
      for (const role of ["client", "author"] as const) {
        expect(await answer(send(method, path, callerHeaders(role))), role).toEqual({ status: 403, type: "application/problem+json" });
      }
    });

    it(`${served} for ops and admin`, async () => {
      for (const role of ["ops", "admin"] as const) expect((await answer(send(method, path, callerHeaders(role)))).status, role).toBe(served);
    });
  });
}
