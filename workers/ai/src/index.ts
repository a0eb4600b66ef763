/**
 * ai: runs AI tasks from the statex-ai-tasks queue through the provider chain
 * configured in AI_PROVIDERS, and reports each outcome to the orchestrator.
 * Over HTTP (from the gateway only) it serves the prototype template repository.
 */
import { createApp } from "@statex/shared/http";
import { Logger } from "@statex/shared/logger";
import { consumeTasks } from "./consumer";
import { buildChain } from "./providers/chain";
import { templateRoutes } from "./templates/routes";

const app = createApp<AiEnv>("ai");
app.route("/templates", templateRoutes);

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
