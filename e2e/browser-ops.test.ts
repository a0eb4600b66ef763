// The ops console as ops meet it in a browser: the seeded admin signs in on /ops.html and walks every view (the
// overview's charts and job slots, the alerts, a request's whole story, log search, dead letters, the spam log,
// security events, LinkedIn tasks, every worker's health, the audit trail), each either showing its data or saying
// its API is "not available" yet, never failing. A LinkedIn message is marked sent by hand; a task that fails every
// time leaves a dead letter, which ops redrive from the console and see leave the list of open ones. A client who
// signs in there is told the console is for ops only. Nothing breaks the site's CSP: no inline script or style,
// which the browser would report as a console error.
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { devAdmin } from "../scripts/create-admin.mjs";
import { chromiumForFile, errorsOf, shots, signInOnStaffPage } from "./browser";
import { apiUrl, cancel, deadLetterOf, eventually, form, opsHeaders, siteUrl, submitText } from "./helpers";

const browser = chromiumForFile();

// The ai worker's dev-only fault switch (workers/ai/src/fault.ts): every delivery of this request's nlp task fails.
const FAULT = "[[statex-fault:nlp]]";

/** A browser of its own on a network of its own: identity counts sign-ins and registrations per network. */
const on = (network: string) => browser().newContext({ extraHTTPHeaders: { "cf-connecting-ip": network }, viewport: { width: 1360, height: 900 } });

const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `ops-${name}.png`), fullPage: true });

/**
 * Opens a view by its tab and waits until it has loaded: its data, an empty list's sentence, or "not available".
 * A real failure (an `.alert` in the view) fails the test with what it says.
 */
async function openView(page: Page, tab: string, id: string, loaded: string): Promise<void> {
  await page.locator("nav.ops-tabs").getByRole("link", { name: tab, exact: true }).click();
  const view = page.locator(`#view-${id}`);
  await expect.poll(() => view.isVisible()).toBe(true);
  await expect.poll(async () => (await view.locator(`${loaded}, .ops-unavailable, .alert`).count()) > 0, { timeout: 15_000 }).toBe(true);
  const failures = await view.locator(".alert:not(.ops-alerts)").allTextContents();
  expect(failures).toEqual([]);
}

describe("the ops console", () => {
  let context: BrowserContext | undefined;
  afterAll(async () => {
    await context?.close();
  });

  it("lets ops walk every view, read a request's story, and redrive its dead letter until it leaves the list", async () => {
    // The failing request first: its dead letter takes a while (two attempts), which the walk through the views uses.
    const failing = await submitText({ name: "Ops Console", email: "ops-console@clinic.example", text: `We need a booking website for our clinic. ${FAULT}` });
    // Locally there is one job slot: in the whole suite the job may wait in line behind the requests earlier files
    // left running. The walk starts once its job runs, so its story has the tasks and its dead letter is on the way.
    await eventually(
      "the failing request's job to start",
      async () => {
        const res = await fetch(`${apiUrl()}/api/ops/jobs/${failing.id}`, { headers: await opsHeaders() });
        return res.ok && ((await res.json()) as { tasks: unknown[] }).tasks.length > 0 ? true : undefined;
      },
      120_000,
    );
    const letter = deadLetterOf("statex-ai-tasks", failing.id, 60_000);

    // A client who asked to be told on LinkedIn: its "received" message is a task for ops to send by hand.
    const profile = `https://www.linkedin.com/in/ops-console-${Date.now()}`;
    const told = await fetch(`${apiUrl()}/api/requests`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.82" },
      body: JSON.stringify({ name: "Lena Park", email: "lena@clinic.example", linkedin: profile, notifyBy: ["linkedin", "email"], text: "We need a booking website for our physiotherapy clinic." }),
    });
    expect(told.status).toBe(202);

    // A bot that filled the form's hidden field: refused, and in the spam log.
    const trap = await fetch(`${apiUrl()}/api/requests`, { method: "POST", headers: { "cf-connecting-ip": "192.0.2.83" }, body: form({ name: "Spam Bot", email: "bot@spam.example", text: "Cheap pills for your clinic, buy now.", website: "x" }, []) });
    expect(trap.status).toBe(422);

    context = await on("192.0.2.80");
    const page = await context.newPage();
    const errors = errorsOf(page);
    const admin = devAdmin();
    await signInOnStaffPage(page, "ops", admin.email, admin.password);
    await expect.poll(() => page.locator("#console").isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator("#who").textContent()).toMatch(/\(admin\)$/);

    // Overview: the metrics (or a word that they are not served yet) and the job slots, which the failing job holds.
    await openView(page, "Overview", "overview", "[data-part=updated]:not(:empty)");
    const overview = page.locator("#view-overview");
    // Every source answered (the line says when): the metrics, the alerts and the slots, each shown or "not available".
    await expect.poll(() => overview.locator("[data-part=updated]").textContent(), { timeout: 15_000 }).toMatch(/^Live: updated/);
    await expect.poll(() => overview.locator("[data-part=slots]").textContent()).toMatch(/job slots in use/);
    if (await overview.locator("[data-part=metrics]").isVisible()) {
      // Four charts, each a canvas uPlot drew.
      await expect.poll(() => overview.locator("figure.ops-chart canvas").count()).toBe(4);
      await overview.getByLabel("Last hour").check();
      await expect.poll(() => overview.locator("[data-part=span]").textContent()).toMatch(/buckets of 5 min/);
    }
    await shoot(page, "overview");
    await openView(page, "Alerts", "alerts", "[data-part=list] > *");
    await shoot(page, "alerts");

    // A request's story: reached by its id, with its job's tasks in a table and everything in time order.
    await page.locator("nav.ops-tabs").getByRole("link", { name: "Request story" }).click();
    await page.getByLabel("Request id").fill(failing.id);
    await page.getByRole("button", { name: "Show its story" }).click();
    await expect.poll(() => page.url()).toContain(`#request/${failing.id}`);
    const story = page.locator("#view-request [data-part=story]");
    await expect.poll(() => story.locator("table").first().textContent(), { timeout: 15_000 }).toMatch(/nlp/);
    expect(await story.locator("ol.ops-story li").count()).toBeGreaterThan(0);
    expect(await story.locator("ol.ops-story").textContent()).toMatch(/request\.created/);
    await shoot(page, "story");

    // Log search by the request's correlation id.
    await openView(page, "Logs", "logs", "[data-part=summary]:not(:empty)");
    await page.getByLabel("Correlation id").fill(failing.id);
    await page.getByRole("button", { name: "Search" }).click();
    await expect.poll(async () => (await page.locator("#view-logs tbody tr").count()) > 0 || (await page.locator("#view-logs .ops-unavailable").count()) > 0, { timeout: 15_000 }).toBe(true);
    await shoot(page, "logs");

    // The dead letter: listed among the open ones of its queue, redriven from its row, gone from the list.
    const { id } = await letter;
    await openView(page, "Dead letters", "dead-letters", "[data-part=list] > *");
    const dead = page.locator("#view-dead-letters");
    await dead.getByLabel("Queue").fill("statex-ai-tasks");
    await dead.getByRole("button", { name: "Show", exact: true }).click();
    const row = dead.locator(`button[data-id="${id}"]`);
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await dead.getByRole("button", { name: "Redrive every open letter of statex-ai-tasks" }).isEnabled()).toBe(true);
    await shoot(page, "dead-letters");
    await row.click();
    await expect.poll(() => dead.locator("[data-part=status]").textContent()).toBe(`Sent ${id} back to statex-ai-tasks.`);
    await expect.poll(() => row.count()).toBe(0);
    // Among the redriven ones it is there, with when.
    await dead.getByLabel("Which").selectOption("redriven");
    await dead.getByRole("button", { name: "Show", exact: true }).click();
    await expect.poll(() => dead.locator("tr", { hasText: failing.id }).filter({ hasText: "redriven" }).count()).toBeGreaterThan(0);
    await shoot(page, "dead-letters-redriven");

    await openView(page, "Spam log", "spam", "[data-part=list] > *");
    expect(await page.locator("#view-spam tr", { hasText: "honeypot field filled" }).count()).toBeGreaterThan(0);
    await shoot(page, "spam");
    await openView(page, "Security events", "security", "[data-part=list] > *");
    await shoot(page, "security");
    // The LinkedIn message: listed with its profile and text, marked sent from its row, gone from the open ones.
    await openView(page, "LinkedIn tasks", "linkedin", "[data-part=list] > *");
    const linkedin = page.locator("#view-linkedin");
    const task = linkedin.locator("tr", { hasText: profile });
    await expect.poll(() => task.count(), { timeout: 15_000 }).toBe(1);
    await shoot(page, "linkedin");
    await task.getByRole("button", { name: /^Sent it/ }).click();
    await expect.poll(() => linkedin.locator("[data-part=status]").textContent()).toMatch(/marked sent: delivered\.$/);
    await expect.poll(() => task.count()).toBe(0);
    // Health: every worker by name, up (the platform is running).
    await openView(page, "Health", "health", "[data-part=list] > *");
    const health = page.locator("#view-health");
    for (const worker of ["gateway", "intake", "identity", "orchestrator", "ai", "notify", "content", "logging"]) {
      await expect.poll(() => health.locator("tr", { hasText: worker }).count()).toBeGreaterThan(0);
    }
    // Beside it, the circuit breaker of each provider ai and notify call, with its state.
    for (const provider of ["openai", "email", "telegram", "whatsapp"]) {
      await expect.poll(() => health.locator("[data-part=breakers] tr", { hasText: provider }).count()).toBe(1);
    }
    const states = await health.locator("[data-part=breakers] .ops-health").allTextContents();
    expect(states.filter((state) => ["closed", "open", "half-open"].includes(state))).toHaveLength(4);
    await shoot(page, "health");
    // The audit trail: the redrive just made is in it, and the chain verifies.
    await openView(page, "Audit trail", "audit", "[data-part=list] > *");
    const audit = page.locator("#view-audit");
    if (!(await audit.locator(".ops-unavailable").count())) {
      // The entry is written through logging's own path, a moment after the redrive answered: asked again until listed.
      await expect
        .poll(async () => {
          await audit.getByRole("button", { name: "Show", exact: true }).click();
          return audit.locator("tbody tr", { hasText: "dead-letter.redriven" }).count();
        }, { timeout: 15_000 })
        .toBeGreaterThan(0);
      await audit.getByRole("button", { name: "Verify the chain" }).click();
      await expect.poll(() => audit.locator("[data-part=verdict]").textContent()).toMatch(/^The chain is intact/);
    }
    await shoot(page, "audit");

    // A reload refreshes the session silently and comes back to the same view.
    await page.reload();
    await expect.poll(() => page.locator("#view-audit").isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator("nav.ops-tabs a[aria-current=page]").textContent()).toBe("Audit trail");

    // Nothing was refused by the CSP and no script failed on the way.
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
    // The failing job let go of its slot for the tests that follow.
    expect((await cancel(failing)).status).toBe(200);
  }, 240_000);

  it("tells a client who signs in there that the console is for ops only", async () => {
    const email = `ops-curious-${Date.now()}@studio.example`;
    const password = "a long enough passphrase";
    const res = await fetch(`${apiUrl()}/api/users`, { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.81" }, body: JSON.stringify({ name: "Curious Client", email, password }) });
    expect(res.status).toBe(202);
    const client = await on("192.0.2.81");
    const page = await client.newPage();
    await signInOnStaffPage(page, "ops", email, password);
    await expect.poll(() => page.locator("#not-ops").isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByRole("heading", { name: "Ops only" }).isVisible()).toBe(true);
    expect(await page.locator("#not-ops-who").textContent()).toContain("whose role is client");
    expect(await page.locator("#console").isHidden()).toBe(true);
    await shoot(page, "ops-only");
    await client.close();
  });
});
