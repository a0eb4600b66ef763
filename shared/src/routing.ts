/**
 * Publish/subscribe over Cloudflare Queues.
 *
 * A queue has exactly one consumer, so "subscribing" a worker to an event type
 * means routing that type to the worker's queue. This table is the single
 * place where that is decided; producers only say what happened.
 */
import type { Envelope, EventType } from "./events";

/** Producer binding names, one per subscriber queue. */
export type QueueBinding = "Q_ORCHESTRATOR" | "Q_NOTIFY" | "Q_LOGGING" | "Q_INTAKE";

/** Every event goes to logging (the audit trail); the rest subscribe by type. */
const routes: Record<EventType, QueueBinding[]> = {
  // No welcome from notify: identity's verification email (over NotifyApi) is the first a new account gets.
  "user.registered": [],
  "user.updated": [],
  // intake finds the person's requests (and announces each as request.erased); notify forgets the addresses it
  // mailed outside any request (account emails); logging anonymises the audit trail by email and user id.
  "user.deleted": ["Q_INTAKE", "Q_NOTIFY"],
  "request.created": ["Q_ORCHESTRATOR", "Q_NOTIFY"],
  // notify: webhooks to the owner's endpoints for all four; messages for completed and failed only.
  "request.processing": ["Q_NOTIFY"],
  "request.completed": ["Q_NOTIFY"],
  "request.failed": ["Q_NOTIFY"],
  // No email (whoever cancelled knows), but the owner's webhook endpoints hear of it. Logging keeps it for the
  // request's timeline.
  "request.cancelled": ["Q_NOTIFY"],
  // Every worker that holds something of a request: its job and results, its notifications (logging: its timeline).
  "request.erased": ["Q_ORCHESTRATOR", "Q_NOTIFY"],
  "job.created": [],
  "job.progress": [],
  "job.completed": [],
  "job.failed": [],
  "notification.sent": [],
  "notification.failed": [],
  "notification.delivered": [],
  // notify's own delayed look at a ladder: sent straight to its queue with a delay (Q_NOTIFY.send), never published,
  // so the audit trail does not fill with timers.
  "notification.check": ["Q_NOTIFY"],
  // notify's own next attempt at a webhook delivery, likewise sent straight to its queue, never published.
  "webhook.attempt": ["Q_NOTIFY"],
  // notify's consumer emails the endpoint's owner; logging keeps it on the account's record.
  "webhook.endpoint-disabled": ["Q_NOTIFY"],
  // Logging's alone: it appends the audit trail.
  "audit.recorded": [],
  "content.published": [],
  "content.updated": [],
  "content.deleted": [],
};

/** The queues that receive an event of this type. */
export function subscribersOf(type: EventType): QueueBinding[] {
  return [...routes[type], "Q_LOGGING"];
}

/** The env of a worker that publishes: it holds a producer binding for every queue it may route to. */
export type PublisherEnv = Partial<Record<QueueBinding, Queue>>;

/** Thrown when a worker publishes a type without a producer binding for one of its subscribers. */
export class MissingQueueBindingError extends Error {
  constructor(type: EventType, binding: QueueBinding) {
    super(`cannot publish ${type}: no producer binding ${binding}`);
    this.name = "MissingQueueBindingError";
  }
}

/** Sends events to every subscriber queue. Throws (so the caller retries) if any send fails. */
export async function publish(env: PublisherEnv, ...events: Envelope[]): Promise<void> {
  const perQueue = new Map<QueueBinding, Envelope[]>();
  for (const event of events) {
    for (const binding of subscribersOf(event.type)) {
      const list = perQueue.get(binding) ?? [];
      list.push(event);
      perQueue.set(binding, list);
    }
  }
  await Promise.all(
    [...perQueue].map(([binding, list]) => {
      const queue = env[binding];
      if (!queue) throw new MissingQueueBindingError(list[0]?.type ?? "request.created", binding);
      return queue.sendBatch(list.map((body) => ({ body, contentType: "json" as const })));
    }),
  );
}
