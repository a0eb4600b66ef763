// What fixtures/global-setup.ts provides (see there), for `inject()` in the tests.
declare module "vitest" {
  export interface ProvidedContext {
    /** The clips, or the line saying which Debian packages to install for them. */
    speechClips: Record<"wav" | "webm" | "ogg" | "mp3" | "m4a", string> | { missing: string };
    siteverifyPort: number;
  }
}
export {};
