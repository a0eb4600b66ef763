import { defineConfig } from "vitest/config";

// The platform as a user meets it: every worker under wrangler dev, the site under
// wrangler pages dev, real HTTP, real queues between workers, and a real browser.
export default defineConfig({
  test: {
    name: "e2e",
    root: import.meta.dirname,
    include: ["**/*.test.ts"],
    globalSetup: ["./setup.ts"],
    // Every JSON answer from /api is held to the OpenAPI document (see conformance.ts).
    setupFiles: ["./conformance.ts"],
    testTimeout: 60_000,
    // A page polled for what it shows is waited on longer than vitest's default second: in the whole CI run the
    // workers' tests share the two cores, and a page's sign-in or list can take a few seconds.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
