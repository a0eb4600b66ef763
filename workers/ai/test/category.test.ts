import { CATEGORIES } from "@statex/shared/tasks";
import { describe, expect, it } from "vitest";
import { MIN_CONFIDENCE, categorise } from "../src/providers/offline/category";
import { examples } from "../src/providers/offline/category-examples";
import { labelled } from "./fixtures/requests";

describe("category", () => {
  it("learns from at least 10 examples per category, and is tested on texts it did not learn from", () => {
    for (const c of CATEGORIES) expect(examples[c].length).toBeGreaterThanOrEqual(10);
    const learnt = new Set(Object.values(examples).flat());
    expect(labelled.length).toBeGreaterThanOrEqual(24);
    expect(labelled.filter(([, text]) => learnt.has(text))).toEqual([]);
  });

  it("is right on at least 85% of the labelled request texts", () => {
    const wrong = labelled
      .map(([expected, text]) => ({ expected, text, got: categorise(text) }))
      .filter((r) => r.got.label !== r.expected);
    const accuracy = 1 - wrong.length / labelled.length;
    console.info(`category accuracy ${(accuracy * 100).toFixed(1)}% (${labelled.length - wrong.length}/${labelled.length})`, wrong);
    expect(accuracy).toBeGreaterThanOrEqual(0.85);
  });

  it("files a text it cannot place as other, with the confidence it had", () => {
    expect(categorise("Lorem ipsum dolor sit amet")).toEqual({ label: "other", confidence: 0 });
    for (const vague of ["Hello, we have a question about something.", "Hi, please phone me tomorrow.", "Good morning, I saw your company online."]) {
      expect(categorise(vague).label).toBe("other");
    }
    const clear = categorise("We need an online shop with a shopping cart and card payments for our bakery.");
    expect(clear.label).toBe("e-commerce");
    expect(clear.confidence).toBeGreaterThanOrEqual(MIN_CONFIDENCE);
    expect(clear.confidence).toBeLessThanOrEqual(1);
  });

  it("is deterministic", () => {
    for (const [, text] of labelled.slice(0, 5)) expect(categorise(text)).toEqual(categorise(text));
  });
});
