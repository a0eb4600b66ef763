/**
 * The public API surface, as data: every route names the service that owns it
 * and who may call it. The gateway registers each row with Hono's router and
 * enforces `access` before forwarding, and `GET /api` serves this same table
 * as the API's documentation, so the docs cannot drift from what is enforced.
 */

import type { ApiScope } from "@statex/shared/auth";
import { operations as breakers } from "@statex/shared/api/breakers";
import { operations as content } from "@statex/shared/api/content";
import { operations as identity } from "@statex/shared/api/identity";
import { operations as intake } from "@statex/shared/api/intake";
import { operations as logging } from "@statex/shared/api/logging";
import { operations as notify } from "@statex/shared/api/notify";
import { operations as orchestrator } from "@statex/shared/api/orchestrator";
import { operations as webhooks } from "@statex/shared/api/webhooks";
import { operations as templates } from "@statex/shared/api/templates";
import type { Access, Operation } from "@statex/shared/openapi";

export type { Access };

export type ServiceBinding = "INTAKE" | "IDENTITY" | "ORCHESTRATOR" | "AI" | "NOTIFY" | "CONTENT" | "LOGGING";

export type Route = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path under /api, with :params (Hono's syntax). */
  path: string;
  service: ServiceBinding;
  /** The path on the service; defaults to `path`. */
  target?: string;
  access: Access;
  /** Counted against the stricter per-client submission limit. */
  submit?: boolean;
  /** A provider's webhook: counted against the webhooks' own, larger limit, not the clients'. */
  webhook?: boolean;
  /**
   * The API-key scopes that open it: a key may call only rows naming one of its scopes (a row naming none is for
   * people at a session, or for anyone without a key). Keys act with a client's reach, so only client rows name any.
   */
  scopes?: ApiScope[];
  summary: string;
  /** What it takes and answers, by the schemas its owner validates with: the OpenAPI document is built from these. */
  api: Operation;
};

export const routes: Route[] = [
  { method: "POST", path: "/requests", service: "INTAKE", access: "public", scopes: ["requests:write"], submit: true, summary: "Submit a request (JSON: name, email, text; or multipart/form-data with files and uploadIds + uploadTokens; Idempotency-Key honoured); answers 202 with id and statusUrl", api: intake.submit },
  { method: "POST", path: "/uploads", service: "INTAKE", access: "public", scopes: ["requests:write"], submit: true, summary: "Start a resumable upload of a large file ({name, size}); answers {id, partSize, parts, uploadToken}", api: intake.startUpload },
  { method: "PUT", path: "/uploads/:id/parts/:n", service: "INTAKE", access: "token", scopes: ["requests:write"], summary: "Upload part n (x-upload-token); re-sending a part replaces it", api: intake.putUploadPart },
  { method: "GET", path: "/uploads/:id", service: "INTAKE", access: "token", scopes: ["requests:write"], summary: "An upload's parts so far and those missing, to resume (x-upload-token)", api: intake.getUpload },
  { method: "POST", path: "/uploads/:id/complete", service: "INTAKE", access: "token", scopes: ["requests:write"], summary: "Complete an upload: type sniffed (forbidden types refused, 415), sha256 recorded (x-upload-token)", api: intake.completeUpload },
  { method: "DELETE", path: "/uploads/:id", service: "INTAKE", access: "token", scopes: ["requests:write"], summary: "Abort an upload (x-upload-token)", api: intake.abortUpload },
  { method: "GET", path: "/requests/:id", service: "INTAKE", access: "token", scopes: ["requests:read"], summary: "A request's status and results (?token= from the submission, or as its signed-in owner)", api: intake.status },
  { method: "GET", path: "/requests/:id/tasks/:taskId/result", service: "INTAKE", access: "token", scopes: ["requests:read"], summary: "One task's whole output: a recording's transcript with timings, a document's text, the analysis, the draft (?token=, or as its signed-in owner); 404 until it succeeded", api: intake.taskResult },
  { method: "POST", path: "/requests/:id/cancel", service: "INTAKE", access: "token", scopes: ["requests:write"], summary: "Cancel a request's job (?token=, or as its signed-in owner); 409 once it finished", api: intake.cancel },
  { method: "POST", path: "/requests/:id/live-ticket", service: "INTAKE", access: "signed-in", scopes: ["requests:read"], summary: "For the request's owner: the live URL with a ticket that opens one connection within 60 s ({url, expiresAt}), since a browser cannot send its session with a WebSocket or EventSource; 404 for anyone else", api: intake.liveTicket },
  { method: "GET", path: "/requests/:id/notifications", service: "NOTIFY", access: "token", scopes: ["requests:read"], summary: "The messages sent about a request, oldest first: channel, kind, status (queued, sent, delivered, read, failed, manual, skipped), the address half hidden, times, which step of the channel order; and whether a Telegram chat is linked or offered (?token=, or as its signed-in owner)", api: notify.requestNotifications },
  { method: "POST", path: "/requests/:id/telegram-link", service: "NOTIFY", access: "token", submit: true, summary: "A single-use t.me link to the bot binding the chat that opens it to this request's messages ({url, code, expiresAt}; 409 when a chat is linked already) (?token=, or as its signed-in owner)", api: notify.requestTelegramLink },
  { method: "GET", path: "/requests/:id/live", service: "INTAKE", access: "token", scopes: ["requests:read"], summary: "A request's job live: WebSocket upgrade, or Accept: text/event-stream (?token=, ?ticket= from live-ticket, or as its owner)", api: intake.live },

  { method: "POST", path: "/users", service: "IDENTITY", access: "public", submit: true, summary: "Register ({email, name, password}: at least 15 characters, not a common password, not the address); always 202 with the same body, new address or taken: the address gets a 24-hour verification link, or its owner a note that someone tried. Signs no one in: sign in afterwards", api: identity.register },
  { method: "POST", path: "/users/verify", service: "IDENTITY", access: "public", submit: true, summary: "Verify an address with the token of its link ({token}); single use; the requests sent with the address become the account's", api: identity.verify },
  { method: "POST", path: "/users/verify/resend", service: "IDENTITY", access: "signed-in", submit: true, summary: "Send a fresh verification link to the signed-in user's unverified address (at most one a minute; 409 once verified)", api: identity.resendVerification },
  { method: "POST", path: "/password-resets", service: "IDENTITY", access: "public", submit: true, summary: "Ask for a password reset link ({email}); always 202 with the same body; the owner gets a link valid 1 hour", api: identity.requestPasswordReset },
  { method: "POST", path: "/password-resets/confirm", service: "IDENTITY", access: "public", submit: true, summary: "Set a new password with a reset link's token ({token, password}); single use; every session ends", api: identity.confirmPasswordReset },
  { method: "PUT", path: "/me/password", service: "IDENTITY", access: "signed-in", submit: true, summary: "Change the password ({currentPassword, password}); every other session ends", api: identity.changePassword },
  { method: "POST", path: "/sessions", service: "IDENTITY", access: "public", submit: true, summary: "Sign in with email and password; answers {accessToken (15 min), refreshToken, expiresIn, user} (from the site's origin: the refresh token in an HttpOnly cookie instead). After 5 wrong passwords for an account each attempt waits longer, after 10 in 15 minutes its password sign-in is locked for 15 minutes (429 with Retry-After), except for a client holding a live session of it (its cookie, or {refreshToken}, looked at and not spent)", api: identity.signIn },
  { method: "POST", path: "/sessions/refresh", service: "IDENTITY", access: "public", summary: "A new access token and refresh token for a live refresh token ({refreshToken}, or the site's cookie with {}); each refresh token works once, and a spent one ends its session", api: identity.refresh },
  { method: "DELETE", path: "/sessions/current", service: "IDENTITY", access: "signed-in", summary: "Sign out: ends the session of the access token", api: identity.signOut },
  { method: "GET", path: "/.well-known/jwks.json", service: "IDENTITY", access: "public", summary: "The public keys (JWKS) that verify access tokens (ES256)", api: identity.jwks },
  { method: "GET", path: "/me/sessions", service: "IDENTITY", access: "signed-in", summary: "The signed-in user's live sessions: created, last used, user agent, network, which is current", api: identity.mySessions },
  { method: "DELETE", path: "/me/sessions", service: "IDENTITY", access: "signed-in", summary: "End every session of the signed-in user but the current one ({ended})", api: identity.endOtherSessions },
  { method: "DELETE", path: "/me/sessions/:id", service: "IDENTITY", access: "signed-in", summary: "End one of the signed-in user's sessions (404 for anyone else's)", api: identity.endSession },
  { method: "POST", path: "/me/api-keys", service: "IDENTITY", access: "signed-in", summary: "Create an API key ({name, scopes: requests:write | requests:read | webhooks:write, expiresAt?}) for the signed-in user's systems to call as them within its scopes; answers {id, name, prefix, scopes, createdAt, expiresAt, key} with the key this once (sx_live_ in production, sx_test_ elsewhere, + 40 base62 characters; only its sha256 is kept); at most 20 live keys (409); never with an API key", api: identity.createApiKey },
  { method: "GET", path: "/me/api-keys", service: "IDENTITY", access: "signed-in", summary: "The signed-in user's API keys, newest first, revoked and expired ones too: {keys: [{id, name, prefix, scopes, createdAt, lastUsedAt (at most a minute behind), expiresAt, revokedAt}]}, never the key", api: identity.apiKeys },
  { method: "DELETE", path: "/me/api-keys/:id", service: "IDENTITY", access: "signed-in", summary: "Revoke one of the signed-in user's API keys: refused (401) from its next call (404 for anyone else's, or one revoked already)", api: identity.revokeApiKey },
  { method: "GET", path: "/me", service: "IDENTITY", access: "signed-in", summary: "The signed-in user", api: identity.me },
  { method: "PATCH", path: "/me", service: "IDENTITY", access: "signed-in", summary: "Update the signed-in user", api: identity.updateMe },
  { method: "DELETE", path: "/me", service: "IDENTITY", access: "signed-in", submit: true, summary: "Delete the signed-in user's account ({password}: asked again)", api: identity.deleteMe },
  { method: "GET", path: "/me/requests", service: "IDENTITY", access: "signed-in", scopes: ["requests:read"], summary: "The signed-in client's requests (dashboard)", api: identity.myRequests },
  { method: "GET", path: "/me/preferences", service: "NOTIFY", access: "signed-in", summary: "How the signed-in user wants to be told: channels in order (null: the messaging apps given first, email last), the order that applies now, opt-outs per kind (received, ready, failed; account mail is always sent), language, WhatsApp number, LinkedIn profile, linked Telegram chats, the channels this platform offers", api: notify.preferences },
  { method: "PUT", path: "/me/preferences", service: "NOTIFY", access: "signed-in", summary: "Change any of {channels, optOuts, locale, whatsapp, linkedin} (null clears one); answers the preferences as GET does", api: notify.savePreferences },
  { method: "POST", path: "/me/telegram-link", service: "NOTIFY", access: "signed-in", submit: true, summary: "A single-use t.me link to the bot, valid one hour ({url, code, expiresAt}): the chat that opens it (/start <code>) receives the account's messages", api: notify.telegramLink },
  { method: "DELETE", path: "/me/telegram-chats", service: "NOTIFY", access: "signed-in", summary: "Unlink the account's Telegram chat ({unlinked})", api: notify.unlinkTelegram },
  { method: "POST", path: "/me/webhooks", service: "NOTIFY", access: "signed-in", scopes: ["webhooks:write"], summary: "Subscribe an endpoint to request events ({url, events: request.processing | request.completed | request.failed | request.cancelled, description?}); answers 201 with the endpoint and its signing secret (whsec_…) this once; the URL must be https to a public host outside the local platform (422 naming url); at most 20 an account (409)", api: webhooks.create },
  { method: "GET", path: "/me/webhooks", service: "NOTIFY", access: "signed-in", scopes: ["webhooks:write"], summary: "The signed-in user's webhook endpoints, newest first, never their secrets: events, enabled, why disabled, failing since, when a rotated secret stops signing", api: webhooks.list },
  { method: "GET", path: "/me/webhooks/:id", service: "NOTIFY", access: "signed-in", scopes: ["webhooks:write"], summary: "One of the signed-in user's webhook endpoints (404 for anyone else's)", api: webhooks.get },
  { method: "PATCH", path: "/me/webhooks/:id", service: "NOTIFY", access: "signed-in", scopes: ["webhooks:write"], summary: "Change an endpoint ({url?, events?, description?, enabled?}); enabled: true re-enables a disabled one with a clean slate", api: webhooks.patch },
  { method: "DELETE", path: "/me/webhooks/:id", service: "NOTIFY", access: "signed-in", scopes: ["webhooks:write"], summary: "Delete an endpoint with its deliveries", api: webhooks.delete },
  { method: "POST", path: "/me/webhooks/:id/rotate-secret", service: "NOTIFY", access: "signed-in", scopes: ["webhooks:write"], summary: "A new signing secret, answered this once; the old one keeps signing beside it until previousSecretExpiresAt (a day)", api: webhooks.rotateSecret },
  { method: "GET", path: "/me/webhooks/:id/deliveries", service: "NOTIFY", access: "signed-in", scopes: ["webhooks:write"], summary: "An endpoint's deliveries, newest first, each with its payload and every attempt (status code, latency, the answer's first KiB, error) (?status=pending|succeeded|failed&limit=&cursor=), answering {deliveries, next}", api: webhooks.deliveries },
  { method: "POST", path: "/me/webhooks/:id/deliveries/:deliveryId/resend", service: "NOTIFY", access: "signed-in", scopes: ["webhooks:write"], summary: "Re-send a delivery now, with the same webhook-id, signed afresh; a success ends it, a failure leaves it as it was (409 while the endpoint is disabled)", api: webhooks.resend },

  { method: "GET", path: "/pages", service: "CONTENT", access: "public", summary: "Published pages and posts, newest first, without their bodies (?kind=page|post; ?kind=post is the home page's list, from the edge cache)", api: content.list },
  { method: "GET", path: "/pages/:slug", service: "CONTENT", access: "public", summary: "A published page or post with its rendered body; 404 for a draft or a page scheduled later", api: content.page },
  { method: "GET", path: "/site/rss.xml", service: "CONTENT", access: "public", summary: "The site's feed (RSS 2.0): posts, newest first, from the edge cache (the site serves it at /rss.xml)", api: content.feed },
  { method: "GET", path: "/site/sitemap.xml", service: "CONTENT", access: "public", summary: "The sitemap: the home page, every published page and post, every tag's page, from the edge cache (the site serves it at /sitemap.xml)", api: content.sitemap },
  { method: "GET", path: "/site/tags/:tag", service: "CONTENT", access: "public", summary: "A tag's page as HTML: the published pages and posts with the tag, from the edge cache (the site serves it at /tags/<tag>); 404 while none has it", api: content.tagPage },
  { method: "GET", path: "/site/:slug", service: "CONTENT", access: "public", summary: "A published page or post as HTML with canonical and Open Graph tags, from the edge cache (the site serves it at /p/<slug>)", api: content.sitePage },
  { method: "GET", path: "/drafts", service: "CONTENT", access: "author", summary: "Every page and post, most recently saved first: its newest version (the draft), status (draft, scheduled, published), the live version and since when, what is scheduled and when, whether the draft has unpublished changes", api: content.drafts },
  { method: "GET", path: "/pages/:slug/draft", service: "CONTENT", access: "author", summary: "A page's draft: its standing as in /drafts, its source (markdown), its front matter and its preview, rendered as the site renders", api: content.draft },
  { method: "PUT", path: "/pages/:slug", service: "CONTENT", access: "author", summary: "Save a new version ({markdown, baseVersion}, or text/markdown with ?baseVersion=): markdown with front matter (title, slug, summary, kind, tags, locale, author, date, hero, heroAlt, draft), every version kept; baseVersion is the version the author loaded (0 for a new page), and a save based on an older one is refused with 409 naming the newer", api: content.save },
  { method: "GET", path: "/pages/:slug/versions", service: "CONTENT", access: "author", summary: "Every saved version of a page, newest first (who saved it, when, which version it restored), with the live and the scheduled version", api: content.versions },
  { method: "GET", path: "/pages/:slug/versions/:n", service: "CONTENT", access: "author", summary: "One saved version with its source", api: content.version },
  { method: "POST", path: "/pages/:slug/versions/:n/restore", service: "CONTENT", access: "author", summary: "Save version n's source again as the newest version, the draft ({baseVersion} optional: 409 if someone saved since)", api: content.restore },
  { method: "POST", path: "/pages/:slug/publish", service: "CONTENT", access: "author", summary: "Publish the draft (or {version}) now, or from {at} (an ISO date-time; the cron announces it then): on the site, its feeds, sitemap and search, purged from the edge cache; content.published (or content.updated for a live page) names who acted. 409 while the version's front matter says draft: true", api: content.publish },
  { method: "POST", path: "/pages/:slug/unpublish", service: "CONTENT", access: "author", summary: "Take a page off the site, its feeds, sitemap and search, and cancel what is scheduled: a draft again (content.updated, unpublished)", api: content.unpublish },
  { method: "DELETE", path: "/pages/:slug", service: "CONTENT", access: "author", summary: "Delete a page with every version of it (content.deleted)", api: content.remove },
  { method: "POST", path: "/pages/:slug/preview-link", service: "CONTENT", access: "author", summary: "A signed link that shows the draft (or {version}) to anyone holding it, as the site would, until it expires ({expiresInMinutes}: a day unless given, a week at most); answers {url, expiresAt, version}", api: content.previewLink },
  { method: "GET", path: "/preview/:slug", service: "CONTENT", access: "public", summary: "The page version a preview link was made for, as HTML (?token= from preview-link; 403 for a forged token, 410 once expired); never indexed or cached", api: content.preview },
  { method: "POST", path: "/media", service: "CONTENT", access: "author", summary: "Upload an image (multipart/form-data, field file, at most 10 MiB): PNG, JPEG, WebP or GIF by its bytes (SVG, other types and a name or type that says otherwise refused, 415); answers {url, type, width, height, size, sha256}, the url content-hashed", api: content.upload },
  { method: "GET", path: "/media/:file", service: "CONTENT", access: "public", summary: "An uploaded image by its content-hashed name (<sha256>.<png|jpg|webp|gif>), cached for a year (immutable)", api: content.media },
  { method: "GET", path: "/search", service: "CONTENT", access: "public", summary: "Search published pages and posts (?q= words, \"phrases\" and prefix*, English stemming; &limit= at most 50): best first by bm25 (title over summary, tags and body), with the title and a snippet of the body as HTML, the matched words in <mark>", api: content.search },

  { method: "GET", path: "/templates", service: "AI", access: "author", summary: "Prototype templates (?category=&status=active|retired)", api: templates.list },
  { method: "POST", path: "/templates", service: "AI", access: "author", summary: "Create a template (JSON: slug, category, title, body with {{placeholders}}, requiredFields); version 1", api: templates.create },
  { method: "GET", path: "/templates/:id", service: "AI", access: "author", summary: "A template at its current version", api: templates.get },
  { method: "GET", path: "/templates/:id/versions", service: "AI", access: "author", summary: "Every version of a template, newest first", api: templates.versions },
  { method: "PUT", path: "/templates/:id", service: "AI", access: "author", summary: "Save a new version (any of category, title, body, requiredFields; send version to refuse a lost update, 409)", api: templates.update },
  { method: "POST", path: "/templates/:id/retire", service: "AI", access: "author", summary: "Retire a template: prototypes stop using it (the last active 'other' one stays, 409)", api: templates.retire },

  { method: "GET", path: "/ops/timeline/:correlationId", service: "LOGGING", target: "/timeline/:correlationId", access: "ops", summary: "One request's events and log lines in time order", api: logging.timeline },
  { method: "GET", path: "/ops/events", service: "LOGGING", target: "/events", access: "ops", summary: "Recent events (?type=&limit=)", api: logging.events },
  { method: "GET", path: "/ops/dead-letters", service: "LOGGING", target: "/dead-letters", access: "ops", summary: "Messages that exhausted their retries, newest first (?queue=&state=open|redriven|all&limit=)", api: logging.deadLetters },
  { method: "GET", path: "/ops/overview", service: "LOGGING", target: "/overview", access: "ops", summary: "The metrics at a glance over the last hour, day or week (?range=hour|day|week): requests created and how their jobs ended, p50 and p95 time to completed, the gateway's routes, tasks by kind, provider and outcome, notifications by channel and outcome, queue backlogs, retries and dead letters, each as totals and a series per bucket; from Analytics Engine in the cloud, the D1 roll-up locally (source)", api: logging.overview },
  { method: "GET", path: "/ops/requests/:id/story", service: "LOGGING", target: "/requests/:id/story", access: "ops", summary: "A request's whole story: the request, its job and tasks with timings and result links, its notifications and statuses, and every event, log line (its submission's HTTP request's too), dead letter, task step, notification and audit entry in time order", api: logging.story },
  { method: "GET", path: "/ops/alerts", service: "LOGGING", target: "/alerts", access: "ops", summary: "The alert rules (dead letters, failure rate, queue backlog, worker unhealthy, p95 time to completed), the alerts firing now and the last 100 with when each fired and resolved", api: logging.alerts },
  { method: "POST", path: "/ops/dead-letters/redrive", service: "LOGGING", target: "/dead-letters/redrive", access: "ops", summary: "Redrive every open dead letter of one queue ({queue}, up to 500 a call), each once; answers {queue, redriven, skipped (erased or redriven meanwhile), failed}", api: logging.redriveQueue },
  { method: "GET", path: "/ops/logs", service: "LOGGING", target: "/logs", access: "ops", summary: "Search every worker's log lines, newest first (?worker=&level= that level and above &from=&to= default the last 24 h &correlationId= also the lines of its HTTP request &q= text in the message or fields &cursor=&limit=), answering {lines, next}", api: logging.logs },
  { method: "GET", path: "/ops/audit", service: "LOGGING", target: "/audit", access: "ops", summary: "The audit trail, newest first: role grants, sign-in security events, ops cancels, retries and redrives, template changes, publishing, account deletions, each with actor, target, change and its place in the hash chain (?action=&actor=&target=&cursor=&limit=), answering {entries, next}", api: logging.audit },
  { method: "GET", path: "/ops/audit/verify", service: "LOGGING", target: "/audit/verify", access: "ops", summary: "Walk the audit trail's hash chain from its first entry: {ok, entries, head} or, where it breaks, brokenAt {seq, reason: hash-mismatch|prev-mismatch|missing}", api: logging.auditVerify },
  { method: "POST", path: "/ops/dead-letters/:id/redrive", service: "LOGGING", target: "/dead-letters/:id/redrive", access: "ops", summary: "Send a dead letter back to its queue, once (409 the second time)", api: logging.redrive },
  { method: "GET", path: "/ops/breakers/ai", service: "AI", target: "/breakers", access: "ops", summary: "The circuit breaker of each hosted AI provider of the chain: closed, open (skipped until its next probe) or half-open (one probe on its way), failures in a row, the failure-rate window, when it opened and when the next probe goes, the last failure", api: breakers.aiBreakers },
  { method: "GET", path: "/ops/breakers/notify", service: "NOTIFY", target: "/breakers", access: "ops", summary: "The circuit breaker of each channel's provider (email, Telegram, WhatsApp): closed, open (sends skipped and retried after its next probe) or half-open (one probe on its way), failures in a row, the failure-rate window, when it opened and when the next probe goes, the last failure", api: breakers.notifyBreakers },
  { method: "GET", path: "/ops/job-slots", service: "ORCHESTRATOR", target: "/slots", access: "ops", summary: "The jobs running and those waiting in line for a slot (JOB_SLOTS), oldest first", api: orchestrator.slots },
  { method: "GET", path: "/ops/jobs/:requestId", service: "ORCHESTRATOR", target: "/jobs/:requestId", access: "ops", summary: "A request's AI job as its Durable Object holds it", api: orchestrator.job },
  { method: "GET", path: "/ops/jobs/:requestId/tasks/:taskId/result", service: "ORCHESTRATOR", target: "/jobs/:requestId/tasks/:taskId/result", access: "ops", summary: "One task's whole output (a transcript, a document's text, the analysis, the draft) and who produced it", api: orchestrator.taskResult },
  { method: "POST", path: "/ops/requests/:id/cancel", service: "ORCHESTRATOR", target: "/jobs/:id/cancel", access: "ops", summary: "Cancel a request's job", api: orchestrator.cancel },
  { method: "POST", path: "/ops/jobs/:requestId/retry", service: "ORCHESTRATOR", target: "/jobs/:requestId/retry", access: "ops", summary: "Retry a failed job: every task that did not succeed", api: orchestrator.retry },
  { method: "POST", path: "/ops/jobs/:requestId/tasks/:taskId/retry", service: "ORCHESTRATOR", target: "/jobs/:requestId/tasks/:taskId/retry", access: "ops", summary: "Retry one failed task of a failed job", api: orchestrator.retryTask },
  { method: "GET", path: "/ops/spam-log", service: "INTAKE", target: "/spam-log", access: "ops", summary: "Submissions refused as spam (honeypot, Turnstile, rate limit), newest first (?limit=)", api: intake.spamLog },
  { method: "GET", path: "/ops/users", service: "IDENTITY", access: "ops", summary: "Find an account by its email (?email=): id, email, name, role, whether verified, when created", api: identity.findUser },
  { method: "PUT", path: "/ops/users/:id/role", service: "IDENTITY", access: "ops", submit: true, summary: "Grant a role ({role, password}: the granter's own password again): admins any role, ops client or author only, no one their own; ends every session of the account and records the change", api: identity.grantRole },
  { method: "GET", path: "/ops/role-changes", service: "IDENTITY", access: "ops", summary: "Every role granted, newest first: who, to whom, old and new role (?target=&before=&limit=)", api: identity.roleChanges },
  { method: "POST", path: "/ops/service-accounts", service: "IDENTITY", access: "ops", summary: "Create a service account for a system ({name, scopes, expiresAt?}): a client account that cannot sign in, with its first API key; answers {account, key} with the key this once; recorded in the audit trail", api: identity.createServiceAccount },
  { method: "DELETE", path: "/ops/api-keys/:id", service: "IDENTITY", access: "ops", summary: "Revoke anyone's API key (a leaked one, say); recorded as a security event and in the audit trail (404 for an unknown or revoked id)", api: identity.revokeAnyApiKey },
  { method: "GET", path: "/ops/security-events", service: "IDENTITY", access: "ops", summary: "What happened to accounts, newest first: failed sign-ins, locks, refused attempts, refresh reuse, registrations of taken addresses, resets; each with the address's sha256, the network and the time (?kind=&email= hashed by identity &before=&limit=), answering {events, next}; kept 90 days", api: identity.securityEvents },
  { method: "POST", path: "/ops/signing-keys/rotate", service: "IDENTITY", target: "/signing-keys/rotate", access: "ops", summary: "Add a new access-token signing key; it signs after a minute and the old one verifies until its tokens expired ({immediately: true} for a leaked key: old tokens refused now)", api: identity.rotateKeys },
  { method: "GET", path: "/ops/notifications", service: "NOTIFY", target: "/notifications", access: "ops", summary: "Every message and its delivery: recipient, status, attempts, provider id, error, step and fallback, times (?requestId= oldest first; or ?status=&channel=&before=&limit= newest first, answering {notifications, next})", api: notify.notifications },
  { method: "GET", path: "/ops/linkedin-tasks", service: "NOTIFY", target: "/linkedin-tasks", access: "ops", summary: "Messages for LinkedIn to send by hand: the prepared text and the client's profile (?status=open|done|skipped&limit=)", api: notify.linkedinTasks },
  { method: "POST", path: "/ops/linkedin-tasks/:id", service: "NOTIFY", target: "/linkedin-tasks/:id", access: "ops", summary: "Mark a LinkedIn task {outcome: done} (sent by hand: delivered) or {outcome: skipped} (the next channel is tried); 409 once marked", api: notify.markLinkedinTask },

  { method: "POST", path: "/notifications/unsubscribe", service: "NOTIFY", access: "public", summary: "Unsubscribe from one kind of message (?token= from the email's List-Unsubscribe link; RFC 8058 one-click POST)", api: notify.unsubscribe },
  { method: "GET", path: "/notifications/unsubscribe", service: "NOTIFY", access: "public", summary: "The unsubscribe page of an email's link (?token=): its button POSTs; a GET changes nothing", api: notify.unsubscribePage },
  { method: "POST", path: "/webhooks/email", service: "NOTIFY", access: "public", webhook: true, summary: "The email provider's delivery reports, signed as Resend signs them (Svix: svix-id, svix-timestamp, svix-signature); 401 without a valid signature", api: notify.emailWebhook },
  { method: "POST", path: "/webhooks/telegram", service: "NOTIFY", access: "public", webhook: true, summary: "The Telegram bot's updates (X-Telegram-Bot-Api-Secret-Token; 401 without it): /start <code> links a chat, /stop unlinks it", api: notify.telegramWebhook },
  { method: "GET", path: "/webhooks/whatsapp", service: "NOTIFY", access: "public", webhook: true, summary: "WhatsApp's webhook verification handshake (hub.mode, hub.verify_token, hub.challenge)", api: notify.whatsappHandshake },
  { method: "POST", path: "/webhooks/whatsapp", service: "NOTIFY", access: "public", webhook: true, summary: "WhatsApp's inbound messages and message statuses (X-Hub-Signature-256; 401 without a valid signature)", api: notify.whatsappWebhook },

  { method: "GET", path: "/dev/outbox", service: "NOTIFY", access: "dev", summary: "What the platform sent, as the local outbox received it (development only)", api: notify.outbox },
];
