/**
 * A template as a language model drafts from it: its title and the outline of its sections (each `## heading`),
 * with the section's own prose as guidance and each placeholder named by what the offline draft puts there.
 */
import { PLACEHOLDERS, isPlaceholder } from "@statex/shared/placeholders";
import type { Template } from "../templates/store";

export type OutlineSection = { heading: string; guidance: string };

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g;

export function outlineOf(template: Pick<Template, "body">): OutlineSection[] {
  const sections: OutlineSection[] = [];
  let current: { heading: string; lines: string[] } | undefined;
  const close = () => {
    if (current) sections.push({ heading: current.heading, guidance: current.lines.join("\n").trim() });
  };
  for (const line of template.body.split("\n")) {
    const heading = /^##\s+(.+?)\s*$/.exec(line);
    if (heading?.[1]) {
      close();
      current = { heading: heading[1], lines: [] };
    } else if (current) {
      current.lines.push(line.replace(PLACEHOLDER, (_m, name: string) => `[${isPlaceholder(name) ? PLACEHOLDERS[name] : name}]`));
    }
  }
  close();
  return sections;
}
