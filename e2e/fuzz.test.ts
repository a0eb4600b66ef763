// Every route of the gateway's table fuzzed through the gateway (issue 20): the routes and their schemas come from
// the running gateway's OpenAPI document, the cases and the properties from scripts/fuzz-cases.mjs, which the
// 10,000-case benchmark (scripts/bench-fuzz.mjs) runs too. Here a few cases a route keep `npm test` short; every
// answer also goes through conformance.ts, so a 2xx must match its documented schema. FUZZ_SEED replays a run.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { devAdmin } from "../scripts/create-admin.mjs";
import { fuzzRoute, makeCallers, newTally, operationsOf, storeFindings } from "../scripts/fuzz-cases.mjs";
import { apiUrl } from "./helpers";

const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const stateDir = inject("stateDir");
const document = await (await fetch(`${apiUrl()}/api/openapi.json`)).json();
const ops = operationsOf(document);
let setup: Awaited<ReturnType<typeof makeCallers>> | undefined;
const tally = newTally();

beforeAll(async () => {
  setup = await makeCallers(apiUrl(), devAdmin());
});

describe(`every route of the table, fuzzed (seed ${seed})`, () => {
  it("finds the table's routes in the document", () => {
    expect(ops.length).toBeGreaterThan(90);
  });

  it.each(ops.map((op) => [op.key, op] as const))("%s: never a 5xx, every refusal a Problem naming the field, nothing written by a refusal", async (_key, op) => {
    if (!setup) throw new Error("the callers were not made");
    const { failures } = await fuzzRoute(apiUrl(), document, op, setup, { runs: RUNS, seed, stateDir, tally });
    expect(failures.map((f) => `${f.failure}\n    ${f.request}`)).toEqual([]);
  });

  // Last in the file, and a file's tests run in order: the stores are read after every route's cases.
  it("leaves the stores whole: no request without its event, no file row without its object, no object without its row, no upload claimed by nothing", async () => {
    expect(await storeFindings(stateDir)).toEqual([]);
    // The run has to get past the gateway's refusals to be worth anything.
    expect(tally.reached).toBeGreaterThan(tally.cases / 2);
  });
});

afterAll(() => {
  console.log(`fuzz: ${tally.cases} cases, ${tally.reached} reached a worker, by status ${JSON.stringify(tally.byStatus)} (seed ${seed})`);
});
