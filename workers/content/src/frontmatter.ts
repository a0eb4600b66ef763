/**
 * The front matter pages were saved with before issue 17 (title and description), read by the shared reader, while
 * routes/authoring.ts and pages.ts move to @statex/shared/markdown's FrontMatter; goes once nothing imports it.
 */
import { parseDocumentWith } from "@statex/shared/markdown";
import { z } from "zod";

const LegacyFrontMatter = z.strictObject({
  title: z.string().trim().min(1, "required").max(200, "at most 200 characters"),
  description: z.string().trim().max(500, "at most 500 characters").optional(),
});

/** Splits and validates a page's source; throws a 400 problem naming each bad field. */
export function parsePage(source: string): { meta: z.infer<typeof LegacyFrontMatter>; body: string } {
  const { front, body } = parseDocumentWith(LegacyFrontMatter, source);
  return { meta: front, body };
}
