// Reading what the local channels sent: the JSON list the notify worker (and through it
// the gateway's GET /api/dev/outbox) serves, a reset for tests and demos, and a plain page
// (the site's /outbox.html is the full one, with each channel's controls).
import { html } from "hono/html";
import { sendHtml, sendJson } from "../router.mjs";

/** What a reader sees of a stored message (the payload hash stays inside): `status` is the latest of `statuses`. */
function publicView(m) {
  const statuses = m.statuses ?? [];
  return {
    id: m.id,
    channel: m.channel,
    from: m.from,
    to: m.to,
    subject: m.subject,
    body: m.body,
    html: m.html,
    requestId: m.requestId,
    time: m.time,
    status: statuses[statuses.length - 1]?.status,
    statuses,
    idempotencyKey: m.idempotencyKey,
    providerMessageId: m.providerMessageId ?? m.id,
    ...(m.extra ? { details: m.extra } : {}),
  };
}

function filters(url) {
  const q = url.searchParams;
  const limit = Number(q.get("limit") ?? "200");
  return {
    requestId: q.get("requestId") || undefined,
    to: q.get("to") || undefined,
    channel: q.get("channel") || undefined,
    limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, 1000) : 200,
  };
}

/** The page: every value goes through Hono's `html`, which escapes it as the workers' pages and emails do. */
function page(messages) {
  const rows = messages.map(
    (m) => html`<article>
  <header><strong>${m.subject ?? "(no subject)"}</strong>
  <small>${m.channel} to ${m.to.join(", ")} · ${m.time}${m.requestId ? ` · ${m.requestId}` : ""}${m.statuses?.length ? ` · ${m.statuses[m.statuses.length - 1].status}` : ""}</small></header>
  <pre>${m.body}</pre>
</article>\n`,
  );
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Local outbox</title>
<meta http-equiv="refresh" content="5">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}
article{border:1px solid #ccc;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}
small{display:block;color:#555}pre{white-space:pre-wrap;font:inherit}</style></head>
<body><h1>Local outbox</h1><p>${messages.length} message(s), newest first. Refreshes every 5 seconds.</p>
${rows.length ? rows : html`<p>Nothing sent yet.</p>`}
</body></html>`;
}

/**
 * Registers `GET|DELETE /outbox/messages` and `GET /outbox`. The list says where the local services are
 * (`localServicesUrl`): the site's outbox page reads it through the platform and calls the controls there.
 * @param {ReturnType<import("../router.mjs").createRouter>} router
 * @param {{ outbox: ReturnType<import("../store.mjs").openOutbox>, webhooks: ReturnType<import("../webhooks.mjs").createWebhooks>, selfUrl: () => string }} deps
 */
export function registerOutbox(router, { outbox, webhooks, selfUrl }) {
  router.on("GET", "/outbox/messages", ({ res, url }) => {
    sendJson(res, 200, { messages: outbox.list(filters(url)).map(publicView), localServicesUrl: selfUrl() });
  });
  router.on("DELETE", "/outbox/messages", ({ res }) => {
    webhooks.clear();
    sendJson(res, 200, { deleted: outbox.clear() });
  });
  router.on("GET", "/outbox", async ({ res, url }) => {
    sendHtml(res, 200, String(await page(outbox.list(filters(url)))));
  });
}
