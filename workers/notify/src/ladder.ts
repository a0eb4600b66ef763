/**
 * The fallback ladder, driven by delivery status. An event's message goes to the first channel of the person's
 * order; the next channel is tried when that one fails for good (refused, bounced, out of retries) or when no
 * `delivered` report arrives within DELIVERY_WINDOW_SECONDS. Each step is one notification with the id of its event
 * and channel, so through every retry, redelivery and look at the ladder, each channel sends at most once, and the
 * person gets the message on another channel once.
 *
 * The ladder's state is its rows: {@link advance} reads them and does the one thing due, whoever calls it: the
 * event's consumer (the first step), notify's delayed `notification.check` on its own queue (the window's end, or a
 * step that failed), and a provider's failure report (which asks for a check at once).
 */
import { MAX_RETRY_DELAY_SECONDS } from "@statex/shared/consumer";
import { database, schema } from "@statex/shared/db";
import { type Envelope, createEvent } from "@statex/shared/events";
import type { Logger } from "@statex/shared/logger";
import { eq } from "drizzle-orm";
import { availableChannels } from "./channels-available";
import type { DeliveryEnv } from "./env";
import { isErased } from "./erasure";
import { deliver, notificationId } from "./notifier";
import { type LadderInput, type Plan, planFor } from "./recipients";
import { emailLinkUrl } from "./telegram-link";
import { render } from "./templates";
import { unsubscribeUrl } from "./unsubscribe";

export type Ladder = typeof schema.notificationLadders.$inferSelect;
/** `check`: this look is a `notification.check` (so a window that has not quite ended asks for another look). */
type Ctx = { env: DeliveryEnv; log: Logger; attempt: number; check?: boolean };

/** Statuses that end a ladder: someone was reached (or ops took it over). */
const REACHED = new Set(["delivered", "read", "manual"]);

/** Stores an event's plan (once) and takes its first step. */
export async function startLadder(plan: Plan, ctx: Ctx): Promise<void> {
  const db = database(ctx.env.DB);
  const l = schema.notificationLadders;
  const row = { eventId: plan.eventId, correlationId: plan.correlationId, requestId: plan.requestId, userId: plan.userId, kind: plan.kind, template: plan.template, locale: plan.locale, rungs: plan.rungs, input: plan.input };
  await db.insert(l).values(row).onConflictDoNothing();
  const ladder = await db.select().from(l).where(eq(l.eventId, plan.eventId)).get();
  if (!ladder) return;
  if (plan.optedOut) return skipOptedOut(ladder, ctx);
  await advance(ladder, ctx);
}

/** Records that a person opted out of this kind of message: a `skipped` row where the first step would have gone. */
async function skipOptedOut(ladder: Ladder, ctx: Ctx): Promise<void> {
  const rung = ladder.rungs[0];
  if (!rung) return;
  const n = schema.notifications;
  await database(ctx.env.DB)
    .insert(n)
    .values({ id: await notificationId(ladder.eventId, rung.channel), eventId: ladder.eventId, requestId: ladder.requestId, userId: ladder.userId, channel: rung.channel, kind: ladder.kind, locale: ladder.locale, recipient: rung.address, template: ladder.template, body: "", status: "skipped", error: `opted out of ${ladder.kind} messages` })
    .onConflictDoNothing();
  ctx.log.info("opted out, nothing sent", { kind: ladder.kind });
}

/** Looks at a ladder again (a `notification.check`); a ladder that is gone (erased) needs nothing. */
export async function checkLadder(ladderId: string, ctx: Ctx): Promise<void> {
  const ladder = await database(ctx.env.DB).select().from(schema.notificationLadders).where(eq(schema.notificationLadders.eventId, ladderId)).get();
  if (ladder) await advance(ladder, { ...ctx, check: true });
}

/**
 * Does what is due on a ladder: nothing once someone was reached; otherwise the first step not yet failed or
 * skipped is sent, or waited for (its window), or left behind when its window passed. Throws RetryLater when a send
 * should be tried again later.
 */
export async function advance(ladder: Ladder, ctx: Ctx): Promise<void> {
  const { env, log } = ctx;
  if (ladder.requestId && (await isErased(env, ladder.requestId))) {
    log.info("request erased, nothing sent", { ladderId: ladder.eventId });
    return;
  }
  if (!ladder.rungs.length) {
    log.warn("no channel reaches the recipient", { ladderId: ladder.eventId, template: ladder.template });
    return;
  }
  const n = schema.notifications;
  const rows = await database(env.DB).select({ id: n.id, status: n.status, sentAt: n.sentAt }).from(n).where(eq(n.eventId, ladder.eventId)).all();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const channels = availableChannels(env);
  // A queue message waits 12 hours at most, so no window is longer.
  const windowMs = Math.min(Number(env.DELIVERY_WINDOW_SECONDS), MAX_RETRY_DELAY_SECONDS) * 1_000;
  const final = ctx.attempt >= Number(env.MAX_DELIVERY_ATTEMPTS);
  let previous: string | undefined;

  for (const [step, rung] of ladder.rungs.entries()) {
    const id = await notificationId(ladder.eventId, rung.channel);
    const row = byId.get(id);
    const last = step === ladder.rungs.length - 1;
    const fallbackFrom = previous;
    previous = id;
    if (row && REACHED.has(row.status)) return;
    if (row && (row.status === "failed" || row.status === "skipped")) continue;
    if (row?.status === "sent") {
      if (last) return;
      const due = Date.parse(row.sentAt ?? "") + windowMs;
      if (Date.now() >= due) {
        log.info("no delivery report within the window, trying the next channel", { notificationId: id, channel: rung.channel });
        continue;
      }
      // A check that came before its time asks for another, under an id of its own (its own is spent).
      return ctx.check ? armCheck(ladder, id, Math.max(due, Date.now() + 1_000), env, `.again.${Date.now()}`) : armCheck(ladder, id, due, env);
    }

    const channel = channels[rung.channel];
    if (!channel) {
      // The channel was switched off since the plan was made: the ladder goes on without it.
      const skipped = { status: "skipped" as const, error: "channel not configured", updatedAt: new Date().toISOString() };
      await database(env.DB)
        .insert(n)
        .values({ id, eventId: ladder.eventId, requestId: ladder.requestId, userId: ladder.userId, channel: rung.channel, kind: ladder.kind, locale: ladder.locale, recipient: rung.address, template: ladder.template, body: "", step, fallbackFrom, ...skipped })
        .onConflictDoUpdate({ target: n.id, set: skipped, setWhere: eq(n.status, "queued") });
      continue;
    }
    const message = await renderFor(ladder, rung.channel, env);
    const done = await deliver(
      { id, eventId: ladder.eventId, correlationId: ladder.correlationId, channel, address: rung.address, requestId: ladder.requestId ?? undefined, userId: ladder.userId ?? undefined, message: message.rendered, unsubscribeUrl: message.unsubscribeUrl, step, fallbackFrom, attempt: ctx.attempt, final },
      ctx,
    );
    if (REACHED.has(done.status)) return;
    if (done.status === "sent") {
      if (!last) await armCheck(ladder, id, Date.now() + windowMs, env);
      return;
    }
    if (done.status === "failed" && done.exhausted && !last) {
      // This delivery has no retries left for the next step: a check of its own gives that step a full set.
      return armCheck(ladder, id, Date.now(), env);
    }
  }
  log.warn("every channel of the recipient failed", { ladderId: ladder.eventId, channels: ladder.rungs.map((r) => r.channel) });
}

/** A ladder's message for one channel: the email with its unsubscribe link and, when offered, the Telegram link. */
async function renderFor(ladder: Ladder, channel: string, env: DeliveryEnv) {
  const input = ladder.input as LadderInput;
  const { offerTelegram, ...values } = input;
  const email = channel === "email";
  const telegramLink = email && offerTelegram && ladder.requestId ? await emailLinkUrl(env, ladder.requestId, ladder.eventId) : undefined;
  const owner = ladder.userId ? { userId: ladder.userId } : ladder.requestId ? { requestId: ladder.requestId } : undefined;
  const unsubscribe = email && owner && ladder.kind !== "account" ? await unsubscribeUrl(env, owner, ladder.kind) : undefined;
  const rendered = await render(ladder.template as Plan["template"], { ...values, ...(telegramLink ? { telegramLink } : {}) }, ladder.locale, unsubscribe);
  return { rendered, unsubscribeUrl: unsubscribe };
}

/**
 * Asks for a look at the ladder at `dueMs` (epoch ms): a `notification.check` on notify's own queue, delayed until
 * then. Its id names the step and the time, so asking twice sends one look, and a later window asks anew.
 */
export async function armCheck(
  ladder: Pick<Ladder, "eventId" | "correlationId" | "requestId">,
  notificationId: string,
  dueMs: number,
  env: Pick<DeliveryEnv, "Q_NOTIFY">,
  suffix = "",
): Promise<void> {
  const dueSeconds = Math.ceil(dueMs / 1_000);
  const event: Envelope<"notification.check"> = createEvent(
    "notification.check",
    { ladderId: ladder.eventId, notificationId, ...(ladder.requestId ? { requestId: ladder.requestId } : {}) },
    { correlationId: ladder.correlationId, source: "notify", id: `${notificationId}.check.${dueSeconds}${suffix}` },
  );
  const delaySeconds = Math.max(0, Math.min(dueSeconds - Math.floor(Date.now() / 1_000), MAX_RETRY_DELAY_SECONDS));
  await env.Q_NOTIFY.send(event, { contentType: "json", delaySeconds });
}

/** An event's messages: its plan (who, what, where), then the ladder's first step. Nothing about an erased request. */
export async function notify(event: Envelope, ctx: Ctx): Promise<void> {
  const requestId = "requestId" in event.data && typeof event.data.requestId === "string" ? event.data.requestId : undefined;
  if (requestId && (await isErased(ctx.env, requestId))) {
    ctx.log.info("request erased, nothing sent", { type: event.type });
    return;
  }
  const plan = await planFor(event, ctx.env);
  if (plan) await startLadder(plan, ctx);
}
