/** Just enough XML for WordprocessingML: workerd has no DOMParser, and the markup is regular. */
import { decodeEntities } from "@statex/shared/entities";

/** Every element `<tag …>…</tag>` at any depth (not nested in itself), as its inner XML. */
export function elements(xml: string, tag: string): string[] {
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, "g");
  return [...xml.matchAll(re)].map((m) => m[1] ?? "");
}

/** The `w:val` (or other) attribute of the first `<tag …/>`, e.g. a paragraph's style. */
export function attribute(xml: string, tag: string, name = "w:val"): string | undefined {
  const m = new RegExp(`<${tag}\\s[^>]*?${name}="([^"]*)"`).exec(xml);
  return m?.[1] === undefined ? undefined : decodeEntities(m[1]);
}

/** The text of one element, e.g. `<dc:title>`, decoded. */
export function textOf(xml: string, tag: string): string | undefined {
  const inner = elements(xml, tag)[0];
  return inner === undefined ? undefined : decodeEntities(inner).trim() || undefined;
}
