// Guessing one account's password through the gateway, as an attacker with rotating proxies would: a new network for
// every guess (so the gateway's per-client limit never bites), each delay waited out. The account ends locked all
// the same, because identity counts per account (workers/identity/test/guessing.test.ts has the rest of the rules).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LIMIT_TEST_MS, call, exhaustLimit } from "./call";

type Problem = { status: number; type: string };

const PASSWORD = "correct horse battery";
let seq = 0;
/** A network never used before: IPv4 addresses and IPv6 /64s in turn. */
const network = () => (++seq % 2 ? `198.18.${100 + Math.floor(seq / 250)}.${seq % 250}` : `2001:db8:${(0x4000 + seq).toString(16)}:1::1`);

const signIn = (email: string, password: string, from = network()) =>
  call("/api/sessions", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": from }, body: JSON.stringify({ email, password }) });

describe("one account guessed from rotating networks", () => {
  // The delays after the fifth wrong password add up to 31 s, waited out for real: identity runs in its own runtime
  // here, where the test's clock cannot reach.
  it("ends locked for 15 minutes: 429 with Retry-After from every network, even for the right password", { timeout: 120_000 }, async () => {
    const email = `victim-${crypto.randomUUID()}@example.com`;
    const registered = await call("/api/users", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": network() }, body: JSON.stringify({ email, name: "Victim", password: PASSWORD }) });
    expect(registered.status).toBe(202);

    const waits: number[] = [];
    for (let failed = 0; failed < 10; ) {
      const res = await signIn(email, "a guess from the list");
      if (res.status === 401) {
        failed++;
        continue;
      }
      expect(res.status).toBe(429);
      expect(await res.json<Problem>()).toMatchObject({ type: "/problems/too-many-attempts" });
      const wait = Number(res.headers.get("retry-after"));
      waits.push(wait);
      await new Promise((resolve) => setTimeout(resolve, wait * 1_000 + 50));
    }
    // The first five were checked at once; each later one waited longer.
    expect(waits).toEqual([1, 2, 4, 8, 16]);

    for (const password of ["another guess", PASSWORD]) {
      const res = await signIn(email, password);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(14 * 60);
      expect(await res.json<Problem>()).toMatchObject({ status: 429, type: "/problems/sign-in-locked" });
    }
  });
});

describe("the gateway's per-client limit", () => {
  it("keys on cf-connecting-ip, never on x-real-ip, which any client can set", { timeout: LIMIT_TEST_MS }, async () => {
    const spoofed = "192.0.2.201";
    await exhaustLimit(env.RATE_LIMIT_SUBMIT, spoofed);
    // A client that claims an exhausted address in x-real-ip is counted by its own...
    const own = await call("/api/password-resets", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": network(), "x-real-ip": spoofed }, body: "{}" });
    expect(own.status).toBe(400);
    // ...and one whose address is exhausted cannot escape by claiming another.
    const limited = await call("/api/password-resets", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": spoofed, "x-real-ip": network() }, body: "{}" });
    expect(limited.status).toBe(429);
  });

  it("counts an IPv6 client by its /64, in which it can pick a fresh address for every request", { timeout: LIMIT_TEST_MS }, async () => {
    await exhaustLimit(env.RATE_LIMIT_SUBMIT, "2001:db8:77:1::/64");
    const res = await call("/api/password-resets", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": "2001:db8:77:1:abcd:ef01:2345:6789" }, body: "{}" });
    expect(res.status).toBe(429);
  });
});
