/** Debian's chromium under playwright-core, launched the same way by every browser test of the suite. */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium } from "playwright-core";
import { requirePackages } from "../scripts/system.mjs";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Where the tests leave screenshots for a person to look at. */
export const shots = path.resolve(import.meta.dirname, "../.tmp/screenshots");
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"];

/** Fails with the one line that says what to install when chromium (or another package a test needs) is missing. */
export function requireBrowser(...packages: string[]): void {
  if (!process.env.CHROMIUM_PATH) requirePackages("chromium", ...packages);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing`);
  mkdirSync(shots, { recursive: true });
}

/** A headless chromium with the suite's switches and any of the caller's. */
export function launchChromium(args: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, ...args] });
}
