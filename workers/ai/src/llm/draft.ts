/**
 * The first draft by a language model: written on the outline of the best active template for the request's
 * category (its sections are the draft's sections, its prose the guidance), grounded in the analysis. The answer
 * passes a schema that holds it to the outline, then the same PrototypeResult as the offline draft. When the
 * model streams, the draft so far goes to `onDraft` as markdown.
 */
import { type NlpResult, PrototypeResult } from "@statex/shared/tasks";
import { parse as parsePartial } from "partial-json";
import { z } from "zod";
import { ProviderError } from "../providers/types";
import type { Template } from "../templates/store";
import { estimateTokens } from "./budget";
import type { ChatModel } from "./chat";
import type { ModelResult } from "./analysis";
import { type OutlineSection, outlineOf } from "./outline";
import { DRAFT_PROMPT, dataBlock } from "./prompts";
import { addUsage, askStructured, strictJsonSchema } from "./structured";
import type { TokenBudget } from "./token-budget";

const DRAFT_ANSWER_TOKENS = 3_000;
/** The request's own words in the draft's prompt: the analysis carries the rest. */
const REQUEST_TOKENS = 3_000;
/** How often a streamed draft is passed on at most. */
const DRAFT_EVERY_MS = 250;

const Section = z.object({ heading: z.string(), markdown: z.string() });
const DraftAnswer = z.object({
  title: z.string(),
  sections: z.array(Section),
  features: z.array(z.string()),
  milestones: z.array(z.string()),
  estimate: z.object({ lowDays: z.number().nonnegative(), highDays: z.number().nonnegative(), assumptions: z.array(z.string()) }),
  risks: z.array(z.string()),
  questions: z.array(z.string()),
});
type DraftAnswer = z.infer<typeof DraftAnswer>;

/** The answer's schema held to this outline: its headings, in order, and an estimate that is a range. */
function onOutline(outline: OutlineSection[]) {
  return DraftAnswer.superRefine((draft, ctx) => {
    const got = draft.sections.map((s) => s.heading.trim());
    const want = outline.map((s) => s.heading);
    if (got.join("\n") !== want.join("\n")) ctx.addIssue({ code: "custom", path: ["sections"], message: `the headings must be exactly, in order: ${want.join(" | ")}` });
    if (!draft.title.trim()) ctx.addIssue({ code: "custom", path: ["title"], message: "the title must not be empty" });
    if (draft.estimate.lowDays > draft.estimate.highDays) ctx.addIssue({ code: "custom", path: ["estimate"], message: "lowDays must not exceed highDays" });
  });
}

const markdownOf = (title: string, sections: { heading?: unknown; markdown?: unknown }[]) =>
  [`# ${title}`, ...sections.map((s) => `## ${typeof s.heading === "string" ? s.heading : ""}\n\n${typeof s.markdown === "string" ? s.markdown.trim() : ""}`)].join("\n\n");

/** The markdown of a draft still being written, from the JSON so far; undefined until there is some. */
export function draftSoFar(json: string): string | undefined {
  let value: unknown;
  try {
    value = parsePartial(json);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== "object") return undefined;
  const { title, sections } = value as { title?: unknown; sections?: unknown };
  if (typeof title !== "string" || !title) return undefined;
  return markdownOf(title, Array.isArray(sections) ? (sections as { heading?: unknown; markdown?: unknown }[]) : []);
}

export type DraftInput = { text: string; analysis: NlpResult; template: Template };

export async function draftWithModel(
  chat: ChatModel,
  input: DraftInput,
  settings: { budget: TokenBudget; onDraft?: ((markdown: string) => void) | undefined; metadata?: Record<string, string> },
): Promise<ModelResult<PrototypeResult>> {
  const { template, analysis } = input;
  const outline = outlineOf(template);
  if (!outline.length) throw new ProviderError(`template ${template.slug} v${template.version} has no sections (## headings)`, "invalid-input");
  const category = analysis.category?.label ?? "other";
  const request = input.text.length > REQUEST_TOKENS * 4 ? `${input.text.slice(0, REQUEST_TOKENS * 4)}\n[… cut to fit]` : input.text;
  const user = `Write the first draft of a proposal for this request, on the template's outline.\n\n${dataBlock({
    request: { text: request },
    analysis,
    template: { slug: template.slug, title: template.title, outline },
  })}`;
  const maxTokens = settings.budget.allow(estimateTokens(user) + estimateTokens(DRAFT_PROMPT.system), DRAFT_ANSWER_TOKENS);
  let last = 0;
  const onDraft = settings.onDraft;
  const onText = onDraft
    ? (json: string) => {
        const now = Date.now();
        if (now - last < DRAFT_EVERY_MS) return;
        const markdown = draftSoFar(json);
        if (markdown === undefined) return;
        last = now;
        onDraft(markdown);
      }
    : undefined;
  const schema = onOutline(outline);
  const answer = await askStructured<DraftAnswer>({
    chat,
    prompt: DRAFT_PROMPT,
    user,
    name: "statex_draft",
    schema,
    jsonSchema: strictJsonSchema(DraftAnswer),
    maxTokens,
    ...(onText ? { onText } : {}),
    ...(settings.metadata ? { metadata: settings.metadata } : {}),
  });
  const draft = answer.value;
  const footer = `---\n_Drafted by ${chat.model} on the outline of template ${template.slug} (id ${template.id}, version ${template.version}); prompt ${DRAFT_PROMPT.id} v${DRAFT_PROMPT.version}._`;
  const output = PrototypeResult.parse({
    markdown: `${markdownOf(draft.title, draft.sections)}\n\n${footer}\n`,
    template: { id: template.id, slug: template.slug, version: template.version },
    category,
    features: draft.features,
    estimate: draft.estimate,
    questions: draft.questions,
    milestones: draft.milestones,
    risks: draft.risks,
  });
  return { output, usage: addUsage({}, answer.usage), model: answer.model, prompt: { id: DRAFT_PROMPT.id, version: DRAFT_PROMPT.version } };
}
