/** What the ai fixtures globalSetup (./index.ts) provides to the ai worker's tests. */

/** One file the tests put into R2, with what a perfect reader would get out of it. */
export type Fixture = { name: string; mime: string; base64: string; expected: string };

export type AiFixtures = {
  /** flite speech clips (several voices, every accepted container) and the words spoken. */
  speech: (Fixture & { voice: string })[];
  /** A recording longer than the model server's chunk length. */
  longSpeech: Fixture;
  /** A PDF with a text layer; `expected` is pdftotext's output. */
  pdf: Fixture;
  /** A PDF whose only page is an image of text (a scan). */
  scannedPdf: Fixture;
  docx: Fixture;
  /** A PNG of rendered text. */
  png: Fixture;
};

/** What the globalSetup provides: the fixtures it could make, and for the others the line naming what to install. */
export type ProvidedAiFixtures = { made: Partial<AiFixtures>; missing: Partial<Record<keyof AiFixtures, string>> };

/**
 * The fixtures as the tests read them: reading one that could not be made throws the line that says which
 * Debian packages to install, so only the tests that use it fail.
 */
export function availableFixtures(provided: ProvidedAiFixtures): AiFixtures {
  return new Proxy(provided.made as AiFixtures, {
    get(made, key: keyof AiFixtures) {
      const fixture = made[key];
      if (fixture === undefined) throw new Error(provided.missing[key] ?? `no fixture ${String(key)}`);
      return fixture;
    },
  });
}

/** What the fake hosted API (./fake-openai.ts) accepts, so tests configure the provider to match. */
export const FAKE_KEY = "sk-test-fake-key";
export const FAKE_ASR_MODEL = "whisper-1";
export const FAKE_CHAT_MODEL = "gpt-4o-mini";

declare module "vitest" {
  export interface ProvidedContext {
    aiFixtures: ProvidedAiFixtures;
    fakeOpenAiPort: number;
    /** From shared/test/local-services.ts, repeated here for workers' tests (that file is Node-side). */
    localServicesPort: number;
  }
}
