/**
 * Unsubscribing from mail that is not essential, in one click (RFC 8058). Each such email carries
 * `List-Unsubscribe: <…/api/notifications/unsubscribe?token=…>` and `List-Unsubscribe-Post:
 * List-Unsubscribe=One-Click`: a mail client POSTs to the link, and the opt-out is set. A person who opens the link
 * gets a page whose button POSTs the same: a GET changes nothing, since mail scanners open every link they see.
 *
 * The token names the owner (an account, or a signed-out submitter's request) and the kind of message, signed with
 * an HMAC under STATUS_TOKEN_SECRET (prefix `unsubscribe:`, apart from status tokens), so it opts out that owner
 * and kind and nothing else. It does not expire: the link must work whenever the mail is read.
 */
import { UnsubscribeQuery } from "@statex/shared/api/notify";
import { ProblemError } from "@statex/shared/errors";
import { type AppEnv, validate } from "@statex/shared/http";
import type { NotificationKind } from "@statex/shared/notifications";
import { hmac, sameText } from "@statex/shared/tokens";
import { toBase64Url } from "@statex/shared/base64";
import { Hono } from "hono";
import { html } from "hono/html";
import { words } from "./copy";
import type { DeliveryEnv } from "./env";
import { type Owner, optOut, preferencesOf } from "./preferences";

type OptionalKind = Exclude<NotificationKind, "account">;

const TOKEN = /^(u|r)\.([A-Za-z0-9_:-]{1,128})\.(received|ready|failed)\.([A-Za-z0-9_-]{43})$/;

async function signature(secret: string, scope: string, id: string, kind: string): Promise<string> {
  return toBase64Url(await hmac(secret, `unsubscribe:${scope}:${id}:${kind}`));
}

/** The token of an owner's unsubscribe link for one kind of message. */
export async function unsubscribeToken(secret: string, owner: Owner, kind: OptionalKind): Promise<string> {
  const [scope, id] = "userId" in owner ? ["u", owner.userId] : ["r", owner.requestId];
  return `${scope}.${id}.${kind}.${await signature(secret, scope, id, kind)}`;
}

/** The absolute unsubscribe link, on the site's origin (its /api reaches the gateway). */
export async function unsubscribeUrl(env: Pick<DeliveryEnv, "SITE_URL" | "STATUS_TOKEN_SECRET">, owner: Owner, kind: OptionalKind): Promise<string> {
  return `${env.SITE_URL.replace(/\/+$/, "")}/api/notifications/unsubscribe?token=${await unsubscribeToken(env.STATUS_TOKEN_SECRET, owner, kind)}`;
}

/** The owner and kind a token names, or undefined for anything not signed by us. */
export async function readUnsubscribeToken(secret: string, token: string): Promise<{ owner: Owner; kind: OptionalKind } | undefined> {
  const m = TOKEN.exec(token);
  if (!m) return undefined;
  const [, scope = "", id = "", kind = "", sig = ""] = m;
  if (!sameText(await signature(secret, scope, id, kind), sig)) return undefined;
  return { owner: scope === "u" ? { userId: id } : { requestId: id }, kind: kind as OptionalKind };
}

async function verified(env: DeliveryEnv, token: string) {
  const found = await readUnsubscribeToken(env.STATUS_TOKEN_SECRET, token);
  if (!found) throw new ProblemError(400, "invalid-token", "This unsubscribe link is not valid", [{ field: "query.token", message: "not a valid unsubscribe token" }]);
  const prefs = await preferencesOf(env.DB, found.owner);
  return { ...found, w: words[prefs.locale ?? "en"] };
}

/**
 * The pages' own policy: Pages puts the site's `_headers` on static files only, not on what a Function (here, the
 * /api proxy) answers. The page runs no script and loads nothing (its one style is inline), and it may not be framed:
 * a foreign page framing a reader's link could dress up the button. No referrer, since the URL carries the token.
 */
const PAGE_HEADERS = {
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

function page(title: string, body: unknown) {
  return html`<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:36rem;margin:2rem auto;padding:0 1rem">${body}</body></html>`;
}

export const unsubscribeRoutes = new Hono<AppEnv<DeliveryEnv>>()
  // Who may call: whoever holds a signed link (the mail's recipient). A GET asks; only the POST opts out.
  .get("/notifications/unsubscribe", validate("query", UnsubscribeQuery), async (c) => {
    const { token } = c.req.valid("query");
    const { kind, w } = await verified(c.env, token);
    const question = w.unsubscribeQuestion(w.kinds[kind]);
    return c.html(page(question, html`<h1>${question}</h1><form method="post"><button type="submit">${w.unsubscribeButton}</button></form>`), 200, PAGE_HEADERS);
  })
  // Who may call: whoever holds a signed link: the mail client's one-click POST (RFC 8058), or the page's button.
  .post("/notifications/unsubscribe", validate("query", UnsubscribeQuery), async (c) => {
    const { token } = c.req.valid("query");
    const { owner, kind, w } = await verified(c.env, token);
    await optOut(c.env.DB, owner, kind);
    c.get("log").info("unsubscribed", { kind, owner: "userId" in owner ? "account" : "request" });
    const done = w.unsubscribed(w.kinds[kind]);
    if ((c.req.header("accept") ?? "").includes("application/json")) return c.json({ unsubscribed: kind });
    return c.html(page(done, html`<p>${done}</p>`), 200, PAGE_HEADERS);
  });
