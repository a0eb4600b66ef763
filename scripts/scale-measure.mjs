// `npm run scale`: the figures docs/SCALE.md's load model is built from, each part runnable alone too.
//  - costs: what a text, a document and a voice request cost every worker (invocations, CPU, D1 queries and rows, Durable
//    Object storage, R2 bytes, queue messages, calls out of one invocation), from the runtime's own spans
//    (scripts/scale-costs.mjs);
//  - slots: JobSlots, the one coordinating object, under a thousand concurrent starts (scripts/scale-slots.mjs);
//  - d1: the requests table at 100,000 and 10,000,000 rows in SQLite, the platform's hot queries timed on both
//    (scripts/scale-d1.mjs).
// `npm run scale -- costs slots` runs only those parts. Every figure lands in .tmp/scale-results.json.
import { writeFileSync } from "node:fs";
import path from "node:path";
import os from "node:os";
import { root } from "./platform.mjs";
import { printScaleCosts, scaleCosts } from "./scale-costs.mjs";
import { printScaleD1, scaleD1 } from "./scale-d1.mjs";
import { printScaleSlots, scaleSlots } from "./scale-slots.mjs";

const parts = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const wanted = (part) => parts.length === 0 || parts.includes(part);
const results = { at: new Date().toISOString(), machine: { cpus: os.availableParallelism(), loadAtStart: os.loadavg()[0] } };

if (wanted("costs")) {
  results.costs = await scaleCosts();
  printScaleCosts(results.costs);
}
if (wanted("slots")) {
  results.slots = await scaleSlots();
  printScaleSlots(results.slots);
}
if (wanted("d1")) {
  results.d1 = await scaleD1();
  printScaleD1(results.d1);
}
results.machine.loadAtEnd = os.loadavg()[0];
writeFileSync(path.join(root, ".tmp", "scale-results.json"), JSON.stringify(results, null, 2));
console.log(`\nmachine: ${results.machine.cpus} CPUs, load average ${results.machine.loadAtStart.toFixed(1)} at the start, ${results.machine.loadAtEnd.toFixed(1)} at the end`);
console.log("all figures: .tmp/scale-results.json");
