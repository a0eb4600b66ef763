/**
 * POST /requests is one flow whichever form the body takes: the same fields as JSON or as multipart/form-data meet
 * the same checks in the same order, so the same fault gets the same problem, and the same fields the same request.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type Problem, contact, count, forms } from "./call";

/** What a problem says, without what differs per request (its id and instance). */
async function said(res: Response) {
  const { type, title, status, detail, errors } = await res.json<Problem>();
  return { type, title, status, detail, errors };
}

async function requestRow(res: Response) {
  const { id } = await res.json<{ id: string }>();
  return env.DB.prepare("select channel, name, email, phone, telegram, whatsapp, text, idempotency_hash as hash from requests where id = ?").bind(id).first();
}

describe("POST /requests as JSON and as multipart/form-data", () => {
  it.each([
    ["an invalid email", { ...contact, email: "not-an-email" }, 400, "validation-error", ["email"]],
    ["a missing text", { name: contact.name, email: contact.email }, 400, "validation-error", ["text"]],
    ["an invalid phone and channel", { ...contact, phone: "call me", channel: "fax" }, 400, "validation-error", ["phone", "channel"]],
    ["text over MAX_TEXT_CHARS", { ...contact, text: "x".repeat(20_001) }, 413, "too-large", ["text"]],
    ["more upload ids than MAX_FILES", { ...contact, uploadIds: Array.from({ length: 11 }, (_, i) => `upl_${i}`) }, 413, "too-large", ["uploadIds"]],
    ["an upload id without its token", { ...contact, uploadIds: ["upl_01ARZ3NDEKTSV4RRFFQ69G5FAV"] }, 400, "validation-error", ["uploadIds.0"]],
    ["a channel to notify by twice, an unknown one, a language and a profile not on LinkedIn", { ...contact, notifyBy: "email,email", locale: "fr", linkedin: "https://example.com/in/eve" }, 400, "validation-error", ["linkedin", "notifyBy", "locale"]],
    ["an unknown channel to notify by", { ...contact, notifyBy: "sms" }, 400, "validation-error", ["notifyBy.0"]],
    ["a filled honeypot", { ...contact, website: "http://buy-now.example" }, 422, "submission-refused", undefined],
  ])("answers %s with the same problem, writing nothing", async (_label, fields, status, type, named) => {
    const before = await count("requests");
    const fromForm = await said(await forms.multipart(fields));
    const fromJson = await said(await forms.JSON(fields));
    expect(fromJson).toEqual(fromForm);
    expect(fromJson).toMatchObject({ status, type: `/problems/${type}` });
    expect(fromJson.errors?.map((e) => e.field)).toEqual(named);
    expect(await count("requests")).toBe(before);
  });

  it("makes the same request of the same fields, with the same idempotency fingerprint", async () => {
    const fields = { ...contact, phone: "+351 912 345 678", telegram: "@marta_clinic", channel: "web", website: "" };
    const fromForm = await requestRow(await forms.multipart(fields, { "idempotency-key": "k-form" }));
    const fromJson = await requestRow(await forms.JSON(fields, { "idempotency-key": "k-json" }));
    expect(fromJson).toEqual(fromForm);
    expect(fromJson).toMatchObject({ channel: "web", phone: fields.phone, telegram: fields.telegram, whatsapp: null });
  });

  it("carries the LinkedIn profile and how to be told (channels in order, language) to notify in the event", async () => {
    const fields = { ...contact, linkedin: "https://www.linkedin.com/in/marta-clinic", notifyBy: "linkedin, email", locale: "de" };
    const created = async (res: Response) => {
      const { id } = await res.json<{ id: string }>();
      const row = await env.DB.prepare("select body from event_outbox where type = 'request.created' and body like ?").bind(`%${id}%`).first<{ body: string }>();
      const { data } = JSON.parse(String(row?.body)) as { data: { contact: Record<string, string>; preferences: unknown } };
      return { linkedin: data.contact.linkedin, preferences: data.preferences };
    };
    const fromForm = await created(await forms.multipart(fields));
    const fromJson = await created(await forms.JSON({ ...fields, notifyBy: ["linkedin", "email"] }));
    expect(fromJson).toEqual(fromForm);
    expect(fromJson).toEqual({ linkedin: fields.linkedin, preferences: { channels: ["linkedin", "email"], locale: "de" } });
  });
});
