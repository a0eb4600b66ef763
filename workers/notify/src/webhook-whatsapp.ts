/**
 * `GET /webhooks/whatsapp`: Meta's verification handshake (`hub.mode=subscribe`, `hub.verify_token` equal to
 * WHATSAPP_VERIFY_TOKEN: the answer is `hub.challenge` as text). `POST /webhooks/whatsapp`: its notifications,
 * signed with `X-Hub-Signature-256` (see signatures.ts) and refused with 401, nothing changed, without a valid one.
 * A client's inbound message opens the 24-hour window for free text to their number; statuses (sent, delivered,
 * read, failed), which arrive out of order and more than once, only ever move a message forward (status.ts).
 */
import { database, schema } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import { type AppEnv, limitBody } from "@statex/shared/http";
import { sameText } from "@statex/shared/tokens";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { waNumber } from "./channels-whatsapp";
import type { DeliveryEnv } from "./env";
import { verifyHubSignature } from "./signatures";
import { applyReport } from "./status";
import { WEBHOOK_MAX_BYTES, badSignature, readJson } from "./webhook-common";

const epoch = z.union([z.string().regex(/^\d{1,12}$/), z.number().int().nonnegative()]).transform((s) => new Date(Number(s) * 1_000).toISOString());

const Value = z.looseObject({
  messages: z.array(z.looseObject({ from: z.string().min(1).max(32), id: z.string().optional(), timestamp: epoch })).optional(),
  statuses: z
    .array(
      z.looseObject({
        id: z.string().min(1).max(200),
        status: z.string(),
        timestamp: epoch,
        errors: z.array(z.looseObject({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional() })).optional(),
      }),
    )
    .optional(),
});

const Notification = z.looseObject({
  entry: z.array(z.looseObject({ changes: z.array(z.looseObject({ field: z.string().optional(), value: Value })).default([]) })).default([]),
});

const STATUSES = new Set(["sent", "delivered", "read", "failed"] as const);
const isStatus = (s: string): s is "sent" | "delivered" | "read" | "failed" => (STATUSES as Set<string>).has(s);

export const whatsappWebhook = new Hono<AppEnv<DeliveryEnv>>()
  // Who may call: Meta, setting the webhook up; it proves itself with the verify token we gave it.
  .get("/webhooks/whatsapp", (c) => {
    const token = c.req.query("hub.verify_token");
    const challenge = c.req.query("hub.challenge");
    if (c.req.query("hub.mode") !== "subscribe" || !token || !challenge || !c.env.WHATSAPP_VERIFY_TOKEN || !sameText(token, c.env.WHATSAPP_VERIFY_TOKEN)) {
      throw new ProblemError(403, "verification-refused", "The verify token is missing or wrong");
    }
    return c.text(challenge);
  })
  // Who may call: Meta, proven by its signature of the body.
  .post("/webhooks/whatsapp", limitBody(WEBHOOK_MAX_BYTES), async (c) => {
    const body = await c.req.text();
    if (!(await verifyHubSignature(c.env.WHATSAPP_APP_SECRET, c.req.header("x-hub-signature-256") ?? null, body))) throw badSignature();
    const log = c.get("log");
    const parsed = Notification.safeParse(readJson(body));
    if (!parsed.success) {
      log.warn("whatsapp webhook not understood", { issues: parsed.error.issues.length });
      return c.json({ received: true });
    }
    const w = schema.whatsappWindows;
    const db = database(c.env.DB);
    for (const change of parsed.data.entry.flatMap((e) => e.changes)) {
      for (const message of change.value.messages ?? []) {
        // The latest message wins, whatever order they came in.
        await db
          .insert(w)
          .values({ phone: waNumber(message.from), lastInboundAt: message.timestamp })
          .onConflictDoUpdate({ target: w.phone, set: { lastInboundAt: sql`max(${w.lastInboundAt}, excluded.last_inbound_at)` } });
      }
      for (const status of change.value.statuses ?? []) {
        if (!isStatus(status.status)) continue;
        const problem = status.errors?.[0];
        const error = problem ? `whatsapp reported ${problem.code ?? "an error"}: ${problem.message ?? problem.title ?? "no details"}` : undefined;
        const applied = await applyReport({ channel: "whatsapp", providerMessageId: status.id, status: status.status, at: status.timestamp, error }, { env: c.env, log });
        if (applied === "unknown") log.warn("whatsapp status for an unknown message", { status: status.status, providerMessageId: status.id });
      }
    }
    return c.json({ received: true });
  });
