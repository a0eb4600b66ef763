// The circuit breakers through the gateway: each worker's table row answers ops its providers' breakers (parsed with
// the schema the document is built from), and refuses a client (403) and anyone without a token (401).
import { BreakersView } from "@statex/shared/api/breakers";
import { describe, expect, it } from "vitest";
import { call, opsHeaders } from "./call";
import { signedUp } from "./clients";

const routes = [
  ["/api/ops/breakers/ai", "ai", ["openai"]],
  ["/api/ops/breakers/notify", "notify", ["email", "telegram", "whatsapp"]],
] as const;

describe("GET /api/ops/breakers/…", () => {
  it("answers ops each provider's breaker, closed while nothing failed", async () => {
    const ops = await opsHeaders();
    for (const [path, worker, names] of routes) {
      const res = await call(path, { headers: ops });
      expect(res.status).toBe(200);
      const view = BreakersView.parse(await res.json());
      expect(view.worker).toBe(worker);
      expect(view.breakers.map((b) => b.name).sort()).toEqual([...names]);
      for (const b of view.breakers) expect(b).toMatchObject({ state: "closed", failures: 0, openedAt: null, nextProbeAt: null });
    }
  });

  it("refuses a client with 403 and an anonymous caller with 401, as problem+json", async () => {
    const client = await signedUp("breakers");
    for (const [path] of routes) {
      const forbidden = await call(path, { headers: { authorization: client.authorization } });
      expect({ path, status: forbidden.status, type: forbidden.headers.get("content-type") }).toEqual({ path, status: 403, type: "application/problem+json" });
      const anonymous = await call(path);
      expect({ path, status: anonymous.status, type: anonymous.headers.get("content-type") }).toEqual({ path, status: 401, type: "application/problem+json" });
    }
  });
});
