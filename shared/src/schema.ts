/**
 * The D1 schema, one database for the platform. Each table belongs to one
 * worker (noted above it); other workers read it only where noted.
 * drizzle-kit generates `migrations/` from this file.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ACCOUNT_KINDS, type ApiScope, ROLES } from "./auth";
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, NOTIFICATION_LOCALES, NOTIFICATION_STATUSES, type LadderRung, type NotificationChannel, type NotificationKind } from "./notifications";
import { CATEGORIES } from "./tasks";
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./webhooks";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

// intake: one row per submitted request. The status page reads it with the job mirror; notify reads `erased_at`,
// so nothing more is sent about a request whose person was forgotten.
export const requests = sqliteTable(
  "requests",
  {
    id: text("id").primaryKey(),
    channel: text("channel", { enum: ["web", "api", "email"] }).notNull(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    phone: text("phone"),
    telegram: text("telegram"),
    whatsapp: text("whatsapp"),
    text: text("text").notNull(),
    userId: text("user_id"),
    idempotencyKey: text("idempotency_key"),
    idempotencyHash: text("idempotency_hash"),
    createdAt: text("created_at").notNull().default(now),
    /**
     * When the request's personal data was erased (its account was deleted, or it carried that account's email):
     * the contact and text are blanked, its files and results deleted; the id, channel and times stay for ops' counts.
     */
    erasedAt: text("erased_at"),
  },
  (t) => [
    uniqueIndex("requests_idempotency_key").on(t.idempotencyKey),
    index("requests_email").on(t.email),
    // The dashboard lists a client's requests newest first.
    index("requests_user").on(t.userId, t.createdAt),
  ],
);

// intake: the files of a request, stored in R2 (kind and mime are sniffed from the bytes).
export const requestFiles = sqliteTable(
  "request_files",
  {
    id: text("id").primaryKey(),
    requestId: text("request_id").notNull(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["audio", "document"] }).notNull(),
    mime: text("mime").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [index("request_files_request").on(t.requestId)],
);

// intake: large files uploaded ahead of a submission, in resumable R2 multipart uploads.
export const uploads = sqliteTable(
  "uploads",
  {
    id: text("id").primaryKey(),
    key: text("key").notNull(),
    r2UploadId: text("r2_upload_id").notNull(),
    name: text("name").notNull(),
    size: integer("size").notNull(),
    status: text("status", { enum: ["open", "complete", "aborted", "used"] }).notNull(),
    kind: text("kind", { enum: ["audio", "document"] }),
    mime: text("mime"),
    sha256: text("sha256"),
    parts: text("parts", { mode: "json" }).$type<{ partNumber: number; etag: string; size: number }[]>().notNull(),
    ownerTokenHash: text("owner_token_hash").notNull(),
    createdAt: text("created_at").notNull().default(now),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("uploads_status").on(t.status, t.expiresAt)],
);

// intake: the owners' live tickets already used. A ticket opens one connection: a copy of its URL (in a proxy's
// log, a screenshot) opens nothing after that. Kept until the ticket would have expired anyway.
export const usedLiveTickets = sqliteTable(
  "used_live_tickets",
  {
    hash: text("hash").primaryKey(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("used_live_tickets_expiry").on(t.expiresAt)],
);

// intake: submissions refused as spam, kept for ops to read rather than silently dropped.
export const spamLog = sqliteTable(
  "spam_log",
  {
    id: text("id").primaryKey(),
    reason: text("reason").notNull(),
    channel: text("channel").notNull(),
    clientIp: text("client_ip"),
    email: text("email"),
    excerpt: text("excerpt"),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [index("spam_log_created").on(t.createdAt)],
);

// intake (and every worker that publishes from a transaction): events written in the same batch as
// the rows they describe, sent by the outbox relay, so a row never exists without its event.
export const eventOutbox = sqliteTable(
  "event_outbox",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    body: text("body").notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: text("created_at").notNull().default(now),
    sentAt: text("sent_at"),
  },
  (t) => [index("event_outbox_unsent").on(t.sentAt, t.createdAt)],
);

// orchestrator: the D1 mirror of each request's job (the Durable Object holds the truth).
// intake reads it to answer the status URL.
export const jobs = sqliteTable("jobs", {
  requestId: text("request_id").primaryKey(),
  status: text("status", { enum: ["processing", "completed", "failed", "cancelled"] }).notNull(),
  steps: text("steps", { mode: "json" }).$type<JobStep[]>().notNull(),
  result: text("result", { mode: "json" }).$type<Record<string, unknown>>(),
  error: text("error"),
  createdAt: text("created_at").notNull().default(now),
  updatedAt: text("updated_at").notNull().default(now),
  completedAt: text("completed_at"),
});

/** One task of a job as the dashboard shows it. */
export type JobStep = {
  id: string;
  kind: "asr" | "docai" | "nlp" | "prototype";
  /** For a file's task (asr, docai): the name of the file it reads, as the client sent it. */
  fileName?: string;
  state: "pending" | "running" | "succeeded" | "failed" | "cancelled";
  attempt: number;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  error?: string;
  provider?: string;
};

// every consumer: which events it has already handled, so a redelivery changes nothing. notify's webhooks use it too
// (consumer `webhook:<provider>`, the provider's delivery id), so a webhook sent twice is acted on once.
export const processedEvents = sqliteTable(
  "processed_events",
  {
    consumer: text("consumer").notNull(),
    eventId: text("event_id").notNull(),
    processedAt: text("processed_at").notNull().default(now),
  },
  // Retention (logging's cron) deletes by age, a chunk at a time.
  (t) => [primaryKey({ columns: [t.consumer, t.eventId] }), index("processed_events_at").on(t.processedAt)],
);

// notify: one row per message to one recipient on one channel, with its delivery state. Its id is derived from the
// event (or the account email's idempotency key) and the channel, so one event sends once per channel through every
// retry, redelivery and step of the ladder.
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    /** The event that caused it (an account email: its idempotency key): every step of one ladder shares it. */
    eventId: text("event_id"),
    requestId: text("request_id"),
    /** The account it went to, when known (a signed-in client's request, or an account email's owner). */
    userId: text("user_id"),
    channel: text("channel", { enum: NOTIFICATION_CHANNELS }).notNull(),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull().default("account"),
    locale: text("locale", { enum: NOTIFICATION_LOCALES }).notNull().default("en"),
    /** The address on the channel: an email address, a Telegram chat id, a WhatsApp number (digits), a LinkedIn profile. */
    recipient: text("recipient").notNull(),
    template: text("template").notNull(),
    subject: text("subject"),
    body: text("body").notNull(),
    status: text("status", { enum: NOTIFICATION_STATUSES }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    providerMessageId: text("provider_message_id"),
    error: text("error"),
    /** Which step of the recipient's channel order this is (0: their first channel). */
    step: integer("step").notNull().default(0),
    /** The notification of the step before, which failed or was not delivered in time. */
    fallbackFrom: text("fallback_from"),
    /** While a send is under way, no other delivery of the same message may start one (a redelivery racing a retry). */
    claimedUntil: text("claimed_until"),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at"),
    sentAt: text("sent_at"),
    deliveredAt: text("delivered_at"),
    readAt: text("read_at"),
    failedAt: text("failed_at"),
  },
  (t) => [
    index("notifications_request").on(t.requestId),
    // A provider's status webhook names its own message id.
    index("notifications_provider_message").on(t.channel, t.providerMessageId),
    // ops filter by status or channel, newest first; a client lists their own.
    index("notifications_status").on(t.status, t.createdAt),
    index("notifications_channel").on(t.channel, t.createdAt),
    index("notifications_created").on(t.createdAt),
    index("notifications_user").on(t.userId, t.createdAt),
    index("notifications_event").on(t.eventId),
  ],
);

// notify: what one event is to tell one person, kept so any step of the ladder can be sent later (a delivery window
// that ended, a bounce): the channel order with the addresses, the template and what it is filled with. Its rows in
// `notifications` (one per step tried) carry the delivery state. Erasure blanks `rungs` and `input`.
export const notificationLadders = sqliteTable(
  "notification_ladders",
  {
    eventId: text("event_id").primaryKey(),
    correlationId: text("correlation_id").notNull(),
    requestId: text("request_id"),
    userId: text("user_id"),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    template: text("template").notNull(),
    locale: text("locale", { enum: NOTIFICATION_LOCALES }).notNull(),
    rungs: text("rungs", { mode: "json" }).$type<LadderRung[]>().notNull(),
    /** The template's values (names, summary, links): personal data, blanked on erasure. */
    input: text("input", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [index("notification_ladders_request").on(t.requestId), index("notification_ladders_user").on(t.userId)],
);

// notify: what a person wants, per account, or per request for someone who sent one signed out. `id` is
// `user:<id>` or `request:<id>`. A signed-in client's account preferences win over their request's.
export const notificationPreferences = sqliteTable(
  "notification_preferences",
  {
    id: text("id").primaryKey(),
    userId: text("user_id"),
    requestId: text("request_id"),
    /** Channels in the order to try them; null: not stated (messaging apps given first, then email). */
    channels: text("channels", { mode: "json" }).$type<NotificationChannel[]>(),
    /** Kinds of message not to send at all (never `account`: account mail is essential). */
    optOuts: text("opt_outs", { mode: "json" }).$type<NotificationKind[]>().notNull().default(sql`'[]'`),
    locale: text("locale", { enum: NOTIFICATION_LOCALES }),
    /** Addresses the account gave for channels a request's contact does not carry. */
    whatsapp: text("whatsapp"),
    linkedin: text("linkedin"),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [uniqueIndex("notification_preferences_user").on(t.userId), uniqueIndex("notification_preferences_request").on(t.requestId)],
);

// notify: a Telegram chat that receives an account's or a request's messages (the Bot API needs a chat id; a
// @username cannot be messaged). `id` is `user:<id>` or `request:<id>`: one chat per owner, the last linked.
export const telegramChats = sqliteTable(
  "telegram_chats",
  {
    id: text("id").primaryKey(),
    chatId: text("chat_id").notNull(),
    userId: text("user_id"),
    requestId: text("request_id"),
    /** The Telegram @username that linked it, to show on the account page. */
    username: text("username"),
    linkedAt: text("linked_at").notNull().default(now),
  },
  (t) => [index("telegram_chats_chat").on(t.chatId), index("telegram_chats_user").on(t.userId), index("telegram_chats_request").on(t.requestId)],
);

// notify: single-use codes of `t.me/<bot>?start=<code>` links, stored as sha256: whoever sends `/start <code>` to the
// bot links their chat to the code's account or request.
export const telegramLinkCodes = sqliteTable(
  "telegram_link_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    userId: text("user_id"),
    requestId: text("request_id"),
    expiresAt: text("expires_at").notNull(),
    usedAt: text("used_at"),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [index("telegram_link_codes_user").on(t.userId), index("telegram_link_codes_request").on(t.requestId), index("telegram_link_codes_expiry").on(t.expiresAt)],
);

// notify: the last message a WhatsApp number sent us. Free text may go to it for 24 hours after; outside that window
// only an approved template.
export const whatsappWindows = sqliteTable("whatsapp_windows", {
  /** The number as WhatsApp names it: digits with the country code, no `+`. */
  phone: text("phone").primaryKey(),
  lastInboundAt: text("last_inbound_at").notNull(),
});

// notify: a message for LinkedIn, which has no API for it: ops send the prepared text by hand and mark it done or
// skipped. One per notification (the same id).
export const linkedinTasks = sqliteTable(
  "linkedin_tasks",
  {
    id: text("id").primaryKey(),
    requestId: text("request_id"),
    userId: text("user_id"),
    /** The client's LinkedIn profile URL. */
    profile: text("profile").notNull(),
    text: text("text").notNull(),
    status: text("status", { enum: ["open", "done", "skipped"] }).notNull().default("open"),
    createdAt: text("created_at").notNull().default(now),
    /** The ops user who marked it, and when. */
    doneBy: text("done_by"),
    doneAt: text("done_at"),
  },
  (t) => [index("linkedin_tasks_status").on(t.status, t.createdAt), index("linkedin_tasks_request").on(t.requestId)],
);

// logging: every event as published (the audit trail).
export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    correlationId: text("correlation_id").notNull(),
    source: text("source").notNull(),
    occurredAt: text("occurred_at").notNull(),
    data: text("data", { mode: "json" }).notNull(),
    receivedAt: text("received_at").notNull().default(now),
  },
  // events_received: the retention cron deletes by when an event was stored.
  (t) => [index("events_correlation").on(t.correlationId, t.occurredAt), index("events_received").on(t.receivedAt)],
);

// logging: structured log lines from every worker.
export const logs = sqliteTable(
  "logs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ts: text("ts").notNull(),
    level: text("level").notNull(),
    service: text("service").notNull(),
    correlationId: text("correlation_id"),
    /** The HTTP request id the line was written under, when the line is about another correlation id (a `req_…`). */
    requestId: text("request_id"),
    msg: text("msg").notNull(),
    fields: text("fields", { mode: "json" }),
  },
  // Log search filters by time range first, then by worker or level (README, "Log search" has the plans); the
  // text of a line is searched through logs_search (FTS5, trigram), kept by triggers in the migration.
  (t) => [
    index("logs_correlation").on(t.correlationId, t.ts),
    index("logs_ts").on(t.ts),
    index("logs_service").on(t.service, t.ts),
    index("logs_level").on(t.level, t.ts),
    index("logs_request").on(t.requestId),
  ],
);

// logging: messages that exhausted their retries, kept for ops to read and redrive.
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    queue: text("queue").notNull(),
    body: text("body").notNull(),
    eventType: text("event_type"),
    correlationId: text("correlation_id"),
    attempts: integer("attempts").notNull(),
    reason: text("reason").notNull(),
    receivedAt: text("received_at").notNull().default(now),
    redrivenAt: text("redriven_at"),
  },
  (t) => [index("dead_letters_queue").on(t.queue, t.receivedAt), index("dead_letters_received").on(t.receivedAt)],
);

/**
 * logging: the audit trail of what people did with power — role grants, sign-in security events, ops' cancels,
 * retries and redrives, template changes, publishing, account deletions. Append-only (triggers in the migration
 * refuse UPDATE and DELETE) and hash-chained: `hash` is the SHA-256 of the entry with `prev_hash`, the hash of the
 * entry before, so a row changed or removed behind the triggers' back breaks the chain where it was
 * (workers/logging/src/audit.ts). `prev_hash` is unique, so two appends racing for the same place cannot both land.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    seq: integer("seq").primaryKey(),
    at: text("at").notNull(),
    action: text("action").notNull(),
    actorId: text("actor_id"),
    actorRole: text("actor_role"),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    change: text("change", { mode: "json" }).$type<Record<string, unknown>>(),
    correlationId: text("correlation_id"),
    /** The event (or redrive) the entry records: appending it twice adds it once. */
    sourceId: text("source_id").notNull().unique(),
    prevHash: text("prev_hash").notNull().unique(),
    hash: text("hash").notNull(),
  },
  (t) => [index("audit_log_action").on(t.action, t.seq), index("audit_log_actor").on(t.actorId, t.seq), index("audit_log_target").on(t.targetId, t.seq)],
);

/**
 * logging: the local stand-in for Workers Analytics Engine (wrangler drops its writes): the metric data points of
 * shared/src/metrics.ts rolled up per minute, per dimensions and per value bucket (`le`, the bucket's upper bound, so
 * percentiles can be read from the counts). In staging and production the points go to Analytics Engine instead.
 */
export const metricRollup = sqliteTable(
  "metric_rollup",
  {
    minute: text("minute").notNull(),
    metric: text("metric").notNull(),
    d1: text("d1").notNull().default(""),
    d2: text("d2").notNull().default(""),
    d3: text("d3").notNull().default(""),
    le: integer("le").notNull().default(0),
    count: integer("count").notNull().default(0),
    sum: integer("sum").notNull().default(0),
    /** A second measure summed (a task's model tokens). */
    extra: integer("extra").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.metric, t.minute, t.d1, t.d2, t.d3, t.le] })],
);

/**
 * logging: the alert rules' state (workers/logging/src/alerts.ts): a rule pending since its condition first held, and
 * every firing with its resolution, so each is announced once when it fires and once when it resolves.
 */
export const alerts = sqliteTable(
  "alerts",
  {
    id: text("id").primaryKey(),
    rule: text("rule").notNull(),
    firedAt: text("fired_at").notNull(),
    resolvedAt: text("resolved_at"),
    value: real("value"),
    summary: text("summary").notNull(),
  },
  (t) => [index("alerts_rule").on(t.rule, t.resolvedAt), index("alerts_fired").on(t.firedAt)],
);

export const alertState = sqliteTable("alert_state", {
  rule: text("rule").primaryKey(),
  /** When the rule's condition began to hold without a break (null: it does not hold). */
  pendingSince: text("pending_since"),
  /** What the rule remembers between evaluations (a queue's backlog samples). */
  memory: text("memory", { mode: "json" }).$type<Record<string, unknown>>(),
  checkedAt: text("checked_at").notNull(),
});

// identity: accounts and their sessions.
export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull().default("client"),
    /** A service account has no password that verifies and no mailbox: it calls only with its API keys. */
    kind: text("kind", { enum: ACCOUNT_KINDS }).notNull().default("person"),
    /** When the owner of the address opened the verification link; null until then. */
    emailVerifiedAt: text("email_verified_at"),
    /** Sessions and account links issued before this are no longer honoured (a password change or reset). */
    passwordChangedAt: text("password_changed_at"),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
  },
  // Ops' list of service accounts pages by kind, newest id first; without this it scans every person.
  (t) => [index("users_kind_id").on(t.kind, t.id)],
);

/**
 * A signed-in session: one sign-in and every refresh token descended from it (the family). It ends after
 * `idle_expires_at` unused or `expires_at` at most, or when revoked (sign-out, reuse of a spent refresh token,
 * a password change, a role change, the account's deletion).
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The sha256 of the family's current refresh token; the only one that refreshes. */
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: text("expires_at").notNull(),
    idleExpiresAt: text("idle_expires_at"),
    lastUsedAt: text("last_used_at"),
    userAgent: text("user_agent"),
    /** The network it was last used from: an IPv4 address or an IPv6 /64. */
    network: text("network"),
    revokedAt: text("revoked_at"),
    revokedReason: text("revoked_reason"),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

/** Refresh tokens already spent, by hash: presenting one again revokes its session (the whole family). */
export const spentRefreshTokens = sqliteTable(
  "spent_refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    spentAt: text("spent_at").notNull().default(now),
    /** 1 for a token replaced by a retry within the grace window: its answer never arrived, so it never comes back rightly. */
    orphaned: integer("orphaned").notNull().default(0),
  },
  (t) => [index("spent_refresh_tokens_session").on(t.sessionId)],
);

/**
 * API keys: a system calling as the account that owns the key, limited to the key's scopes. Only the sha256 of the
 * whole key is kept (the key is answered once); `prefix` is what the owner recognises it by in a list.
 */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    scopes: text("scopes", { mode: "json" }).$type<ApiScope[]>().notNull(),
    createdAt: text("created_at").notNull().default(now),
    expiresAt: text("expires_at"),
    lastUsedAt: text("last_used_at"),
    revokedAt: text("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.keyHash), index("api_keys_user").on(t.userId, t.createdAt)],
);

/** Keys that sign access tokens (ES256): the private key sealed with a secret, the public one served as JWKS. */
export const signingKeys = sqliteTable("signing_keys", {
  kid: text("kid").primaryKey(),
  alg: text("alg").notNull(),
  publicJwk: text("public_jwk").notNull(),
  sealedPrivateJwk: text("sealed_private_jwk").notNull(),
  /** active signs; retired only verifies, until `verify_until`. */
  status: text("status", { enum: ["active", "retired"] }).notNull(),
  createdAt: text("created_at").notNull().default(now),
  retiredAt: text("retired_at"),
  verifyUntil: text("verify_until"),
});

/** Single-use links in account emails (verify the address, reset the password), stored only as hashes. */
export const accountTokens = sqliteTable(
  "account_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    purpose: text("purpose", { enum: ["verify-email", "reset-password"] }).notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: text("expires_at").notNull(),
    usedAt: text("used_at"),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [index("account_tokens_user").on(t.userId, t.purpose)],
);

/** What ops must be able to see about accounts: failed sign-ins, locks, refresh reuse, role grants, resets. */
export const securityEvents = sqliteTable(
  "security_events",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    /** The sha256 of the normalised email concerned (never the address itself). */
    emailHash: text("email_hash"),
    userId: text("user_id"),
    network: text("network"),
    detail: text("detail"),
    at: text("at").notNull().default(now),
  },
  (t) => [index("security_events_at").on(t.at), index("security_events_email").on(t.emailHash, t.at), index("security_events_kind").on(t.kind, t.at)],
);

/**
 * Every change of a user's role: who made it, to whom, from what to what. Kept when either account is deleted
 * (the ids then name no one), so the record of who held which power stays whole.
 */
export const roleChanges = sqliteTable(
  "role_changes",
  {
    id: text("id").primaryKey(),
    actorId: text("actor_id").notNull(),
    targetId: text("target_id").notNull(),
    oldRole: text("old_role", { enum: ROLES }).notNull(),
    newRole: text("new_role", { enum: ROLES }).notNull(),
    at: text("at").notNull().default(now),
  },
  (t) => [index("role_changes_at").on(t.at), index("role_changes_target").on(t.targetId, t.at)],
);

// content: one row per page or post. Its sources are its versions (page_versions): every save is a new version and
// `version` is the newest one, the draft. What the site shows is in page_publications, so a draft edit never
// changes the live page, and whether a page is live is a question of time, not of a status someone must flip.
export const pages = sqliteTable("pages", {
  slug: text("slug").primaryKey(),
  /** The draft's title, for the authors' list without parsing sources. */
  title: text("title").notNull(),
  version: integer("version").notNull().default(0),
  updatedBy: text("updated_by"),
  updatedAt: text("updated_at").notNull().default(now),
});

// content: every saved version of a page, unchanged once written (a restore saves the old source as a new version).
export const pageVersions = sqliteTable(
  "page_versions",
  {
    slug: text("slug")
      .notNull()
      .references(() => pages.slug, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** The whole markdown source, front matter included, as the author wrote it. */
    body: text("body").notNull(),
    title: text("title").notNull(),
    /** The version this one restored, when it was a restore. */
    restoredFrom: integer("restored_from"),
    createdBy: text("created_by"),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.slug, t.version] })],
);

/** A published page's hero image, with the dimensions its upload recorded. */
export type PageHero = { url: string; alt: string; width: number; height: number };

// content: what the site shows, rendered once when a version is published. A page is live from `live_at` on: the
// row with the latest `live_at` not in the future wins, so a publication scheduled for later sits beside the live
// one and takes over on time whether or not the cron has run yet. The cron then announces it (event, search index,
// cache purge: `announced_at`) and removes the row it replaced. Unpublish and delete remove every row of the page.
// The site (routes/public.ts, through store.ts) reads it.
export const pagePublications = sqliteTable(
  "page_publications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug")
      .notNull()
      .references(() => pages.slug, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    kind: text("kind", { enum: ["page", "post"] }).notNull(),
    title: text("title").notNull(),
    summary: text("summary"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
    locale: text("locale").notNull(),
    author: text("author"),
    /** The date the page shows and sorts by: its front matter's, else the day it was first published. */
    date: text("date").notNull(),
    hero: text("hero", { mode: "json" }).$type<PageHero>(),
    html: text("html").notNull(),
    /** The rendered body as plain text, for the search index. */
    text: text("text").notNull(),
    liveAt: text("live_at").notNull(),
    /** When the page first went live; kept when a new version replaces a live one. */
    publishedAt: text("published_at").notNull(),
    publishedBy: text("published_by"),
    /** When its event was written and the search index and cache updated; null while scheduled. */
    announcedAt: text("announced_at"),
  },
  (t) => [
    index("page_publications_slug").on(t.slug, t.liveAt),
    index("page_publications_date").on(t.date),
    index("page_publications_unannounced").on(t.announcedAt, t.liveAt),
  ],
);

// content: uploaded images, stored in R2 under `media/<sha256>.<ext>`, with what their header says.
export const media = sqliteTable("media", {
  sha256: text("sha256").primaryKey(),
  type: text("type", { enum: ["image/png", "image/jpeg", "image/webp", "image/gif"] }).notNull(),
  ext: text("ext").notNull(),
  width: integer("width").notNull(),
  height: integer("height").notNull(),
  size: integer("size").notNull(),
  uploadedBy: text("uploaded_by"),
  createdAt: text("created_at").notNull().default(now),
});

// ai: prototype templates. The row is a template's current version (its id never changes);
// every version, the first included, is also kept unchanged in template_versions, so a
// prototype that recorded (id, version) can always be traced to the exact body it used.
export const templates = sqliteTable(
  "templates",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    category: text("category", { enum: CATEGORIES }).notNull(),
    version: integer("version").notNull().default(1),
    title: text("title").notNull(),
    body: text("body").notNull(),
    requiredFields: text("required_fields", { mode: "json" }).$type<string[]>().notNull(),
    status: text("status", { enum: ["active", "retired"] }).notNull().default("active"),
    updatedBy: text("updated_by"),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [index("templates_category").on(t.category, t.status)],
);

// ai: the immutable history of every template version.
export const templateVersions = sqliteTable(
  "template_versions",
  {
    templateId: text("template_id")
      .notNull()
      .references(() => templates.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    category: text("category", { enum: CATEGORIES }).notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    requiredFields: text("required_fields", { mode: "json" }).$type<string[]>().notNull(),
    createdBy: text("created_by"),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.templateId, t.version] })],
);

// notify: an integrator's webhook endpoints, per account. The signing secret is sealed (AES-GCM under
// WEBHOOK_SECRET_KEY): notify must sign with it, so only a hash would not do. During a rotation's overlap the previous
// secret signs beside the new one until `previous_secret_until`.
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    url: text("url").notNull(),
    description: text("description"),
    events: text("events", { mode: "json" }).$type<WebhookEventType[]>().notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    /** Why it was switched off (failing since, or by its owner); null while enabled. */
    disabledReason: text("disabled_reason"),
    secret: text("secret").notNull(),
    previousSecret: text("previous_secret"),
    previousSecretUntil: text("previous_secret_until"),
    /** The first failed attempt since the last success: an endpoint failing for long enough is disabled. */
    failingSince: text("failing_since"),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
  },
  // The cron looks for enabled endpoints failing too long every minute: through their first failure's time, past the
  // disabled ones (which keep theirs), not through every endpoint.
  (t) => [index("webhook_endpoints_user").on(t.userId, t.createdAt), index("webhook_endpoints_failing").on(t.enabled, t.failingSince)],
);

// notify: one event to one endpoint. The id is derived from the two (the Standard Webhooks `webhook-id`, the same on
// every retry and re-send), so a redelivered event writes nothing twice. `payload` is the body exactly as signed.
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    eventType: text("event_type", { enum: WEBHOOK_EVENT_TYPES }).notNull(),
    requestId: text("request_id").notNull(),
    correlationId: text("correlation_id").notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: text("next_attempt_at"),
    /** While an attempt is under way no other may start (a queue message racing the cron's sweep or a re-send). */
    claimedUntil: text("claimed_until"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_event").on(t.endpointId, t.eventId),
    // The owner lists an endpoint's deliveries newest first; the cron finds the pending ones that are overdue.
    index("webhook_deliveries_endpoint_created").on(t.endpointId, t.createdAt),
    index("webhook_deliveries_due").on(t.status, t.nextAttemptAt),
    index("webhook_deliveries_request").on(t.requestId),
  ],
);

// notify: every attempt at a delivery, as its owner reads them: when, the answer's status and first KiB, how long
// it took, or the error when there was no answer.
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    n: integer("n").notNull(),
    at: text("at").notNull(),
    /** Sent by the schedule, or re-sent by hand. */
    trigger: text("trigger", { enum: ["scheduled", "manual"] }).notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    responseBody: text("response_body"),
    error: text("error"),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.n] })],
);
