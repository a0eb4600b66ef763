// JSON Schema as OpenAI's structured outputs take it (the strict subset: objects with properties, required and
// additionalProperties false; `type` as a name or a list; anyOf; enum; arrays with items; numbers with minimum and
// maximum; $ref into $defs), for the stand-in chat model: it fits what the project's offline methods computed to
// the schema the caller sent, checks the schema as strict mode would, and breaks an answer on purpose for the
// schema faults. No validator library: fitting is not validating, and this subset is small.

const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON value's type as a schema names it; "integer" for whole numbers, which "number" also accepts. */
function kindOf(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : Number.isFinite(value) ? "number" : "invalid";
  return typeof value;
}

/** `#/$defs/name` (or `#/definitions/name`) against the root schema; strict mode allows no other references. */
function resolve(schema, root) {
  let s = schema;
  for (let hops = 0; isObject(s) && typeof s.$ref === "string" && hops < 32; hops++) {
    s = s.$ref.replace(/^#\/?/, "").split("/").filter(Boolean).reduce((node, key) => node?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], root);
  }
  return isObject(s) ? s : {};
}

/** The types a schema names, or undefined when it leaves the type open. */
function typesOf(s) {
  if (s.type !== undefined) return [s.type].flat();
  if (s.properties) return ["object"];
  if (s.items) return ["array"];
  return undefined;
}

function allowsNull(schema, root) {
  const s = resolve(schema, root);
  return Boolean(typesOf(s)?.includes("null") || s.enum?.includes(null) || s.const === null || s.anyOf?.some((b) => allowsNull(b, root)));
}

/** Whether a value has a type the schema allows (an integer schema takes any number, which fitting rounds). */
function accepts(value, schema, root) {
  const s = resolve(schema, root);
  if (s.anyOf) return s.anyOf.some((b) => accepts(value, b, root));
  if (s.enum) return s.enum.includes(value);
  if ("const" in s) return s.const === value;
  const kind = kindOf(value);
  const types = typesOf(s);
  if (!types) return kind !== "undefined" && kind !== "invalid";
  return types.includes(kind) || (kind === "integer" && types.includes("number")) || (kind === "number" && types.includes("integer"));
}

function clamp(n, s) {
  return Math.min(Math.max(n, s.minimum ?? -Infinity), s.maximum ?? Infinity);
}

/** What stands in for a missing value: null where allowed, else the type's empty value or the first enum value. */
function emptyFor(schema, root) {
  const s = resolve(schema, root);
  if (allowsNull(s, root)) return null;
  if (s.anyOf) return emptyFor(s.anyOf[0], root);
  if (s.enum) return s.enum[0];
  if ("const" in s) return s.const;
  switch (typesOf(s)?.[0]) {
    case "object":
      return fitObject({}, s, root);
    case "array":
      return [];
    case "string":
      return "";
    case "number":
    case "integer":
      return clamp(0, s);
    case "boolean":
      return false;
    default:
      return null;
  }
}

/** The schema's properties in its order (as a constrained model writes them); required ones always there. */
function fitObject(value, s, root) {
  if (!s.properties) return s.additionalProperties === false ? {} : value;
  const required = new Set(s.required ?? []);
  const out = {};
  for (const [key, sub] of Object.entries(s.properties)) {
    if (Object.hasOwn(value, key) && accepts(value[key], sub, root)) out[key] = fitToSchema(value[key], sub, root);
    else if (required.has(key)) out[key] = emptyFor(sub, root);
  }
  return out;
}

/**
 * `value` made to match `schema`: only the schema's properties are kept; a required property that is missing, or
 * whose value has the wrong type, becomes null where the schema allows null, else an empty string, array, object,
 * 0 or the first enum value (an optional one is left out); array items of the wrong type are dropped; numbers are
 * clamped to minimum and maximum, and rounded where only integers are allowed.
 */
export function fitToSchema(value, schema, root = schema) {
  const s = resolve(schema, root);
  if (!accepts(value, s, root)) return emptyFor(s, root);
  if (s.anyOf) return fitToSchema(value, s.anyOf.find((b) => accepts(value, b, root)), root);
  if (s.enum || "const" in s) return value;
  switch (kindOf(value)) {
    case "object":
      return fitObject(value, s, root);
    case "array":
      return s.items ? value.filter((item) => accepts(item, s.items, root)).map((item) => fitToSchema(item, s.items, root)) : value;
    case "integer":
    case "number": {
      const types = typesOf(s);
      return clamp(types && !types.includes("number") ? Math.round(value) : value, s);
    }
    default:
      return value;
  }
}

/** A path as OpenAI's message prints it: a Python tuple. */
const context = (path) => `In context=(${path.map((p) => `'${p}'`).join(", ")}${path.length === 1 ? "," : ""}), `;

function strictProblemAt(schema, path) {
  if (!isObject(schema)) return null;
  if (typesOf(schema)?.includes("object")) {
    if (schema.additionalProperties !== false) return `${context(path)}'additionalProperties' is required to be supplied and to be false.`;
    const missing = Object.keys(schema.properties ?? {}).find((key) => !(schema.required ?? []).includes(key));
    if (missing !== undefined) return `${context(path)}'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
  }
  const children = [
    ...Object.entries(schema.properties ?? {}).map(([key, sub]) => [sub, [...path, "properties", key]]),
    ...(schema.items ? [[schema.items, [...path, "items"]]] : []),
    ...(schema.anyOf ?? []).map((sub, i) => [sub, [...path, "anyOf", i]]),
    ...Object.entries(schema.$defs ?? {}).map(([key, sub]) => [sub, [...path, "$defs", key]]),
  ];
  for (const [sub, at] of children) {
    const problem = strictProblemAt(sub, at);
    if (problem) return problem;
  }
  return null;
}

/**
 * Why OpenAI's strict mode would refuse this schema (its own wording), or null: the root must be an object, and
 * every object must list all its properties in `required` and set `additionalProperties: false`.
 */
export function strictSchemaProblem(schema) {
  const rootType = isObject(schema) ? typesOf(schema) : undefined;
  if (!rootType || rootType.length !== 1 || rootType[0] !== "object" || schema.anyOf) {
    return `schema must be a JSON Schema of 'type: "object"', got 'type: "${isObject(schema) ? String(schema.type ?? "None") : "None"}"'.`;
  }
  return strictProblemAt(schema, []);
}

/** The path to the first enum-constrained value in a fitted value, with its enum. */
function firstEnum(value, schema, root, path) {
  const s = resolve(schema, root);
  if (s.anyOf) {
    const branch = s.anyOf.find((b) => accepts(value, b, root));
    return branch ? firstEnum(value, branch, root, path) : undefined;
  }
  if (s.enum && value !== null) return { path, values: s.enum };
  const entries = isObject(value) && s.properties ? Object.keys(value).map((k) => [value[k], s.properties[k], k])
    : Array.isArray(value) && s.items ? value.map((v, i) => [v, s.items, i]) : [];
  for (const [child, sub, key] of entries) {
    const found = sub && firstEnum(child, sub, root, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/**
 * A copy of a fitted value that breaks its schema the way a careless model does: the first enum value set to one
 * outside the enum, and a required top-level property (not the one holding that enum) left out.
 */
export function violate(value, schema) {
  const broken = structuredClone(value);
  if (!isObject(broken)) return { unexpected: broken };
  const found = schema ? firstEnum(broken, schema, schema, []) : undefined;
  if (found?.path.length) {
    const parent = found.path.slice(0, -1).reduce((node, key) => node[key], broken);
    parent[found.path.at(-1)] = found.values.includes("out-of-range") ? `out-of-range-${found.values.length}` : "out-of-range";
  }
  const keys = schema?.required ?? Object.keys(broken);
  const dropped = keys.find((key) => Object.hasOwn(broken, key) && key !== found?.path[0]);
  if (dropped !== undefined) delete broken[dropped];
  return broken;
}
