/**
 * HTML escaping for text that is not built with Hono's `html` template: a renderer's string output (the content
 * worker's markdown), or a page the local Node services serve. Templates use `html` from `hono/html`, which escapes
 * with this same function, so every page and email of the platform escapes one way.
 */
import { escapeToBuffer } from "hono/utils/html";

/** Text safe in element content and in quoted attribute values (`& < > " '` become entities, as in Hono's `html`). */
export function escapeHtml(text: string): string {
  const buffer: [string] = [""];
  escapeToBuffer(text, buffer);
  return buffer[0];
}
