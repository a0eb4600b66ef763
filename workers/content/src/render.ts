/**
 * Rendering a page's source for the site, with what D1 knows of its images (their width and height, so the page
 * does not shift as they load).
 */
import type { Database } from "@statex/shared/db";
import { renderMarkdown } from "./markdown";

export type RenderedBody = { html: string; text: string };

/** The leading front matter block, to reach the body of a source whose front matter is not read (an old page's). */
const FRONT_MATTER = /^\uFEFF?---\r?\n[\s\S]*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/** The body of a source, rendered, without reading its front matter. */
export async function renderBody(_db: Database, source: string): Promise<RenderedBody> {
  const html = renderMarkdown(source.replace(FRONT_MATTER, ""));
  return { html, text: "" };
}
