// `npm run dev`: the whole platform on this machine, with no account and no network.
import { startPlatform } from "./platform.mjs";
import { ensureSystemPackages } from "./system.mjs";

ensureSystemPackages();

const platform = await startPlatform();
console.log(`\n  StateX Edge is running at ${platform.siteUrl}  (site and /api; outbox: ${platform.siteUrl}/outbox.html)\n`);
const shutdown = async () => {
  await platform.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
