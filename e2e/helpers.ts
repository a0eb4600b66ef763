import { inject } from "vitest";
import { devSecretValue } from "../infra/topology.mjs";
import { devAdmin } from "../scripts/create-admin.mjs";

export const siteUrl = () => inject("siteUrl");
export const apiUrl = () => inject("apiUrl");
export const localUrl = () => inject("localUrl");

/** An access token lives 15 minutes: one sign-in serves a test file for 10, then the next call signs in again. */
const SIGN_IN_AGAIN_MS = 10 * 60_000;
let admin: { at: number; headers: Promise<Record<string, string>> } | undefined;

/**
 * The headers of an ops call: the development admin's access token (the platform seeds the admin, see
 * scripts/create-admin.mjs; no static token opens ops routes). Signed in from an address of its own, so the sign-in
 * never counts against a test's submission limit.
 */
export function opsHeaders(): Promise<Record<string, string>> {
  if (!admin || Date.now() - admin.at > SIGN_IN_AGAIN_MS) {
    const headers = (async () => {
      const res = await fetch(`${apiUrl()}/api/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.250" },
        body: JSON.stringify(devAdmin()),
      });
      if (res.status !== 201) throw new Error(`the admin's sign-in answered ${res.status}: ${await res.text()}`);
      return { authorization: `Bearer ${((await res.json()) as { accessToken: string }).accessToken}` };
    })();
    // A failed sign-in is not kept: the next call tries again.
    headers.catch(() => (admin = undefined));
    admin = { at: Date.now(), headers };
  }
  return admin.headers;
}

/** A client's request that states a goal, requirements, a constraint, a budget and a deadline day. */
export const clinicRequest =
  "We run two physiotherapy clinics in Braga and book every appointment by phone. " +
  "We want an online booking website so that patients book at any hour and we reduce no-shows. " +
  "Patients must choose a clinic, a therapist and a time slot, and get reminders by SMS. " +
  "The site must comply with GDPR and work with our existing practice software. " +
  "Our budget is 18000 EUR and the site has to be live by 1 June 2027.";

export type Submitted = { id: string; status: string; statusUrl: string };
export type RequestView = {
  id: string;
  status: string;
  steps: { kind: string; state: string }[];
  result: { language: { code: string }; summary: string; keywords: { phrase: string }[] } | null;
};
export type DeadLetter = { id: string; queue: string; body: string; reason: string; redrivenAt: string | null };
export type OutboxMessage = { channel: string; to: string | string[]; subject: string; body: string; requestId?: string };

export async function submitText(body: Record<string, string>, base = siteUrl()): Promise<Submitted> {
  const res = await fetch(`${base}/api/requests`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (res.status !== 202) throw new Error(`submit answered ${res.status}: ${await res.text()}`);
  return res.json() as Promise<Submitted>;
}

/** A multipart submission as the site's form sends it: the fields, then each file as a `files` part. */
export function form(fields: Record<string, string>, files: { name: string; bytes: Uint8Array<ArrayBuffer> }[]): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  for (const f of files) data.append("files", new File([f.bytes], f.name));
  return data;
}

/** The first dead letter of `queue` whose body names the request, once the logging worker recorded it. */
export function deadLetterOf(queue: string, requestId: string, timeoutMs = 30_000): Promise<DeadLetter> {
  return eventually(
    `a dead letter of ${requestId} on ${queue}`,
    async () => {
      const res = await fetch(`${siteUrl()}/api/ops/dead-letters?queue=${queue}`, { headers: await opsHeaders() });
      const { deadLetters } = (await res.json()) as { deadLetters: DeadLetter[] };
      return deadLetters.find((d) => d.body.includes(requestId));
    },
    timeoutMs,
  );
}

/** Asks the logging worker to send a dead letter back to its queue (once: the second time is 409). */
export async function redrive(letterId: string): Promise<Response> {
  return fetch(`${siteUrl()}/api/ops/dead-letters/${encodeURIComponent(letterId)}/redrive`, { method: "POST", headers: await opsHeaders() });
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

export async function outboxFor(requestId: string): Promise<OutboxMessage[]> {
  const res = await fetch(`${siteUrl()}/api/dev/outbox?requestId=${encodeURIComponent(requestId)}`);
  if (!res.ok) throw new Error(`outbox answered ${res.status}`);
  return ((await res.json()) as { messages: OutboxMessage[] }).messages;
}

/** The status link's token, for the routes that take it (cancel, live, a task's result). */
export function tokenOf(submitted: Submitted): string {
  return new URL(submitted.statusUrl, siteUrl()).searchParams.get("token") ?? "";
}

/** Cancels a request as its status link's holder. */
export function cancel(submitted: Submitted): Promise<Response> {
  return fetch(`${siteUrl()}/api/requests/${submitted.id}/cancel?token=${encodeURIComponent(tokenOf(submitted))}`, { method: "POST" });
}

/**
 * Takes every job slot (JOB_SLOTS; one locally) with requests whose analysis never answers (the dev fault switch), so
 * the next request waits in line, with nothing dispatched, until `release` cancels them (answering each cancel's
 * status). Resolves once JobSlots runs every holder.
 */
export async function holdEverySlot(): Promise<{ holders: Submitted[]; release: () => Promise<number[]> }> {
  const holder = (i: number) => submitText({ name: "Slot Holder", email: `holder${i}@clinic.example`, text: `We need a booking website for clinic ${i}. [[statex-fault:nlp]]` });
  const slotsView = async () =>
    (await (await fetch(`${siteUrl()}/api/ops/job-slots`, { headers: await opsHeaders() })).json()) as { slots: number; running: { requestId: string }[] };
  // JobSlots learns how many slots there are from the first job that asks for one.
  const first = await holder(0);
  const slots = await eventually("JobSlots to know JOB_SLOTS", async () => (await slotsView()).slots || undefined);
  const holders = [first, ...(await Promise.all(Array.from({ length: slots - 1 }, (_, i) => holder(i + 1))))];
  await eventually("every holder to hold a slot", async () => {
    const { running } = await slotsView();
    return holders.every((h) => running.some((r) => r.requestId === h.id)) || undefined;
  });
  return { holders, release: async () => (await Promise.all(holders.map(cancel))).map((res) => res.status) };
}

/** One chat completion request as the local model server's stand-in chat model received it. */
export type ChatRequest = {
  at: string;
  path: string;
  body: { model: string; stream?: boolean; messages: { role: string; content: string }[]; response_format?: { json_schema?: { name: string } } };
};

/** The chat requests the stand-in chat model received, newest first (it keeps the last 50). */
export async function chatRequests(): Promise<ChatRequest[]> {
  const res = await fetch(`${localUrl()}/v1/standin/chat-requests`, { headers: { authorization: `Bearer ${devSecretValue("AI_API_KEY")}` } });
  if (!res.ok) throw new Error(`the stand-in's chat requests answered ${res.status}`);
  return ((await res.json()) as { data: ChatRequest[] }).data;
}

const fold = (s: string) => s.replace(/\s+/g, " ").trim();

/**
 * The sentences of a prompt's instructions, of five words or more and with whitespace folded: what a model that
 * leaked its prompt would show. A short phrase ("the given schema") may well occur by chance; a whole sentence of
 * the prompt does not.
 */
export function promptSentences(system: string): string[] {
  return system
    .split(/(?<=[.:;])\s+|\n/)
    .map((s) => fold(s.replace(/^- /, "")))
    .filter((s) => s.split(" ").length >= 5);
}

/** The sentences of the prompt `system` that stand in `text`, whitespace folded. */
export function leakedSentences(text: string, system: string): string[] {
  const folded = fold(text);
  return promptSentences(system).filter((s) => folded.includes(s));
}
