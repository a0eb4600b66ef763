/**
 * What the model path needs of a language model: one chat completion whose answer is JSON under a schema, with
 * its usage, optionally streamed. The `openai` provider implements it over HTTP (any OpenAI-compatible API, AI
 * Gateway included); the `workers-ai` provider over the Workers AI binding.
 */
import type { Usage } from "@statex/shared/tasks";

export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

export type ChatRequest = {
  messages: ChatMessage[];
  /** The answer's JSON Schema, under a name (OpenAI's `json_schema.name`). */
  schema: { name: string; schema: Record<string, unknown> };
  maxTokens: number;
  /** Called with the whole answer so far as it streams; a model that cannot stream answers without calling it. */
  onText?: (textSoFar: string) => void;
  /** Request and task ids, for the gateway's logs where the provider sends them. */
  metadata?: Record<string, string>;
};

export type ChatAnswer = { content: string; usage: Usage; model: string; truncated: boolean };

export interface ChatModel {
  readonly model: string;
  complete(request: ChatRequest): Promise<ChatAnswer>;
}
