/**
 * Front matter: a `---` block of `key: value` lines at the top of a page (a
 * tiny subset of YAML: plain, "double" or 'single' quoted values, # comments),
 * validated with zod. Every problem names its field as `frontMatter.<key>`.
 */
import { type FieldError, ProblemError, fieldErrors } from "@statex/shared/errors";
import { z } from "zod";

export const FrontMatter = z.strictObject({
  title: z.string().trim().min(1, "required").max(200, "at most 200 characters"),
  description: z.string().trim().max(500, "at most 500 characters").optional(),
});
export type FrontMatter = z.infer<typeof FrontMatter>;

/** A page's source split into its validated front matter and its markdown body. */
export type ParsedPage = { meta: FrontMatter; body: string };

const FIELD = "frontMatter";
const LINE = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/;

function invalid(errors: FieldError[]): ProblemError {
  return new ProblemError(400, "invalid-front-matter", `Invalid ${errors.map((e) => e.field).join(", ")}`, errors);
}

/** A value without its quotes; double quotes take JSON escapes, single quotes double up (''). */
function unquote(raw: string, line: number): string {
  const value = raw.trim();
  if (value.startsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === "string") return parsed;
    } catch {
      // fall through to the error below
    }
    throw invalid([{ field: FIELD, message: `line ${line}: unterminated or malformed "quoted" value` }]);
  }
  if (value.startsWith("'")) {
    if (value.length < 2 || !value.endsWith("'")) throw invalid([{ field: FIELD, message: `line ${line}: unterminated 'quoted' value` }]);
    return value.slice(1, -1).replaceAll("''", "'");
  }
  return value;
}

/** Splits and validates a page's source; throws a 400 problem naming each bad field. */
export function parsePage(source: string): ParsedPage {
  const lines = source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n");
  if (lines[0]?.trim() !== "---") {
    throw invalid([{ field: FIELD, message: "a page starts with a --- line, then title: and description:, then ---" }]);
  }
  const end = lines.findIndex((l, i) => i > 0 && (l.trim() === "---" || l.trim() === "..."));
  if (end < 0) throw invalid([{ field: FIELD, message: "the front matter has no closing --- line" }]);
  const values: Record<string, string> = {};
  for (let i = 1; i < end; i++) {
    const text = lines[i] ?? "";
    if (!text.trim() || text.trimStart().startsWith("#")) continue;
    const m = LINE.exec(text);
    if (!m) throw invalid([{ field: FIELD, message: `line ${i + 1}: expected key: value` }]);
    const key = m[1] ?? "";
    if (key in values) throw invalid([{ field: `${FIELD}.${key}`, message: "given twice" }]);
    values[key] = unquote(m[2] ?? "", i + 1);
  }
  const result = FrontMatter.safeParse(values);
  if (!result.success) {
    throw invalid(
      result.error.issues.flatMap((issue) =>
        issue.code === "unrecognized_keys"
          ? issue.keys.map((key) => ({ field: `${FIELD}.${key}`, message: "unknown key (allowed: title, description)" }))
          : fieldErrors([issue], FIELD),
      ),
    );
  }
  return { meta: result.data, body: lines.slice(end + 1).join("\n") };
}
