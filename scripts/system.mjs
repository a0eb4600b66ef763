// The Debian packages the platform and its tests use beyond npm, and the one step that installs them.
// pocketsphinx (with its model), flite and poppler have no npm build that runs here, so Debian's packages are
// needed anyway; the same one step brings Debian's ffmpeg and Chromium (playwright-core drives that Chromium), so
// there is one way the machine gets its tools. `npm test`, `npm run dev` and `npm run bench` call
// `ensureSystemPackages()` first: as root it runs apt-get for whatever is missing; otherwise it prints one line
// naming what to install, and only the tests that need a missing tool fail, with that same line (`requirePackages`).
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import path from "node:path";

/** Each package, what shows it is installed (a command on PATH or a path), and what needs it. */
export const SYSTEM_PACKAGES = [
  { pkg: "chromium", provides: "chromium", for: "the browser tests and the rendered test fixtures" },
  { pkg: "ffmpeg", provides: "ffmpeg", for: "speech to text in the local model server, and the speech fixtures" },
  { pkg: "pocketsphinx", provides: "pocketsphinx_continuous", for: "speech to text in the local model server" },
  { pkg: "pocketsphinx-en-us", provides: "/usr/share/pocketsphinx/model/en-us", for: "speech to text in the local model server" },
  { pkg: "flite", provides: "flite", for: "the speech fixtures" },
  { pkg: "poppler-utils", provides: "pdftotext", for: "the PDF fixtures' expected text" },
];

function onPath(command) {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

const installed = ({ provides }) => (provides.startsWith("/") ? existsSync(provides) : onPath(provides));

/** The packages (all of them, or those named) that are not installed. */
export function missingPackages(names = SYSTEM_PACKAGES.map((p) => p.pkg)) {
  return SYSTEM_PACKAGES.filter((p) => names.includes(p.pkg) && !installed(p)).map((p) => p.pkg);
}

/** The one line that says what is missing and how to install it. */
export function missingLine(pkgs) {
  return `missing Debian packages: ${pkgs.join(" ")} — install them with: apt-get install -y ${pkgs.join(" ")} (as root; npm test and npm run dev do it when run as root)`;
}

/** Throws the one line (an Error named MissingPackages) when any of the named packages is missing: for the tests and fixtures that need them. */
export function requirePackages(...names) {
  const missing = missingPackages(names);
  if (!missing.length) return;
  const err = new Error(missingLine(missing));
  err.name = "MissingPackages";
  throw err;
}

/**
 * Installs what is missing when running as root with apt-get; otherwise prints the one line and carries on.
 * Returns the packages still missing.
 */
export function ensureSystemPackages({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  let missing = missingPackages();
  if (!missing.length) return missing;
  if (process.getuid?.() === 0 && onPath("apt-get")) {
    log(`Installing the Debian packages the platform needs: ${missing.join(" ")}`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    try {
      execFileSync("apt-get", ["update", "-qq"], { env, stdio: ["ignore", "ignore", "inherit"] });
      const res = spawnSync("apt-get", ["install", "-y", "-qq", ...missing], { env, stdio: ["ignore", "ignore", "inherit"] });
      if (res.status !== 0) log(`apt-get install exited with ${res.status ?? res.signal}`);
    } catch (err) {
      log(`apt-get failed: ${err.message}`);
    }
    missing = missingPackages();
  }
  if (missing.length) log(missingLine(missing));
  return missing;
}

// `npm run setup`: the same step on its own.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  process.exit(ensureSystemPackages().length ? 1 : 0);
}
