/**
 * Character references (`&amp;`, `&#233;`, `&#xE9;`) in text read out of markup: WordprocessingML (XML) and the HTML
 * of an email. Neither workerd nor its HTMLRewriter decodes them for us.
 */

/** XML's five predefined entities and HTML's no-break space, the one named reference mail often carries. */
const NAMED = new Map([
  ["amp", "&"],
  ["lt", "<"],
  ["gt", ">"],
  ["quot", '"'],
  ["apos", "'"],
  ["nbsp", "\u00a0"],
]);

const REFERENCE = /&(?:#[xX]([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z][A-Za-z0-9]*));/g;

/**
 * The text with its numeric references and the named ones above decoded; another name is left as written. A number
 * that is no Unicode scalar value (0, a surrogate, past U+10FFFF) becomes U+FFFD, as HTML parsers do, instead of
 * throwing on hostile input.
 */
export function decodeEntities(text: string): string {
  return text.replace(REFERENCE, (whole: string, hex: string | undefined, decimal: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED.get(name) ?? whole;
    const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(decimal);
    const scalar = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
    return scalar ? String.fromCodePoint(code) : "\ufffd";
  });
}
