// `npm run dev`: the whole platform on this machine, with no account and no network.
import { startPlatform } from "./platform.mjs";
import { ensureSystemPackages } from "./system.mjs";

ensureSystemPackages();

const platform = await startPlatform();
const { admin } = platform;
console.log(`\n  StateX Edge is running at ${platform.siteUrl}  (site and /api; outbox: ${platform.siteUrl}/outbox.html)`);
// Local only: the development admin, whose password the README prints too (create-admin refuses it for staging and production).
const password = admin.passwordSet ? admin.password : `${admin.password} (unless changed since; npm run create-admin -- --local --reset-password sets it again)`;
console.log(`  Admin (this machine only): ${admin.email} / ${password}\n`);
const shutdown = async () => {
  await platform.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
