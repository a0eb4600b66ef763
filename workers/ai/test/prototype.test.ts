import { env } from "cloudflare:workers";
import { PrototypeResult, type TaskMessage } from "@statex/shared/tasks";
import { describe, expect, it } from "vitest";
import { offlineProvider } from "../src/providers/offline";
import { Answer } from "../src/providers/types";
import { analyse } from "../src/providers/offline/nlp";
import { TemplateStore } from "../src/templates/store";

const shop =
  "We are a family bakery in Vienna. We want an online shop where customers order cakes, pay by card and choose a delivery time. " +
  "We also need email reminders for orders. Our budget is €12,000 and we would like to launch by September.";

function task(text: string, analysis?: Record<string, unknown>): TaskMessage {
  return { taskId: "prototype", requestId: "req_proto", kind: "prototype", attempt: 1, input: { text, ...(analysis ? { analysis } : {}) } };
}

async function draft(text: string, withAnalysis = true) {
  const result = await offlineProvider.run(task(text, withAnalysis ? analyse(text) : undefined), env);
  return PrototypeResult.parse(result instanceof Answer ? result.output : result);
}

describe("prototype (offline)", () => {
  it("drafts every section from the analysis and the category's template, recording its id and version", async () => {
    const result = await draft(shop);
    expect(result.category).toBe("e-commerce");
    expect(result.template).toEqual({ id: "tpl_e_commerce", slug: "e-commerce-default", version: 1 });
    for (const heading of ["## Understanding of the need", "## Proposed scope and features", "## Architecture sketch", "## Milestones", "## Effort estimate", "## Open questions"]) {
      expect(result.markdown).toContain(heading);
    }
    expect(result.markdown).not.toMatch(/\{\{\w+\}\}/);
    expect(result.markdown).toContain("tpl_e_commerce, version 1");
    expect(result.markdown).toContain("Vienna");
    expect(result.markdown).toContain("12,000 EUR");
    expect(result.features).toEqual(expect.arrayContaining(["Payments and invoicing", "Notifications and reminders (email, SMS or push)", "Locations, delivery and shipping"]));
    expect(result.estimate.lowDays).toBeGreaterThan(0);
    expect(result.estimate.highDays).toBeGreaterThan(result.estimate.lowDays);
    expect(result.estimate.assumptions.length).toBeGreaterThanOrEqual(4);
    // Budget and deadline were stated, so the draft does not ask for them.
    expect(result.questions.join(" ")).not.toMatch(/budget range|When do you need it/);
  });

  it("is deterministic, and analyses the text itself when no analysis was passed", async () => {
    expect(await draft(shop)).toEqual(await draft(shop));
    expect(await draft(shop, false)).toEqual(await draft(shop));
  });

  it("asks for what the request left unsaid, and falls back to the other template when unsure", async () => {
    const result = await draft("Hello, we have a question about something.");
    expect(result.category).toBe("other");
    expect(result.template.slug).toBe("other-default");
    expect(result.questions).toEqual(expect.arrayContaining(["What budget range do you have in mind?", expect.stringMatching(/which best describes it/)]));
  });

  it("uses the fallback template when the category's own is retired, and the newest version of a template", async () => {
    const store = new TemplateStore(env.DB);
    await store.retire("tpl_website", "usr_test");
    const text = "We need a new website for our dental clinic with online booking.";
    expect((await draft(text)).template.slug).toBe("other-default");
    const body = "# {{title}}\n\n{{summary}}\n\n## Proposed scope and features\n{{features}}\n\n{{questions}}";
    await store.update("tpl_other", { body, requiredFields: ["summary", "features"] }, "usr_test");
    const result = await draft(text);
    expect(result.template).toEqual({ id: "tpl_other", slug: "other-default", version: 2 });
    expect(result.markdown).toContain("## Proposed scope and features");
  });

  it("refuses a task with neither analysis nor text as invalid input", async () => {
    await expect(offlineProvider.run(task(""), env)).rejects.toMatchObject({ errorClass: "invalid-input" });
  });
});
