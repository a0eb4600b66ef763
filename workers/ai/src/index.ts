/**
 * ai: runs AI tasks from the statex-ai-tasks queue through the provider chain
 * configured in AI_PROVIDERS, and reports each outcome to the orchestrator.
 * Over HTTP (from the gateway only) it serves the prototype template repository,
 * and for ops the circuit breakers of its hosted providers.
 */
import { requireRole } from "@statex/shared/auth";
import { breakerViews } from "@statex/shared/breaker";
import { createApp } from "@statex/shared/http";
import { Logger } from "@statex/shared/logger";
import { consumeTasks } from "./consumer";
import { buildChain } from "./providers/chain";
import { templateRoutes } from "./templates/routes";

export { CircuitBreaker } from "@statex/shared/breaker";

const app = createApp<AiEnv>("ai");
app.route("/templates", templateRoutes);
// Who may call: ops (the gateway's /api/ops/breakers/ai, which vouches for the caller; the role is checked again here).
// The circuit breaker of each hosted provider of the configured chain.
app.get("/breakers", requireRole("ops"), async (c) => {
  const names = buildChain(c.env.AI_PROVIDERS).chain.filter((p) => p.breaker).map((p) => p.name);
  return c.json({ worker: "ai" as const, breakers: await breakerViews(c.env, names) });
});

export default {
  fetch: app.fetch,
  async queue(batch, env, ctx) {
    const log = new Logger(env, "ai");
    const { chain, unknown } = buildChain(env.AI_PROVIDERS);
    // A misspelt provider is a configuration error worth an alarm, but the rest of the chain still works.
    if (unknown.length) log.error("unknown providers in AI_PROVIDERS ignored", { unknown, configured: env.AI_PROVIDERS });
    await consumeTasks(batch, env, chain, log);
    ctx.waitUntil(log.flush());
  },
} satisfies ExportedHandler<AiEnv>;
