/**
 * Preview links: one version of a page, shown as the site would show it, to whoever holds the link (someone without
 * an account) until it expires. Nothing is stored: the link carries the version and its expiry, signed with
 * PREVIEW_TOKEN_SECRET, so a link cannot be stretched or turned to another page or version. It cannot be revoked
 * one by one (rotating the secret voids them all), which is why it expires, after a day unless asked otherwise.
 */
import { toBase64Url } from "@statex/shared/base64";
import { database } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import { type AppEnv, validate } from "@statex/shared/http";
import { hmac, sameText } from "@statex/shared/tokens";
import { Hono } from "hono";
import { z } from "zod";
import { PreviewQuery } from "@statex/shared/api/content";
import { SlugParam, versionOf } from "./pages";
import { renderPage, shownFields } from "./render";
import { PAGE_CSP, pageDocument } from "./site/html";

/** `<version>.<expiry in epoch seconds>.<HMAC>`. */
const TOKEN = /^(\d{1,9})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

async function signature(secret: string, slug: string, version: number, expiry: number): Promise<string> {
  // The prefix keeps these apart from anything else ever signed with the same secret.
  return toBase64Url(await hmac(secret, `preview:${slug}:${version}:${expiry}`));
}

/** A preview link for one version, working for `ttlMs` from `now`. */
export async function previewLink(secret: string, slug: string, version: number, ttlMs: number, now = Date.now()): Promise<{ url: string; expiresAt: string; version: number }> {
  const expiry = Math.floor((now + ttlMs) / 1000);
  const token = `${version}.${expiry}.${await signature(secret, slug, version, expiry)}`;
  return { url: `/api/preview/${slug}?token=${token}`, expiresAt: new Date(expiry * 1000).toISOString(), version };
}

/**
 * The version a token shows, if it was signed for this page and has not expired; otherwise a problem naming
 * `token`: 403 for one that was not signed by us for this page, 410 for one that was but has expired.
 */
export async function verifyPreviewToken(secret: string, slug: string, token: string, now = Date.now()): Promise<number> {
  const parts = TOKEN.exec(token);
  const version = Number(parts?.[1]);
  const expiry = Number(parts?.[2]);
  const forged = new ProblemError(403, "invalid-preview-link", "This preview link is not valid", [{ field: "token", message: "not a preview link of this page" }]);
  if (!parts || !sameText(await signature(secret, slug, version, expiry), parts[3] ?? "")) throw forged;
  // Only a genuine link learns that it expired: anything else learns nothing about what it tried.
  if (expiry * 1000 <= now) {
    throw new ProblemError(410, "preview-link-expired", "This preview link has expired: ask its author for a new one", [
      { field: "token", message: `expired at ${new Date(expiry * 1000).toISOString()}` },
    ]);
  }
  return version;
}


export const previewRoutes = new Hono<AppEnv<ContentEnv>>()
  // Who may call: whoever holds a preview link (?token=). The version it was made for, as the site would show it.
  .get("/:slug", validate("param", SlugParam), validate("query", PreviewQuery), async (c) => {
    const { slug } = c.req.valid("param");
    const version = await verifyPreviewToken(c.env.PREVIEW_TOKEN_SECRET, slug, c.req.valid("query").token);
    const db = database(c.env.DB);
    const source = await versionOf(db, slug, version);
    const page = await renderPage(db, source.body, c.env.SITE_URL);
    const now = new Date().toISOString();
    const site = c.env.SITE_URL.replace(/\/+$/, "");
    const document = await pageDocument(site, { slug, ...shownFields(page, now), version, publishedAt: now, updatedAt: now });
    return c.body(document, 200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": PAGE_CSP,
      // A draft: in no search engine, in no shared cache, and the link (its token) in no Referer of the page's links.
      "x-robots-tag": "noindex, nofollow",
      "cache-control": "private, no-store",
      "referrer-policy": "no-referrer",
    });
  });
