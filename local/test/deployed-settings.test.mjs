// What staging and production promise integrators, read from the topology every wrangler.toml is written from (and
// checked against: `npm run config -- --check`). The workers' tests run the same code on short local settings; this
// holds the deployed ones to what the API's documentation says.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { workers } from "../../infra/topology.mjs";

const DEPLOYED = ["staging", "production"];
/** A var's value in one environment: its own, or the one for all. */
const valueIn = (worker, name, environment) => {
  const spec = workers[worker].vars[name];
  assert.ok(spec, `${worker} has no var ${name}`);
  return spec[environment] ?? spec.all;
};

describe("integrators' webhooks where the platform is deployed", () => {
  for (const environment of DEPLOYED) {
    it(`${environment}: retried for at least 24 hours, 10 s to answer, disabled after 3 days failing, https to public addresses only`, () => {
      const schedule = valueIn("notify", "WEBHOOK_RETRY_SCHEDULE", environment).split(",").map(Number);
      assert.ok(schedule.every((s) => Number.isInteger(s) && s >= 0), "every step is whole seconds");
      assert.equal(schedule[0], 0, "the first attempt goes at once");
      assert.ok(schedule.slice(1).every((s, i) => s >= schedule[i]), "each wait at least the one before (backoff)");
      assert.ok(schedule.reduce((a, b) => a + b, 0) >= 24 * 3600, "the retries span at least 24 hours");
      assert.equal(valueIn("notify", "WEBHOOK_TIMEOUT_MS", environment), "10000");
      assert.equal(valueIn("notify", "WEBHOOK_DISABLE_AFTER_SECONDS", environment), String(3 * 24 * 3600));
      assert.equal(valueIn("notify", "WEBHOOK_ALLOW_PRIVATE_URLS", environment), "off");
      assert.match(valueIn("notify", "WEBHOOK_DNS_URL", environment), /^https:\/\//);
      assert.ok(Number(valueIn("notify", "WEBHOOK_ROTATION_OVERLAP_SECONDS", environment)) > 0, "a rolled secret overlaps");
    });
  }
});

describe("API keys where the platform is deployed", () => {
  it("have a rate limit of their own at the gateway, apart from the networks'", () => {
    const { RATE_LIMIT_KEY, RATE_LIMIT_API } = workers.gateway.ratelimits;
    assert.ok(RATE_LIMIT_KEY && RATE_LIMIT_KEY.limit > 0 && RATE_LIMIT_KEY.period > 0);
    assert.notEqual(RATE_LIMIT_KEY.id, RATE_LIMIT_API.id, "a namespace of its own");
  });
});
