/**
 * Plain text from an HTML-only email, read with workerd's HTMLRewriter (an HTML tokenizer, so comments, attributes
 * holding ">" and unclosed tags cannot leak markup into the text). Blocks and <br> become line breaks, list items
 * "- " lines, table cells are spaced apart; scripts, styles and the title are dropped. HTMLRewriter hands over text
 * as written, so character references are decoded once the text is whole (a reference may span two chunks).
 */
import { decodeEntities } from "@statex/shared/entities";

/** Elements that start and end a line of their own. */
const BLOCKS = new Set([
  "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "footer", "form",
  "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
]);

/** Elements whose text a reader never sees. Each needs its end tag, so counting start and end tags is exact. */
const HIDDEN = new Set(["script", "style", "title", "template"]);

export async function htmlToText(html: string): Promise<string> {
  let out = "";
  let hidden = 0;
  let pre = 0;
  // A block boundary or a list item waits for the next visible text, so empty blocks add no blank lines.
  let newLine = false;
  let bullet = false;
  const rewriter = new HTMLRewriter()
    .on("*", {
      element(el) {
        const tag = el.tagName;
        if (tag === "br") {
          out = `${out.trimEnd()}\n`;
        } else if (HIDDEN.has(tag)) {
          hidden++;
          el.onEndTag(() => void hidden--);
        } else if (tag === "td" || tag === "th") {
          out += " ";
        } else if (BLOCKS.has(tag)) {
          newLine = true;
          bullet ||= tag === "li";
          if (tag === "pre") pre++;
          // <hr> is void: it has no end tag to wait for.
          if (tag !== "hr") el.onEndTag(() => {
            newLine = true;
            if (tag === "pre") pre--;
          });
        }
      },
    })
    .onDocument({
      text(chunk) {
        if (hidden > 0) return;
        let text = pre > 0 ? chunk.text : chunk.text.replace(/[ \t\r\n\f]+/g, " ");
        if ((newLine || bullet) && !text.trim()) return;
        if (newLine && out) out = `${out.trimEnd()}\n`;
        if (bullet) out += "- ";
        newLine = bullet = false;
        if (pre === 0 && (out === "" || /[\n ]$/.test(out))) text = text.trimStart();
        out += text;
      },
    });
  // The rewriter streams: reading its output to the end is what runs the handlers.
  await rewriter.transform(new Response(html)).arrayBuffer();
  return decodeEntities(out)
    .replace(/\u00a0/g, " ")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
