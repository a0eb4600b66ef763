// The shared helper's points as a worker records them: the route's pattern (not its path) and its status.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { ProblemError } from "@statex/shared/errors";
import { createApp } from "@statex/shared/http";
import type { LogBatch } from "@statex/shared/logger";
import { describe, expect, it } from "vitest";

describe("the http metric", () => {
  it("records each answered route by its pattern, with the status of errors too", async () => {
    const sent: LogBatch[] = [];
    const env = { Q_LOGS: { send: async (body: LogBatch) => void sent.push(body) } as unknown as Queue };
    const app = createApp<typeof env>("intake");
    app.get("/things/:id", (c) => c.json({ id: c.req.param("id") }));
    app.get("/broken", () => {
      throw new ProblemError(503, "down", "down");
    });
    for (const path of ["/things/a1", "/things/b2", "/broken", "/nowhere"]) {
      const ctx = createExecutionContext();
      await app.fetch(new Request(`http://intake${path}`), env, ctx);
      await waitOnExecutionContext(ctx);
    }
    const points = sent.flatMap((b) => b.points ?? []);
    expect(points.map((p) => [p.metric, p.d1, p.d2, p.d3])).toEqual([
      ["http", "GET /things/:id", "200", "intake"],
      ["http", "GET /things/:id", "200", "intake"],
      ["http", "GET /broken", "503", "intake"],
      ["http", "GET /*", "404", "intake"],
    ]);
  });
});
