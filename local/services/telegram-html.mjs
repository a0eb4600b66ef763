// Telegram's `parse_mode: "HTML"`, as the Bot API parses it: the text and its entities,
// or the error Telegram answers ("Bad Request: can't parse entities: ..."). It follows
// tdlib's parse_html (td/telegram/MessageEntity.cpp), which the Bot API runs: the same
// tags, the same four named character references (anything else after `&` is plain
// text), the same checks and the same error texts with byte offsets, so a message the
// notify worker gets through here is one Telegram takes. No HTML library parses this
// way (browsers repair what Telegram refuses), hence a parser of our own.

const TAGS = new Set(["a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote"]);
const SIMPLE = { b: "bold", strong: "bold", i: "italic", em: "italic", u: "underline", ins: "underline", s: "strikethrough", strike: "strikethrough", del: "strikethrough", "tg-spoiler": "spoiler" };
const NAMED = { lt: "<", gt: ">", amp: "&", quot: '"' };
const LINK_SCHEMES = new Set(["http:", "https:", "tg:", "ton:"]);

/** An HTML text Telegram would refuse; `message` is the part after "can't parse entities: ". */
export class EntityError extends Error {}

// tdlib reads a NUL-terminated string and counts NUL as a space; here the end of the string plays that part.
const isSpace = (c) => c === undefined || c === " " || c === "\t" || c === "\r" || c === "\n" || c === "\v" || c === "\0";
const isAlpha = (c) => c !== undefined && /^[A-Za-z]$/.test(c);
const isNameChar = (c) => c !== undefined && /^[A-Za-z0-9.-]$/.test(c);

/** A character reference at `pos` (which holds `&`): its text and where it ends, or undefined when it is none. */
function decodeReference(text, pos) {
  let end = pos + 1;
  let value;
  if (text[end] === "#") {
    end += 1;
    let code = 0;
    const hex = text[end] === "x";
    if (hex) end += 1;
    const digit = hex ? /^[0-9A-Fa-f]$/ : /^[0-9]$/;
    while (text[end] !== undefined && digit.test(text[end])) {
      code = code * (hex ? 16 : 10) + Number.parseInt(text[end], 16);
      end += 1;
    }
    if (code === 0 || code >= 0x10ffff || end - pos >= 10) return undefined;
    // A lone surrogate would make the text invalid Unicode, which tdlib refuses once everything is decoded.
    if (code >= 0xd800 && code <= 0xdfff) {
      throw new EntityError("Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units");
    }
    value = String.fromCodePoint(code);
  } else {
    while (isAlpha(text[end])) end += 1;
    value = NAMED[text.slice(pos + 1, end)];
    if (value === undefined) return undefined;
  }
  if (text[end] === ";") end += 1;
  return { value, end };
}

/** A link as Telegram keeps it, or undefined when it would drop the link (and keep the text). */
function checkedLink(url) {
  if (!url || /\s/.test(url)) return undefined;
  for (const candidate of [url, `http://${url}`]) {
    try {
      const parsed = new URL(candidate);
      if (LINK_SCHEMES.has(parsed.protocol) && (parsed.protocol !== "http:" && parsed.protocol !== "https:" || parsed.hostname.includes("."))) return parsed.href;
    } catch {
      // not a link this way; try the next
    }
  }
  return undefined;
}

/**
 * Parses `html` as Telegram's HTML style: the plain text and its entities (offsets in UTF-16 code units, as the Bot
 * API gives them), with the text's leading and trailing white space removed as Telegram does.
 * @returns {{ text: string, entities: Record<string, unknown>[] }}
 * @throws {EntityError}
 */
export function parseTelegramHtml(html) {
  const text = html;
  const byteOffset = (i) => Buffer.byteLength(text.slice(0, i), "utf8");
  let out = "";
  /** @type {Record<string, unknown>[]} */
  const entities = [];
  /** @type {{ tag: string, argument: string, offset: number }[]} */
  const nested = [];

  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === "&") {
      const ref = decodeReference(text, i);
      if (ref) {
        out += ref.value;
        i = ref.end - 1;
        continue;
      }
    }
    if (c !== "<") {
      out += c;
      continue;
    }

    const begin = i;
    i += 1;
    if (text[i] !== "/") {
      while (!isSpace(text[i]) && text[i] !== ">") i += 1;
      if (text[i] === undefined) throw new EntityError(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
      const tag = text.slice(begin + 1, i).toLowerCase();
      if (!TAGS.has(tag)) throw new EntityError(`Unsupported start tag "${tag}" at byte offset ${byteOffset(begin)}`);

      let argument = "";
      while (text[i] !== ">") {
        while (text[i] !== undefined && isSpace(text[i])) i += 1;
        if (text[i] === ">") break;
        const nameBegin = i;
        while (!isSpace(text[i]) && text[i] !== "=" && text[i] !== ">") i += 1;
        const name = text.slice(nameBegin, i);
        if (!name) throw new EntityError(`Empty attribute name in the tag "${tag}" at byte offset ${byteOffset(begin)}`);
        while (text[i] !== undefined && isSpace(text[i])) i += 1;
        if (text[i] !== "=") {
          if (tag === "blockquote" && name === "expandable") {
            argument = "1";
            continue;
          }
          throw new EntityError(`Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${byteOffset(begin)}`);
        }
        i += 1;
        while (text[i] !== undefined && isSpace(text[i])) i += 1;
        if (text[i] === undefined) throw new EntityError(`Unclosed start tag "${tag}" at byte offset ${byteOffset(begin)}`);

        let value = "";
        if (text[i] !== "'" && text[i] !== '"') {
          const tokenBegin = i;
          while (isNameChar(text[i])) i += 1;
          value = text.slice(tokenBegin, i).toLowerCase();
          if (!isSpace(text[i]) && text[i] !== ">") throw new EntityError(`Unexpected end of name token at byte offset ${byteOffset(tokenBegin)}`);
        } else {
          const quote = text[i];
          i += 1;
          while (text[i] !== undefined && text[i] !== quote) {
            if (text[i] === "&") {
              const ref = decodeReference(text, i);
              if (ref) {
                value += ref.value;
                i = ref.end;
                continue;
              }
            }
            value += text[i];
            i += 1;
          }
          if (text[i] === quote) i += 1;
        }
        if (text[i] === undefined) throw new EntityError(`Unclosed start tag at byte offset ${byteOffset(begin)}`);

        if (tag === "a" && name === "href") argument = value;
        else if (tag === "code" && name === "class" && value.startsWith("language-")) argument = value.slice("language-".length);
        else if (tag === "span" && name === "class" && value.startsWith("tg-")) argument = value.slice("tg-".length);
        else if (tag === "tg-emoji" && name === "emoji-id") argument = value;
      }
      if (tag === "span" && argument !== "spoiler") throw new EntityError(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(begin)}`);
      nested.push({ tag, argument, offset: out.length });
      continue;
    }

    if (nested.length === 0) throw new EntityError(`Unexpected end tag at byte offset ${byteOffset(begin)}`);
    while (!isSpace(text[i]) && text[i] !== ">") i += 1;
    const endTag = text.slice(begin + 2, i).toLowerCase();
    while (text[i] !== undefined && isSpace(text[i])) i += 1;
    if (text[i] !== ">") throw new EntityError(`Unclosed end tag at byte offset ${byteOffset(begin)}`);
    const open = nested[nested.length - 1];
    if (endTag && endTag !== open.tag) {
      throw new EntityError(`Unmatched end tag at byte offset ${byteOffset(begin)}, expected "</${open.tag}>", found "</${endTag}>"`);
    }
    nested.pop();
    const length = out.length - open.offset;
    if (length === 0) continue;
    const at = { offset: open.offset, length };
    if (SIMPLE[open.tag] || (open.tag === "span" && open.argument === "spoiler")) entities.push({ type: SIMPLE[open.tag] ?? "spoiler", ...at });
    else if (open.tag === "blockquote") entities.push({ type: open.argument ? "expandable_blockquote" : "blockquote", ...at });
    else if (open.tag === "tg-emoji") {
      if (!/^[1-9]\d*$/.test(open.argument)) throw new EntityError("Invalid custom emoji identifier specified");
      entities.push({ type: "custom_emoji", ...at, custom_emoji_id: open.argument });
    } else if (open.tag === "a") {
      const url = checkedLink(open.argument || out.slice(open.offset));
      if (url) entities.push({ type: "text_link", ...at, url });
    } else if (open.tag === "code" || open.tag === "pre") {
      // <pre><code class="language-x">…</code></pre> (or the other way round) is one pre entity with a language;
      // without a language both entities stay, as tdlib keeps them.
      const other = entities.findIndex((e) => e.type === (open.tag === "pre" ? "code" : "pre") && e.offset === at.offset && e.length === at.length);
      const language = open.tag === "code" ? open.argument : other >= 0 ? entities[other].language : undefined;
      if (other >= 0 && language) {
        entities.splice(other, 1);
        entities.push({ type: "pre", ...at, language });
      } else entities.push({ type: open.tag, ...at, ...(open.tag === "code" && language ? { language } : {}) });
    }
  }
  if (nested.length > 0) throw new EntityError(`Can't find end tag corresponding to start tag "${nested[nested.length - 1].tag}"`);
  // A code entity's language only served to pair it with its pre.
  for (const e of entities) if (e.type === "code") delete e.language;

  // Telegram drops the text's outer white space and cuts the entities to what is left.
  const lead = out.length - out.trimStart().length;
  const trimmed = out.trim();
  const kept = entities
    .map((e) => {
      const start = Math.max(0, e.offset - lead);
      const end = Math.min(trimmed.length, e.offset - lead + e.length);
      return { ...e, offset: start, length: end - start };
    })
    .filter((e) => e.length > 0)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: trimmed, entities: kept };
}
