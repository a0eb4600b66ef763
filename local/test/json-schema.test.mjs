// The stand-in chat model's JSON Schema helpers: `node --test local/test/`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitToSchema, strictSchemaProblem, violate } from "../services/json-schema.mjs";

const object = (properties, required = Object.keys(properties)) => ({ type: "object", properties, required, additionalProperties: false });

describe("fitToSchema", () => {
  it("keeps only the schema's properties, in the schema's order", () => {
    const schema = object({ b: { type: "string" }, a: { type: "number" } });
    assert.deepEqual(Object.entries(fitToSchema({ a: 1, extra: true, b: "x" }, schema)), [["b", "x"], ["a", 1]]);
  });

  it("fills a missing required property with null where allowed, else the type's empty value", () => {
    const schema = object({
      note: { type: ["string", "null"] },
      text: { type: "string" },
      list: { type: "array", items: { type: "string" } },
      count: { type: "integer", minimum: 1 },
      flag: { type: "boolean" },
      level: { type: "string", enum: ["low", "high"] },
      maybe: { anyOf: [{ type: "null" }, { type: "number" }] },
      inner: object({ x: { type: "string" } }),
    });
    assert.deepEqual(fitToSchema({}, schema), { note: null, text: "", list: [], count: 1, flag: false, level: "low", maybe: null, inner: { x: "" } });
  });

  it("leaves out a missing optional property", () => {
    assert.deepEqual(fitToSchema({}, object({ a: { type: "string" } }, [])), {});
  });

  it("treats a value of the wrong type as missing: replaced when required, dropped when optional", () => {
    const schema = object({ a: { type: ["string", "null"] }, b: { type: "array" }, c: { type: "string" } }, ["a", "b"]);
    assert.deepEqual(fitToSchema({ a: 3, b: "no", c: 4 }, schema), { a: null, b: [] });
  });

  it("takes an enum value only from the enum", () => {
    const schema = object({ level: { type: "string", enum: ["low", "high"] }, other: { type: ["string", "null"], enum: ["a", null] } });
    assert.deepEqual(fitToSchema({ level: "medium", other: "b" }, schema), { level: "low", other: null });
    assert.deepEqual(fitToSchema({ level: "high", other: "a" }, schema), { level: "high", other: "a" });
  });

  it("fits an anyOf value inside the branch it matches", () => {
    const budget = { anyOf: [{ type: "null" }, object({ amount: { type: "number" }, currency: { type: ["string", "null"] } })] };
    const schema = object({ budget });
    assert.deepEqual(fitToSchema({ budget: { amount: 5, extra: 1 } }, schema), { budget: { amount: 5, currency: null } });
    assert.deepEqual(fitToSchema({ budget: null }, schema), { budget: null });
    assert.deepEqual(fitToSchema({ budget: "lots" }, schema), { budget: null });
  });

  it("drops array items of the wrong type and fits the others", () => {
    const schema = object({ keywords: { type: "array", items: object({ phrase: { type: "string" }, score: { type: "number", minimum: 0, maximum: 1 } }) } });
    const fitted = fitToSchema({ keywords: [{ phrase: "app", score: 4, rank: 1 }, "loose", null, { phrase: "menu", score: -2 }] }, schema);
    assert.deepEqual(fitted, { keywords: [{ phrase: "app", score: 1 }, { phrase: "menu", score: 0 }] });
  });

  it("clamps numbers and rounds where only integers are allowed", () => {
    const schema = object({ p: { type: "number", minimum: 0, maximum: 1 }, days: { type: "integer", minimum: 1 } });
    assert.deepEqual(fitToSchema({ p: 1.7, days: 2.6 }, schema), { p: 1, days: 3 });
    assert.deepEqual(fitToSchema({ p: -1, days: -4 }, schema), { p: 0, days: 1 });
  });

  it("follows $ref into $defs", () => {
    const schema = { ...object({ who: { $ref: "#/$defs/person" } }), $defs: { person: object({ name: { type: "string" } }) } };
    assert.deepEqual(fitToSchema({ who: { name: "Ada", age: 36 } }, schema), { who: { name: "Ada" } });
  });
});

describe("strictSchemaProblem", () => {
  it("accepts a schema in the strict subset", () => {
    assert.equal(strictSchemaProblem(object({ a: { type: "array", items: object({ b: { type: ["string", "null"] } }) } })), null);
  });

  it("names, in OpenAI's words, an object without additionalProperties: false", () => {
    assert.equal(strictSchemaProblem({ type: "object", properties: {}, required: [] }), "In context=(), 'additionalProperties' is required to be supplied and to be false.");
  });

  it("names a property missing from required, with its path", () => {
    const schema = object({ list: { type: "array", items: { ...object({ x: { type: "string" }, y: { type: "string" } }), required: ["x"] } } });
    assert.equal(strictSchemaProblem(schema), "In context=('properties', 'list', 'items'), 'required' is required to be supplied and to be an array including every key in properties. Missing 'y'.");
  });

  it("refuses a root that is not an object", () => {
    assert.match(strictSchemaProblem({ type: "array", items: { type: "string" } }) ?? "", /schema must be a JSON Schema of 'type: "object"', got 'type: "array"'/);
  });
});

describe("violate", () => {
  it("puts an enum value out of range and leaves out a required property", () => {
    const schema = object({ summary: { type: "string" }, category: object({ label: { type: "string", enum: ["website", "other"] } }) });
    const value = { summary: "A shop.", category: { label: "website" } };
    const broken = violate(value, schema);
    assert.deepEqual(broken, { category: { label: "out-of-range" } });
    assert.deepEqual(value, { summary: "A shop.", category: { label: "website" } }, "the original is untouched");
    assert.notDeepEqual(fitToSchema(broken, schema), broken, "fitting repairs what violate broke");
  });
});
