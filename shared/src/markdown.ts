/**
 * Markdown documents: the front matter of pages and posts (read with `yaml`, validated by one zod schema) and the
 * renderer (./markdown-render, markdown-it), one module for the workers. Both are kept libraries without Node APIs.
 */
import { parseDocument as parseYaml } from "yaml";
import { z } from "zod";
import { type FieldError, ProblemError, fieldErrors } from "./errors";
import { allowedImage } from "./markdown-render";
import { Slug } from "./slug";

export { type Heading, type RenderOptions, type Rendered, allowedImage, allowedUrl, renderMarkdown } from "./markdown-render";

/** The languages a page may be written in: those the site speaks. */
export const PAGE_LOCALES = ["en", "de"] as const;

export { Slug } from "./slug";

/** A tag, which names a page of the site (/tags/<tag>): "Edge Computing" is written edge-computing. */
export const Tag = z
  .string()
  .trim()
  .toLowerCase()
  .transform((tag) => tag.replace(/\s+/g, "-"))
  .pipe(z.string().min(1, "empty").max(50, "at most 50 characters").regex(/^[\p{Ll}\p{Lo}\p{N}]+(?:-[\p{Ll}\p{Lo}\p{N}]+)*$/u, "letters, digits and dashes"));

/**
 * A page's or post's front matter. `date` is the publish date (a day or an ISO date-time); `hero` an image URL
 * (http(s) or on the site), which then needs `heroAlt`; a new page is a draft until it says `draft: false`.
 */
export const FrontMatter = z
  .strictObject({
    title: z.string().trim().min(1, "required").max(200, "at most 200 characters"),
    slug: Slug,
    summary: z.string().trim().max(500, "at most 500 characters").optional(),
    kind: z.enum(["page", "post"]).default("page"),
    tags: z.array(Tag).max(20, "at most 20 tags").transform((tags) => [...new Set(tags)]).default([]),
    locale: z.enum(PAGE_LOCALES).default("en"),
    author: z.string().trim().min(1, "empty").max(100, "at most 100 characters").optional(),
    date: z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "an ISO date (2026-05-01) or date-time (2026-05-01T09:00:00Z)" }).optional(),
    hero: z.string().trim().min(1, "empty").max(2_000, "at most 2000 characters").refine(allowedImage, "an http(s) URL or one on this site").optional(),
    heroAlt: z.string().trim().min(1, "empty").max(300, "at most 300 characters").optional(),
    draft: z.boolean().default(true),
  })
  .refine((front) => !front.hero || front.heroAlt, { path: ["heroAlt"], message: "required with hero: what the image shows" });
export type FrontMatter = z.infer<typeof FrontMatter>;

const FIELD = "frontMatter";

function invalidFrontMatter(errors: FieldError[]): ProblemError {
  return new ProblemError(400, "invalid-front-matter", `Invalid ${errors.map((e) => e.field).join(", ")}`, errors);
}

/**
 * A page's source split into its front matter, between its first two `---` lines (read as YAML, validated by
 * {@link FrontMatter}), and the markdown body after them. Throws a 400 problem naming each bad field as
 * `frontMatter.<field>`.
 */
export function parseDocument(source: string): { front: FrontMatter; body: string } {
  const lines = source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n");
  if (lines[0]?.trim() !== "---") throw invalidFrontMatter([{ field: FIELD, message: "a page starts with a --- line, its front matter (title:, slug: …), then ---" }]);
  const end = lines.findIndex((line, i) => i > 0 && (line.trim() === "---" || line.trim() === "..."));
  if (end < 0) throw invalidFrontMatter([{ field: FIELD, message: "the front matter has no closing --- line" }]);

  const duplicates: string[] = [];
  // The core schema (YAML 1.2) reads `no` and `2026-05-01` as the strings they look like; no aliases, so a few bytes
  // cannot expand into a huge value; a key given twice is named, which yaml's own error does not do.
  const doc = parseYaml(lines.slice(1, end).join("\n"), {
    schema: "core",
    prettyErrors: true,
    logLevel: "silent",
    uniqueKeys: (a, b) => {
      const same = String(a) === String(b);
      if (same) duplicates.push(String(a));
      return same;
    },
  });
  if (duplicates.length) throw invalidFrontMatter([...new Set(duplicates)].map((key) => ({ field: `${FIELD}.${key}`, message: "given twice" })));
  const problem = doc.errors[0];
  if (problem) {
    // yaml counts lines from the first line of the front matter, which is the document's second.
    const line = (problem.linePos?.[0].line ?? 0) + 1;
    const what = (problem.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    throw invalidFrontMatter([{ field: FIELD, message: `line ${line}: ${what || "not YAML"}` }]);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 0 });
  } catch {
    throw invalidFrontMatter([{ field: FIELD, message: "aliases (*name) are not allowed in front matter" }]);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw invalidFrontMatter([{ field: FIELD, message: "front matter is key: value lines" }]);
  const result = FrontMatter.safeParse(data);
  if (!result.success) throw invalidFrontMatter(fieldErrors(result.error.issues, FIELD));
  return { front: result.data, body: lines.slice(end + 1).join("\n") };
}
