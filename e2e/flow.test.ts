import { describe, expect, it } from "vitest";
import { type RequestView, apiUrl, eventually, opsHeaders, outboxFor, siteUrl, submitText } from "./helpers";

const text =
  "We run three physiotherapy clinics in Lisbon and book every appointment by phone. " +
  "We need an online booking website where patients choose a clinic, a therapist and a time slot. " +
  "The booking website should send reminders by SMS and email. Our budget is about 15000 euros and we want it live by March.";

describe("a text request, from submission to both emails", () => {
  it("is received, analysed and answered, with every step on record", async () => {
    const submitted = await submitText({ name: "Marta Silva", email: "marta@clinic.example", text });
    expect(submitted.status).toBe("received");

    const view = await eventually("the request to complete", async () => {
      const res = await fetch(`${siteUrl()}${submitted.statusUrl}`);
      const body = (await res.json()) as RequestView;
      return body.status === "completed" ? body : undefined;
    });
    expect(view.result?.language.code).toBe("en");
    expect(text).toContain(view.result?.summary.split(". ")[0]);
    expect(view.result?.keywords.map((k) => k.phrase).join(" ")).toMatch(/booking website/);
    expect(view.steps).toContainEqual(expect.objectContaining({ kind: "nlp", state: "succeeded" }));

    const emails = await eventually("both emails in the outbox", async () => {
      const messages = await outboxFor(submitted.id);
      return messages.length >= 2 ? messages : undefined;
    });
    for (const m of emails) expect([m.to].flat()).toEqual(["marta@clinic.example"]);
    const ready = emails.find((m) => /ready/i.test(m.subject));
    expect(ready, "the 'ready' email").toBeDefined();
    expect(emails.some((m) => /received/i.test(m.subject))).toBe(true);
    // The link in the email opens the request for its holder.
    const link = /https?:\/\/\S+request\.html\?id=(\S+?)&token=([\w-]+)/.exec(ready?.body ?? "");
    expect(link?.[1]).toBe(submitted.id);
    const viaLink = await fetch(`${siteUrl()}/api/requests/${link?.[1]}?token=${link?.[2]}`);
    expect(viaLink.status).toBe(200);

    // ops read the request's whole story, across workers, by its correlation id.
    // Log lines travel in batches (the logs queue waits up to a second), so wait for every worker's lines too.
    const timeline = await eventually("the timeline to hold the whole story", async () => {
      const res = await fetch(`${siteUrl()}/api/ops/timeline/${submitted.id}`, { headers: await opsHeaders() });
      const body = (await res.json()) as { entries: { kind: string; type?: string; service?: string }[] };
      const types = body.entries.filter((e) => e.kind === "event").map((e) => e.type);
      const services = new Set(body.entries.filter((e) => e.kind === "log").map((e) => e.service));
      const story = ["request.created", "job.created", "job.completed", "request.completed", "notification.sent"].every((t) => types.includes(t));
      return story && ["intake", "orchestrator", "ai", "notify"].every((s) => services.has(s)) ? body : undefined;
    });
    expect(timeline.entries[0]).toMatchObject({ kind: "event", type: "request.created" });
  });
});

describe("the platform's surface", () => {
  it("reports every worker healthy: up or down to anyone, each worker's checks to ops", async () => {
    const res = await fetch(`${siteUrl()}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "up" });
    const detail = await fetch(`${siteUrl()}/api/health`, { headers: await opsHeaders() });
    expect(detail.status).toBe(200);
    const body = (await detail.json()) as { status: string; services: Record<string, { status: string }> };
    expect(Object.keys(body.services).sort()).toEqual(["ai", "content", "gateway", "identity", "intake", "logging", "notify", "orchestrator"]);
    expect(Object.values(body.services).every((s) => s.status !== "down")).toBe(true);
    expect(body.status).not.toBe("down");
  });

  it("serves the site and the API from one origin", async () => {
    const page = await fetch(`${siteUrl()}/submit.html`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="request-form"');
    const docs = await fetch(`${siteUrl()}/api`);
    expect(((await docs.json()) as { routes: unknown[] }).routes.length).toBeGreaterThan(10);
  });

  it.each([
    ["malformed JSON", { "content-type": "application/json" }, "{oops", 400, "body"],
    ["a wrong content type", { "content-type": "text/plain" }, "hello", 415, "content-type"],
    ["an invalid email", { "content-type": "application/json" }, JSON.stringify({ name: "A", email: "nope", text: "t" }), 400, "email"],
    ["a missing field", { "content-type": "application/json" }, JSON.stringify({ name: "A", email: "a@b.example" }), 400, "text"],
    ["an oversize body", { "content-type": "application/json" }, JSON.stringify({ name: "A", email: "a@b.example", text: "x".repeat(400_000) }), 413, "body"],
  ])("refuses %s through the gateway with problem+json naming the field", async (_label, headers, body, status, field) => {
    const res = await fetch(`${apiUrl()}/api/requests`, { method: "POST", headers: { ...headers, "cf-connecting-ip": `192.0.2.${status}` }, body });
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toContain(field);
  });

  it("answers 404 for an unknown request id, and for a right id with a wrong token", async () => {
    const { id } = await submitText({ name: "Ann", email: "ann@example.com", text: "A small shop needs a website." });
    for (const url of [`/api/requests/req_01ARZ3NDEKTSV4RRFFQ69G5FAV?token=${"x".repeat(43)}`, `/api/requests/${id}?token=${"x".repeat(43)}`]) {
      const res = await fetch(`${siteUrl()}${url}`);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
  });

  it("keeps ops routes for ops and admin accounts: no static token opens them, the old development one included", async () => {
    const res = await fetch(`${siteUrl()}/api/ops/dead-letters`);
    expect(res.status).toBe(401);
    for (const token of ["y".repeat(32), "dev-only-ops-token"]) {
      const wrong = await fetch(`${siteUrl()}/api/ops/dead-letters`, { headers: { authorization: `Bearer ${token}` } });
      expect(wrong.status).toBe(401);
    }
    expect((await fetch(`${siteUrl()}/api/ops/dead-letters`, { headers: await opsHeaders() })).status).toBe(200);
  });
});
