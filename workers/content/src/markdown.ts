/** The renderer's old name and shape while pages.ts moves to @statex/shared/markdown; goes once nothing imports it. */
import { renderMarkdown as render } from "@statex/shared/markdown";

/** Markdown (without front matter) to an HTML fragment. */
export function renderMarkdown(source: string): string {
  return render(source).html;
}
