/**
 * `GET /webhooks/whatsapp`: Meta's verification handshake (`hub.mode=subscribe`, `hub.verify_token` equal to
 * WHATSAPP_VERIFY_TOKEN: the answer is `hub.challenge` as text). `POST /webhooks/whatsapp`: its notifications,
 * signed with `X-Hub-Signature-256` (see signatures.ts) and refused with 401, nothing changed, without a valid one.
 * A client's inbound message opens the 24-hour window for free text to their number; statuses (sent, delivered,
 * read, failed), which arrive out of order and more than once, only ever move a message forward (status.ts).
 */
import { WhatsappHandshakeQuery, WhatsappNotification } from "@statex/shared/api/notify";
import { database, schema } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import { type AppEnv, limitBody } from "@statex/shared/http";
import { sameText } from "@statex/shared/tokens";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { waNumber } from "./channels-whatsapp";
import type { DeliveryEnv } from "./env";
import { verifyHubSignature } from "./signatures";
import { applyReport } from "./status";
import { WEBHOOK_MAX_BYTES, badSignature, readJson } from "./webhook-common";

const STATUSES = new Set(["sent", "delivered", "read", "failed"] as const);
const isStatus = (s: string): s is "sent" | "delivered" | "read" | "failed" => (STATUSES as Set<string>).has(s);

export const whatsappWebhook = new Hono<AppEnv<DeliveryEnv>>()
  // Who may call: Meta, setting the webhook up; it proves itself with the verify token we gave it.
  .get("/webhooks/whatsapp", (c) => {
    // Anything short of the right token is one refusal (403), whichever part is missing: Meta reads no problem body.
    const handshake = WhatsappHandshakeQuery.safeParse(c.req.query());
    const verifyToken = c.env.WHATSAPP_VERIFY_TOKEN;
    if (!handshake.success || !verifyToken || !sameText(handshake.data["hub.verify_token"], verifyToken)) {
      throw new ProblemError(403, "verification-refused", "The verify token is missing or wrong");
    }
    return c.text(handshake.data["hub.challenge"]);
  })
  // Who may call: Meta, proven by its signature of the body.
  .post("/webhooks/whatsapp", limitBody(WEBHOOK_MAX_BYTES), async (c) => {
    const body = await c.req.text();
    if (!(await verifyHubSignature(c.env.WHATSAPP_APP_SECRET, c.req.header("x-hub-signature-256") ?? null, body))) throw badSignature();
    const log = c.get("log");
    const parsed = WhatsappNotification.safeParse(readJson(body));
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
