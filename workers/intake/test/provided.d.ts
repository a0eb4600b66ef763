// What fixtures/global-setup.ts provides (see there), for `inject()` in the tests.
declare module "vitest" {
  export interface ProvidedContext {
    speechClips: Record<"wav" | "webm" | "ogg" | "mp3" | "m4a", string>;
    siteverifyPort: number;
  }
}
export {};
