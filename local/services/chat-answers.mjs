// What the stand-in chat model answers: no language model, but the project's own offline methods (the ai
// worker's analysis, summary and prototype code) run on the data the prompt carries, so an answer really
// depends on its input and the same input always gets the same answer.
//
// The ai worker puts the client's data in a user message as one JSON document between <request_data> tags
// (`dataBlock` in workers/ai/src/llm/prompts.ts, which escapes every < > & inside it), and names the task by
// its response schema. The instructions (system messages, the repair request) are never read: like a model
// that keeps to its system prompt, the answer comes from the data alone.
//
// The worker code is bundled for Node (../worker-code.mjs) into the server's data folder on the first chat
// request, then imported: the server starts at once, and a process that never chats (notify's tests start
// these services for email only) never loads the language-detection and NLP models.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { importWorkerCode } from "../worker-code.mjs";

/** The worker modules the answers are made of, each from the file that defines it. */
const ENTRY = [
  'export { NlpResult } from "@statex/shared/tasks";',
  'export { analyse } from "./workers/ai/src/providers/offline/nlp.ts";',
  'export { detectLanguage } from "./workers/ai/src/providers/offline/language.ts";',
  'export { stopwordsFor } from "./workers/ai/src/providers/offline/stopwords.ts";',
  'export { summarise } from "./workers/ai/src/providers/offline/summary.ts";',
  'export { sentences, words } from "./workers/ai/src/providers/offline/text.ts";',
  'export { draftPrototype } from "./workers/ai/src/prototype/draft.ts";',
  'export { estimate, milestones } from "./workers/ai/src/prototype/estimate.ts";',
  'export { PLACEHOLDER_NAMES } from "./shared/src/placeholders.ts";',
].join("\n");

/**
 * The worker code, bundled and imported once, on first use. A failed load is not kept, so the next request
 * tries again (after someone fixed what broke it); `settled` lets close() wait for a build still writing.
 */
export function workerCode(dataDir) {
  let loading;
  return {
    load() {
      loading ??= importWorkerCode(ENTRY, path.join(dataDir, "standin-chat-model.mjs")).catch((err) => {
        loading = undefined;
        throw err;
      });
      return loading;
    },
    settled: () => Promise.resolve(loading).catch(() => undefined),
  };
}

const OPEN = "<request_data>";
const CLOSE = "</request_data>";

/** A message's text: a string, or the text parts of a content array. */
export function contentText(content) {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (part?.type === "text" && typeof part.text === "string" ? part.text : "")).join("");
  return "";
}

/**
 * The data of the request: the JSON in the last user message that has a data block (a repair request comes
 * after it and carries none), or, without one, the last user message's text as it is.
 */
export function requestData(messages) {
  const users = messages.filter((m) => m.role === "user").map((m) => contentText(m.content));
  for (const text of users.toReversed()) {
    const start = text.indexOf(OPEN);
    const end = text.indexOf(CLOSE, start + OPEN.length);
    if (start < 0 || end < 0) continue;
    try {
      return { data: JSON.parse(text.slice(start + OPEN.length, end)) };
    } catch {
      return { text: text.slice(start + OPEN.length, end).trim() };
    }
  }
  return { text: users.at(-1) ?? "" };
}

/** The text a generic answer analyses: the sources, a document, a request, or every string in the data. */
function textOf(data) {
  if (typeof data === "string") return data;
  if (Array.isArray(data?.sources)) return data.sources.map((s) => String(s?.text ?? "")).filter(Boolean).join("\n\n");
  for (const part of [data?.document, data?.request, data]) if (typeof part?.text === "string") return part.text;
  const strings = [];
  JSON.stringify(data ?? null, (_key, value) => (typeof value === "string" && strings.push(value), value));
  return strings.join("\n\n");
}

const REQUIREMENT = /\b(?:must|shall|should|needs?|needed|requires?|required|have to|has to|mandatory|essential)\b/i;
const FACT = /\p{N}|[€$£¥]|\b(?:EUR|USD|GBP|CHF|January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|tomorrow|weeks?|months?|quarter|deadline|budget)\b/i;

/**
 * The analysis a draft builds on: the one in the data when it holds up as an NlpResult (a model's analysis has
 * nulls where the contract has optional fields, and no stats, which are counted here), else a fresh one.
 */
function givenAnalysis(ai, given, text) {
  if (typeof given === "object" && given !== null) {
    const withoutNulls = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
    const clean = withoutNulls(given);
    if (typeof clean.entities === "object") clean.entities = withoutNulls(clean.entities);
    const parsed = ai.NlpResult.safeParse({ stats: { words: ai.words(text).length, sentences: ai.sentences(text).length }, ...clean });
    if (parsed.success) return parsed.data;
  }
  return ai.analyse(text);
}

const bullets = (items) => items.map((i) => `- ${i}`).join("\n");
/** Which computed part fills a section, by what its heading is about; the first match wins. */
const SECTIONS = [
  [/risk/i, (v) => v.risks],
  [/question|clarif|unknown/i, (v) => v.questions],
  [/estimat|effort|cost|pric|budget/i, (v) => `${v.estimate}\n\nAssumptions:\n${v.assumptions}`],
  [/milestone|plan|timeline|phase|roadmap|schedule/i, (v) => v.milestones],
  [/architect|technical|solution|stack|infrastructure/i, (v) => v.architecture],
  [/scope|feature|deliverable|functional/i, (v) => v.features],
  [/understand|need|summary|overview|context|background|goal|brief/i, (v) => `${v.summary}\n\nKey phrases: ${v.keywords}\n\nNamed in the request:\n${v.entities}`],
];

/**
 * The draft: the offline prototype's every part (draftPrototype, given a template that is nothing but its
 * placeholders between markers, so each part can be taken out again), arranged on the given outline.
 */
function draftOf(ai, data) {
  const text = String(data?.request?.text ?? "");
  const analysis = givenAnalysis(ai, data?.analysis, text);
  const marker = `@@standin-${randomUUID()}@@`;
  const body = `${ai.PLACEHOLDER_NAMES.map((name) => `${marker}${name}\n{{${name}}}\n`).join("")}${marker}`;
  const template = { id: "standin", slug: String(data?.template?.slug ?? "standin"), version: 1, body, requiredFields: [] };
  const draft = ai.draftPrototype(text, analysis, template);
  const values = Object.fromEntries(draft.markdown.split(marker).slice(1, -1).map((part) => [part.slice(0, part.indexOf("\n")), part.slice(part.indexOf("\n") + 1).trim()]));
  const risks = draft.risks ?? [];
  values.risks = bullets(risks);
  const outline = Array.isArray(data?.template?.outline) ? data.template.outline : [];
  return {
    title: values.title,
    sections: outline.map(({ heading, guidance }) => ({
      heading: String(heading ?? ""),
      markdown: SECTIONS.find(([pattern]) => pattern.test(String(heading ?? "")))?.[1](values) ?? String(guidance ?? ""),
    })),
    features: draft.features,
    milestones: draft.milestones ?? [],
    estimate: draft.estimate,
    risks,
    questions: draft.questions,
  };
}

const MAX_FACTS = 12;

/** A document's extractive summary and the sentences that carry numbers, dates, money or requirements. */
function digestOf(ai, text) {
  const list = ai.sentences(text);
  const summary = ai.summarise(list, ai.stopwordsFor(ai.detectLanguage(text).code));
  // A digest condenses: a dozen facts at most, as a model asked for the ones that matter would give.
  return { summary, facts: list.filter((s) => FACT.test(s) || REQUIREMENT.test(s)).slice(0, MAX_FACTS) };
}

/**
 * The answer (before it is fitted to the schema) for a task, named by its response schema; any other schema,
 * or none, gets the analysis of the data's text.
 */
export function answer(ai, schemaName, messages) {
  const { data, text } = requestData(messages);
  if (schemaName === "statex_draft" && data !== undefined) return draftOf(ai, data);
  if (schemaName === "statex_document_digest") return digestOf(ai, text ?? textOf(data));
  return ai.analyse(text ?? textOf(data));
}
