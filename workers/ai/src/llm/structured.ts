/**
 * A structured answer from a language model: the JSON Schema it is asked for is derived from the same zod schema
 * that checks the answer, every answer is parsed and checked, and an answer that is not valid JSON or breaks the
 * schema gets one repair attempt (the model sees its answer and what was wrong) before the provider gives up and
 * the chain moves on. The tokens of every call, the repair's included, are counted.
 */
import type { Usage } from "@statex/shared/tasks";
import { z } from "zod";
import { ProviderError } from "../providers/types";
import type { ChatMessage, ChatModel } from "./chat";
import { type Prompt, repairInstruction } from "./prompts";

/** Adds one call's usage to a running total. */
export function addUsage(total: Usage, more: Usage): Usage {
  const sum = (a?: number, b?: number) => (a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0));
  const out: Usage = {};
  for (const key of ["inputTokens", "outputTokens", "neurons", "audioSeconds"] as const) {
    const value = sum(total[key], more[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of a zod schema in the form strict structured outputs take: every property required, the
 * optional ones nullable (a model cannot leave a key out), no `$schema` key.
 */
export function strictJsonSchema(schema: z.ZodType): JsonSchema {
  let json = derived.get(schema);
  if (!json) {
    const { $schema: _, ...plain } = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as JsonSchema;
    json = strictify(plain);
    derived.set(schema, json);
  }
  return json;
}

/** Each schema's derivation, made once: the schemas are module constants, and every call would derive the same. */
const derived = new WeakMap<z.ZodType, JsonSchema>();

function strictify(node: unknown): JsonSchema {
  if (!node || typeof node !== "object" || Array.isArray(node)) return node as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "properties" && value && typeof value === "object") {
      const required = new Set(Array.isArray((node as JsonSchema).required) ? ((node as JsonSchema).required as string[]) : []);
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([name, prop]) => [name, required.has(name) ? strictify(prop) : nullable(strictify(prop))]),
      );
      out.required = Object.keys(value as Record<string, unknown>);
    } else if (key !== "required") {
      out[key] = Array.isArray(value) ? value.map(strictify) : typeof value === "object" ? strictify(value) : value;
    }
  }
  return out;
}

function nullable(schema: JsonSchema): JsonSchema {
  return { anyOf: [schema, { type: "null" }] };
}

/** The schema inside optional, nullable and default wrappers. */
function unwrapped(schema: z.ZodType): z.ZodType {
  let inner = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
  return inner;
}

/**
 * A model's answer with the nulls that stand for "absent" removed: a null where the zod schema has an optional
 * field that may not be null (the strict schema made it nullable), never one the schema allows as null.
 */
export function withoutAbsent(schema: z.ZodType, value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const inner = unwrapped(schema);
  if (Array.isArray(value)) return inner instanceof z.ZodArray ? value.map((v) => withoutAbsent(inner.element as z.ZodType, v)) : value;
  if (!(inner instanceof z.ZodObject)) return value;
  const shape = inner.shape as Record<string, z.ZodType | undefined>;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const field = shape[key];
    if (v === null && field && !field.safeParse(null).success && field.safeParse(undefined).success) continue;
    out[key] = field ? withoutAbsent(field, v) : v;
  }
  return out;
}

export type StructuredCall<T> = {
  chat: ChatModel;
  prompt: Prompt;
  /** The user message: the task's instruction and the data block. */
  user: string;
  /** The schema's name for the API, and the zod schema the answer must pass. */
  name: string;
  schema: z.ZodType<T>;
  /** The JSON Schema sent (by default derived from `schema`). */
  jsonSchema?: JsonSchema;
  maxTokens: number;
  onText?: (textSoFar: string) => void;
  metadata?: Record<string, string>;
};

export type Structured<T> = { value: T; usage: Usage; model: string };

/** What was wrong with an answer, in a line the model can act on; undefined when it passes. */
function problemOf<T>(content: string, schema: z.ZodType<T>, truncated: boolean): { problem: string } | { value: T } {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return { problem: truncated ? "it was cut off before the JSON ended; be more concise" : "it was not valid JSON" };
  }
  const checked = schema.safeParse(withoutAbsent(schema, json));
  if (checked.success) return { value: checked.data };
  const issues = checked.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  return { problem: `it did not match the schema (${issues.join("; ")})` };
}

export async function askStructured<T>(call: StructuredCall<T>): Promise<Structured<T>> {
  const schema = { name: call.name, schema: call.jsonSchema ?? strictJsonSchema(call.schema) };
  const messages: ChatMessage[] = [
    { role: "system", content: call.prompt.system },
    { role: "user", content: call.user },
  ];
  const ask = (msgs: ChatMessage[], onText?: (t: string) => void) =>
    call.chat.complete({ messages: msgs, schema, maxTokens: call.maxTokens, ...(onText ? { onText } : {}), ...(call.metadata ? { metadata: call.metadata } : {}) });
  const first = await ask(messages, call.onText);
  let usage = first.usage;
  const firstCheck = problemOf(first.content, call.schema, first.truncated);
  if ("value" in firstCheck) return { value: firstCheck.value, usage, model: first.model };
  const repaired = await ask([...messages, { role: "assistant", content: first.content }, { role: "user", content: repairInstruction(firstCheck.problem) }]).catch(
    (err: unknown) => {
      throw withUsage(err, usage);
    },
  );
  usage = addUsage(usage, repaired.usage);
  const secondCheck = problemOf(repaired.content, call.schema, repaired.truncated);
  if ("value" in secondCheck) return { value: secondCheck.value, usage, model: repaired.model };
  throw new ProviderError(`${call.chat.model} answered ${call.prompt.id} twice unusably: ${secondCheck.problem}`, "retryable", undefined, usage);
}

/** A failure that keeps the tokens already spent, so the request's budget counts them. */
function withUsage(err: unknown, usage: Usage): ProviderError {
  const failure = err instanceof ProviderError ? err : new ProviderError(err instanceof Error ? err.message : String(err), "retryable");
  return new ProviderError(failure.message, failure.errorClass, failure.retryAfterMs, addUsage(failure.usage ?? {}, usage));
}
