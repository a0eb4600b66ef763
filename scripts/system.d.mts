/** Types for TypeScript callers (test fixtures) of scripts/system.mjs. */
export const SYSTEM_PACKAGES: { pkg: string; provides: string; for: string }[];
export function missingPackages(names?: string[]): string[];
export function missingLine(pkgs: string[]): string;
export function requirePackages(...names: string[]): void;
export function ensureSystemPackages(options?: { log?: (line: string) => void }): string[];
