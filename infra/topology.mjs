// The platform's topology: every worker's bindings, in every environment.
// `npm run config` writes each worker's wrangler.toml from this file, and the
// test suite checks that the files are current and that every queue the
// shared routing table names has a producer binding where events are published.

/** Queues: name (without environment suffix), the worker that consumes it, and its consumer settings (`batchTimeout` overrides the environment-wide one below). */
export const queues = {
  // The answer's path (request.created -> the job, the job -> its tasks) waits for no batch locally: miniflare starts
  // a partial batch's wait only once the batch before it is done, so a task dispatched while the previous one was
  // reporting waited the whole timeout again. Under load the consumer is busy and batches fill anyway.
  orchestrator: { consumer: "orchestrator", batchSize: 10, retries: 5, batchTimeout: { dev: 0 } },
  // The ai worker runs a batch's text tasks five at a time and its file tasks up to three at a time within a byte
  // budget beside them (workers/ai/src/consumer.ts), so a fuller batch means less time queued behind other requests'
  // tasks (locally, miniflare delivers a queue's next batch only once the last one is done).
  "ai-tasks": { consumer: "ai", batchSize: 20, retries: 5, batchTimeout: { dev: 0 } },
  notify: { consumer: "notify", batchSize: 10, retries: 8 },
  // A deleted account's requests: erasing one lists and deletes R2 objects, so batches stay small; the retries
  // outlast an R2 or D1 outage of minutes, since a person's data must not stay for want of a retry.
  intake: { consumer: "intake", batchSize: 10, retries: 8 },
  // The audit trail and log lines are not on any answer's path: waiting longer for fuller batches
  // turns one consumer invocation and D1 transaction per message into one per batch.
  logging: { consumer: "logging", batchSize: 100, retries: 5, batchTimeout: { dev: 1 } },
  logs: { consumer: "logging", batchSize: 100, retries: 3, batchTimeout: { dev: 1 } },
};

/** Every queue but a dead-letter queue has one; the logging worker records what lands there. */
export const deadLetterQueues = Object.keys(queues).map((q) => `${q}-dlq`);

const P = { orchestrator: "Q_ORCHESTRATOR", "ai-tasks": "Q_AI_TASKS", notify: "Q_NOTIFY", intake: "Q_INTAKE", logging: "Q_LOGGING", logs: "Q_LOGS" };
export const producerBinding = P;

/**
 * Secrets: locally each has a value that is fit for development only (a var of
 * the dev environment, so a fresh clone runs with no setup); in staging and
 * production it is declared in `secrets.required` and set once with
 * `wrangler secret put` (see .dev.vars.example and the README).
 */
export const devSecretValue = (name) => `dev-only-${name.toLowerCase().replace(/_/g, "-")}`;

/**
 * The site's origins: the gateway answers CORS for them, and identity gives the refresh cookie to a browser on them
 * only (a request from any other Origin may not sign in).
 */
const siteOrigins = { dev: "http://127.0.0.1:8788,http://localhost:8788", staging: "https://staging.statex.app", production: "https://statex.app" };

/**
 * The circuit breakers of the providers a worker calls (shared/src/breaker.ts): opened by BREAKER_FAILURES failures in
 * a row or BREAKER_FAILURE_RATE of the calls in BREAKER_WINDOW_SECONDS failing, open for BREAKER_COOLDOWN_SECONDS
 * (doubled at each opening without a success between), then one probe.
 */
const breakerVars = {
  BREAKER_FAILURES: { all: "5" },
  BREAKER_FAILURE_RATE: { all: "0.5" },
  BREAKER_WINDOW_SECONDS: { all: "60" },
  // Shorter locally, so a stand-in switched back to normal is probed again while someone is watching.
  BREAKER_COOLDOWN_SECONDS: { dev: "10", staging: "30", production: "30" },
};

export const workers = {
  gateway: {
    description: "the public /api surface: routing, authentication, rate limits, CORS, request ids",
    public: true,
    services: { INTAKE: "intake", IDENTITY: "identity", IDENTITY_API: ["identity", "IdentityApi"], INTAKE_API: ["intake", "IntakeApi"], ORCHESTRATOR: "orchestrator", AI: "ai", NOTIFY: "notify", CONTENT: "content", LOGGING: "logging" },
    produces: ["logs"],
    // RATE_LIMIT_WEBHOOK: the providers' webhooks (a status for every message sent, from a few addresses), which the
    // clients' general limit would throttle into retries and late delivery reports. RATE_LIMIT_KEY: a call with an API
    // key, by the key rather than the network (an integrator's servers share addresses with others in a cloud, and a
    // key is one accountable caller); its submissions count against RATE_LIMIT_SUBMIT by the key too.
    ratelimits: {
      RATE_LIMIT_SUBMIT: { id: 1001, limit: 30, period: 60 },
      RATE_LIMIT_API: { id: 1002, limit: 600, period: 60 },
      RATE_LIMIT_WEBHOOK: { id: 1003, limit: 6000, period: 60 },
      RATE_LIMIT_KEY: { id: 1004, limit: 600, period: 60 },
    },
    // No secrets: no static token opens ops routes (see src/auth.ts); ops sign in as accounts.
    vars: { CORS_ORIGINS: siteOrigins, DEV_TOOLS: { dev: "on", staging: "off", production: "off" } },
  },
  identity: {
    description: "users, passwords, sessions, roles",
    d1: true,
    // NotifyApi: account emails, whose links carry single-use tokens that no event may carry (logging keeps events).
    services: { NOTIFY_API: ["notify", "NotifyApi"] },
    // intake: user.deleted, so the deleted account's requests are erased.
    produces: ["intake", "notify", "logging", "logs"],
    crons: ["* * * * *"],
    // Throttle: one object per account and one per network, counting sign-ins, registrations and emailed links (src/throttle.ts).
    durableObjects: { THROTTLE: "Throttle" },
    durableObjectMigrations: [["v1", ["Throttle"]]],
    vars: { CORS_ORIGINS: siteOrigins },
    // The pepper of every password hash (src/passwords.ts); PASSWORD_PEPPER_PREVIOUS, optional, during a rotation.
    // SIGNING_KEY_SECRET seals the private keys that sign access tokens (src/signing-keys.ts).
    secrets: ["PASSWORD_PEPPER", "SIGNING_KEY_SECRET"],
  },
  intake: {
    description: "submissions, files in R2, idempotency, request.created, erasing a deleted account's requests",
    d1: true,
    r2: true,
    // OrchestratorApi: cancel a request for its client, open its live progress.
    services: { ORCHESTRATOR: ["orchestrator", "OrchestratorApi"] },
    produces: ["orchestrator", "notify", "logging", "logs"],
    crons: ["* * * * *"],
    vars: {
      MAX_TEXT_CHARS: { all: "20000" },
      MAX_FILE_BYTES: { all: String(100 * 1024 * 1024) },
      MAX_FILES: { all: "10" },
      MAX_EMAIL_BYTES: { all: String(25 * 1024 * 1024) },
      // A whole multipart submission; Cloudflare's own request body limit is 100 MB on Free and Pro plans.
      MAX_REQUEST_BYTES: { all: String(100 * 1000 * 1000) },
      // Turnstile is checked only where its (optional) secret TURNSTILE_SECRET is set; tests point the URL at a fake.
      TURNSTILE_VERIFY_URL: { all: "https://challenges.cloudflare.com/turnstile/v0/siteverify" },
      TURNSTILE_HOSTNAMES: { dev: "127.0.0.1,localhost", staging: "staging.statex.app", production: "statex.app" },
      TURNSTILE_ACTION: { all: "submit" },
      // How old a request with no job must be before the cron's reconciliation sweep starts its job (src/lost-jobs.ts).
      LOST_JOB_AFTER_MS: { all: String(5 * 60_000) },
      // The share of D1 writes in the event consumer that fail on purpose (shared/src/db.ts), for the fault run
      // (scripts/chaos.mjs sets it); honoured only in development.
      D1_FAULT_RATE: { all: "0" },
    },
    secrets: ["STATUS_TOKEN_SECRET"],
  },
  orchestrator: {
    description: "one Durable Object per request: the AI job's state machine",
    d1: true,
    r2: true,
    durableObjects: { REQUEST_JOB: "RequestJob", SLOTS: "JobSlots" },
    // Durable Object classes by the migration that created them: a deployed tag is never edited, a new class gets a new one.
    durableObjectMigrations: [["v1", ["RequestJob"]], ["v2", ["JobSlots"]]],
    produces: ["ai-tasks", "notify", "logging", "logs"],
    vars: {
      // How many jobs run at once, platform-wide; the rest wait in line (src/slots.ts). Locally every worker shares
      // one thread, so one job at a time runs at full speed and a task waits behind no other job's (see README,
      // "Benchmark"); in the cloud the ai worker scales out and the bound is the model providers' rate limits.
      JOB_SLOTS: { dev: "1", staging: "20", production: "100" },
      TASK_TIMEOUT_MS: { all: "30000" },
      TASK_QUEUE_TIMEOUT_MS: { all: "600000" },
      TASK_MAX_ATTEMPTS: { all: "3" },
      // The task kinds a job plans (see plan.ts): a kind is rolled out or switched off per environment.
      ENABLED_TASK_KINDS: { all: "asr,docai,nlp,prototype" },
      // The share of D1 writes in the event consumer that fail on purpose (shared/src/db.ts), for the fault run
      // (scripts/chaos.mjs sets it); honoured only in development.
      D1_FAULT_RATE: { all: "0" },
    },
  },
  ai: {
    description: "the AI tasks behind a provider chain, and the prototype template repository",
    // D1 for the templates table: the prototype task reads it, and authors manage it through /templates.
    d1: true,
    r2: true,
    services: { ORCHESTRATOR: ["orchestrator", "OrchestratorApi"] },
    produces: ["logs"],
    // CircuitBreaker: one object per hosted provider (openai, workers-ai), skipped while it keeps failing.
    durableObjects: { BREAKERS: "CircuitBreaker" },
    durableObjectMigrations: [["v1", ["CircuitBreaker"]]],
    // Workers AI has no local simulator (in dev it would call the account and bill it), so the binding exists
    // only in the cloud; locally the `openai` provider reaches the local model server instead.
    workersAi: { staging: true, production: true },
    vars: {
      // The dev-only fault switch (workers/ai/src/fault.ts): also off wherever ENVIRONMENT is not development.
      AI_FAULTS: { dev: "on", staging: "off", production: "off" },
      // The share of task attempts that fail on purpose (a retryable failure reported to the job), for the fault run
      // (scripts/chaos.mjs sets it); honoured only where AI_FAULTS is on.
      AI_FAULT_RATE: { all: "0" },
      AI_PROVIDERS: { dev: "openai,offline", staging: "workers-ai,openai,offline", production: "workers-ai,openai,offline" },
      AI_API_URL: { dev: "http://127.0.0.1:8790/v1", staging: "https://api.openai.com/v1", production: "https://api.openai.com/v1" },
      AI_ASR_MODEL: { dev: "pocketsphinx-en-us", staging: "whisper-1", production: "whisper-1" },
      // OCR is the local server's own route (/v1/ocr); hosted OpenAI has none, so in the cloud Workers AI reads images.
      AI_OCR_MODEL: { dev: "tesseract-eng", staging: "", production: "" },
      // The language model for the analysis and the draft; locally the model server's stand-in (named as one).
      AI_CHAT_MODEL: { dev: "statex-standin-chat", staging: "gpt-4o-mini", production: "gpt-4o-mini" },
      // Cloudflare AI Gateway, when AI_API_URL points at one: how long it may cache an answer (seconds; empty, its
      // default). AI_GATEWAY_ID routes the Workers AI binding's calls through the gateway of that name (empty: none).
      AI_GATEWAY_CACHE_TTL: { all: "" },
      AI_GATEWAY_ID: { all: "" },
      // Tokens a request may spend on language models in all; once spent, its remaining tasks finish offline.
      AI_MAX_TOKENS_PER_REQUEST: { all: "60000" },
      // The most input a model call is given: longer inputs are budgeted per source (documents digested first).
      AI_INPUT_TOKENS: { all: "12000" },
      WORKERS_AI_CHAT_MODEL: { all: "@cf/meta/llama-3.3-70b-instruct-fp8-fast" },
      // Neurons per million input and output tokens of WORKERS_AI_CHAT_MODEL (Workers AI's price list), for the usage.
      WORKERS_AI_NEURONS_PER_MTOK: { all: "26668,204805" },
      // Below the orchestrator's TASK_TIMEOUT_MS, so a stalled API falls through to the next provider in time.
      AI_API_TIMEOUT_MS: { all: "25000" },
      WORKERS_AI_ASR_MODEL: { all: "@cf/openai/whisper-large-v3-turbo" },
      ...breakerVars,
    },
    secrets: ["AI_API_KEY"],
  },
  notify: {
    description: "channels, templates, preferences and the fallback ladder, delivery status from the providers' webhooks, the local outbox",
    d1: true,
    // Q_NOTIFY: notify's own delayed look at a ladder (notification.check), sent to the queue it consumes.
    produces: ["notify", "logging", "logs"],
    // Pacer: one object per provider (and sending number) answering how long a send must wait to stay within the
    // provider's limits (src/pacer.ts).
    // CircuitBreaker: one object per channel's provider (email, telegram, whatsapp), skipped while it keeps failing.
    durableObjects: { PACER: "Pacer", BREAKERS: "CircuitBreaker" },
    durableObjectMigrations: [["v1", ["Pacer"]], ["v2", ["CircuitBreaker"]]],
    // Cloudflare Email Service's send_email binding, the second email provider (EMAIL_PROVIDER=cloudflare): in the
    // cloud only, as locally it would need the account; the local platform sends through the Resend stand-in.
    sendEmail: { staging: "EMAIL", production: "EMAIL" },
    vars: {
      // resend: the Resend-compatible API at EMAIL_API_URL (delivery reported by its webhooks); cloudflare: the EMAIL
      // binding (its acceptance is all the delivery status there is).
      EMAIL_PROVIDER: { dev: "resend", staging: "cloudflare", production: "resend" },
      EMAIL_API_URL: { dev: "http://127.0.0.1:8790/email", staging: "https://api.resend.com", production: "https://api.resend.com" },
      EMAIL_FROM: { dev: "StateX <hello@statex.local>", staging: "StateX <hello@staging.statex.app>", production: "StateX <hello@statex.app>" },
      OUTBOX_URL: { dev: "http://127.0.0.1:8790", staging: "", production: "" },
      SITE_URL: { dev: "http://127.0.0.1:8788", staging: "https://staging.statex.app", production: "https://statex.app" },
      // Deliveries of one message before the queue moves it to the DLQ: the last one records the failure.
      MAX_DELIVERY_ATTEMPTS: { all: String(queues.notify.retries + 1) },
      // The Bot API: notify calls ${TELEGRAM_API_URL}/bot<TELEGRAM_BOT_TOKEN>/<method>; the bot's name makes the
      // t.me/<bot>?start=<code> links that link a chat. An empty URL turns the channel off.
      TELEGRAM_API_URL: { dev: "http://127.0.0.1:8790/telegram", staging: "https://api.telegram.org", production: "https://api.telegram.org" },
      TELEGRAM_BOT_USERNAME: { dev: "statex_local_bot", staging: "statex_staging_bot", production: "statex_bot" },
      // The WhatsApp Cloud API: ${WHATSAPP_API_URL}/v21.0/<WHATSAPP_PHONE_NUMBER_ID>/messages. The business number's id
      // is set per environment once the number is registered; empty turns the channel off.
      WHATSAPP_API_URL: { dev: "http://127.0.0.1:8790/whatsapp", staging: "https://graph.facebook.com", production: "https://graph.facebook.com" },
      WHATSAPP_PHONE_NUMBER_ID: { dev: "100000000000001", staging: "", production: "" },
      // The approved templates sent outside the 24-hour window, per kind of message, and the languages they are
      // approved in (a message in another language uses the first).
      WHATSAPP_TEMPLATES: { all: "received:statex_request_received,ready:statex_request_ready,failed:statex_request_failed" },
      WHATSAPP_TEMPLATE_LANGUAGES: { all: "en,de" },
      // How long a sent message may go without a delivery report before the next channel of the recipient's order
      // is tried.
      DELIVERY_WINDOW_SECONDS: { dev: "60", staging: "900", production: "900" },
      // Outgoing webhooks to integrators (src/outgoing/). Only the local platform may call http and private or
      // loopback addresses (a receiver on the same machine); elsewhere a URL must be https to a public address, its
      // name resolved through DNS over HTTPS at WEBHOOK_DNS_URL when subscribing and before every send.
      WEBHOOK_ALLOW_PRIVATE_URLS: { dev: "on", staging: "off", production: "off" },
      WEBHOOK_DNS_URL: { all: "https://cloudflare-dns.com/dns-query" },
      WEBHOOK_TIMEOUT_MS: { all: "10000" },
      // Seconds before each attempt (Standard Webhooks' schedule: at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h,
      // about 27 hours in all); an endpoint that fails every attempt for WEBHOOK_DISABLE_AFTER_SECONDS is disabled
      // and its owner emailed; a rolled secret keeps signing beside the new one for the overlap.
      WEBHOOK_RETRY_SCHEDULE: { all: "0,5,300,1800,7200,18000,36000,36000" },
      WEBHOOK_DISABLE_AFTER_SECONDS: { all: "259200" },
      WEBHOOK_ROTATION_OVERLAP_SECONDS: { all: "86400" },
      ...breakerVars,
      // The share of D1 writes in the event consumer that fail on purpose (shared/src/db.ts), for the fault run
      // (scripts/chaos.mjs sets it); honoured only in development.
      D1_FAULT_RATE: { all: "0" },
    },
    // The sweep of webhook deliveries whose queued attempt is overdue (a local queue loses delayed messages when
    // wrangler dev reloads).
    crons: ["* * * * *"],
    // EMAIL_WEBHOOK_SECRET verifies Resend's (Svix) signatures; TELEGRAM_WEBHOOK_SECRET is the secret_token given to
    // setWebhook; WHATSAPP_APP_SECRET signs Meta's webhooks and WHATSAPP_VERIFY_TOKEN answers its handshake.
    // WEBHOOK_SECRET_KEY seals the integrators' webhook signing secrets in D1 (notify must sign with them).
    secrets: ["STATUS_TOKEN_SECRET", "EMAIL_API_KEY", "EMAIL_WEBHOOK_SECRET", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "WHATSAPP_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "WEBHOOK_SECRET_KEY"],
  },
  content: {
    description: "markdown pages, drafts and publishing",
    // Minified, with source maps for readable stack traces: markdown-it and yaml otherwise take the bundle past the
    // 300 KiB gzipped it is held to (npm run bench measures it).
    minify: true,
    d1: true,
    r2: true,
    produces: ["logging", "logs"],
    crons: ["* * * * *"],
    vars: {
      // The site's origin: the public pages' canonical and Open Graph URLs, the feed's and the sitemap's links, and the
      // keys under which the edge cache keeps those pages (src/cache.ts).
      SITE_URL: { dev: "http://127.0.0.1:8788", staging: "https://staging.statex.app", production: "https://statex.app" },
      // Cloudflare's API, where a publish purges the pages it touched by cache tag (a stand-in's URL in tests). The zone
      // is the site's; an empty zone (local development) purges this machine's cache instead.
      CF_API_URL: { all: "https://api.cloudflare.com/client/v4" },
      CF_ZONE_ID: { dev: "", staging: "REPLACE_WITH_STAGING_ZONE_ID", production: "REPLACE_WITH_PRODUCTION_ZONE_ID" },
    },
    // CF_PURGE_TOKEN: an API token allowed Zone > Cache Purge on the site's zone, and nothing else.
    // PREVIEW_TOKEN_SECRET signs the expiring links that show a draft to someone without an account (src/preview.ts).
    secrets: ["CF_PURGE_TOKEN", "PREVIEW_TOKEN_SECRET"],
  },
  logging: {
    description: "structured logs, the audit trail and dead letters",
    d1: true,
    produces: [],
    // Producers for redriving dead letters back to their queue, named REDRIVE_*: as Q_LOGS, logging's
    // own log lines would flow into the queue it consumes.
    redrives: Object.keys(queues),
    // Every minute: the alert rules (src/alerts.ts). At 17 past each hour: retention (src/retention.ts).
    crons: ["* * * * *", "17 * * * *"],
    // NotifyApi: an alert reaches ops as an account email (ops-alert), once when it fires and once when it resolves.
    services: { NOTIFY_API: ["notify", "NotifyApi"] },
    vars: {
      // How many deliveries a message had when it reached a DLQ (the DLQ message itself does not say).
      MAX_DELIVERY_ATTEMPTS: { all: JSON.stringify(Object.fromEntries(Object.entries(queues).map(([q, c]) => [q, c.retries + 1]))) },
      // How long each kind is kept, in days (0: for ever). The audit trail is always kept.
      RETENTION_LOG_DAYS: { all: "14" },
      RETENTION_EVENT_DAYS: { all: "90" },
      RETENTION_SPAM_DAYS: { all: "30" },
      RETENTION_DEAD_LETTER_DAYS: { all: "30" },
      RETENTION_METRIC_DAYS: { all: "35" },
      RETENTION_OUTBOX_DAYS: { all: "7" },
      RETENTION_PROCESSED_DAYS: { all: "35" },
      // The overview reads the metrics through Analytics Engine's SQL API where these are set (with the secret
      // METRICS_API_TOKEN, a token allowed to read Account Analytics); empty: from the local D1 roll-up.
      CF_ACCOUNT_ID: { dev: "", staging: "REPLACE_WITH_ACCOUNT_ID", production: "REPLACE_WITH_ACCOUNT_ID" },
      METRICS_DATASET: { dev: "", staging: "statex_metrics_staging", production: "statex_metrics" },
      // Where alerts are mailed.
      OPS_ALERT_EMAIL: { dev: "ops@statex.local", staging: "ops@staging.statex.app", production: "ops@statex.app" },
      // The platform's public health check the worker-unhealthy rule asks each minute (empty: only logging's own
      // dependencies; locally the gateway's port is the dev script's choice, and a wrong guess would page ops).
      HEALTH_URL: { dev: "", staging: "https://staging.statex.app/api/health", production: "https://statex.app/api/health" },
    },
    secrets: ["METRICS_API_TOKEN"],
  },
};

export const environments = {
  dev: { suffix: "", d1Id: "6f3a2c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b", bucket: "statex-files" },
  staging: { suffix: "-staging", d1Id: "REPLACE_WITH_STAGING_D1_ID", bucket: "statex-files-staging" },
  production: { suffix: "", d1Id: "REPLACE_WITH_PRODUCTION_D1_ID", bucket: "statex-files" },
};

/** The Analytics Engine dataset every worker writes its metric data points to (none locally: see scripts/config.mjs). */
export const metricsDataset = { staging: "statex_metrics_staging", production: "statex_metrics" };

/** The queue consumer's wait before a partial batch is delivered: short locally (latency), longer in the cloud (cost). */
export const batchTimeout = { dev: 0.02, staging: 1, production: 2 };
