/**
 * Where a webhook may be sent (SSRF): outside the local platform (WEBHOOK_ALLOW_PRIVATE_URLS off) only https, to a
 * host that is no private, loopback, link-local, CGNAT, multicast, reserved or unique-local address and does not
 * resolve to one. Names are resolved through DNS over HTTPS (WEBHOOK_DNS_URL, Cloudflare's JSON API) when an endpoint
 * is subscribed and again before every send, since a name's records may change after it was accepted. IP literals
 * in any spelling (decimal, hex, octal, IPv4-mapped IPv6) reach the check as the WHATWG URL parser normalises them.
 *
 * A name that resolves differently between this check and the send's own lookup (DNS rebinding within a TTL) is
 * not caught here; the Workers runtime does not connect to private networks from the edge in any case.
 */
import { isPublicAddress } from "@statex/shared/network";
import { z } from "zod";

/** What the check reads. */
export type TargetEnv = { WEBHOOK_ALLOW_PRIVATE_URLS: string; WEBHOOK_DNS_URL: string };

/** A URL no webhook may go to, and why (said to the owner as the problem with `url`). */
export class TargetRefused extends Error {
  constructor(
    message: string,
    /** The name could not be looked up now (a resolver outage): worth trying again, unlike a refusal. */
    readonly transient = false,
  ) {
    super(message);
    this.name = "TargetRefused";
  }
}

/** Names that never mean a host on the public internet. */
const PRIVATE_NAME = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain|corp|onion)$/;

const DnsAnswer = z.object({
  Status: z.number(),
  Answer: z.array(z.object({ type: z.number(), data: z.string() })).optional(),
});

/** Checks a webhook's URL; throws {@link TargetRefused} when it may not be called. */
export async function checkTarget(raw: string, env: TargetEnv): Promise<void> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused("must be an absolute URL");
  }
  if (url.username || url.password) throw new TargetRefused("must not carry a user name or password");
  const local = env.WEBHOOK_ALLOW_PRIVATE_URLS === "on";
  if (url.protocol !== "https:" && !(local && url.protocol === "http:")) throw new TargetRefused(local ? "must be an http or https URL" : "must be an https URL");
  if (local) return;

  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  const literal = host.startsWith("[") || /^[\d.]+$/.test(host);
  if (literal) {
    if (!isPublicAddress(host)) throw new TargetRefused("must not point at a private, loopback or reserved address");
    return;
  }
  if (!host.includes(".") || PRIVATE_NAME.test(host)) throw new TargetRefused("must name a public host");
  const addresses = await resolve(host, env.WEBHOOK_DNS_URL);
  if (!addresses.length) throw new TargetRefused(`${host} does not resolve to any address`);
  if (addresses.some((a) => !isPublicAddress(a))) throw new TargetRefused(`${host} resolves to a private, loopback or reserved address`);
}

/** Every A and AAAA address of a name (CNAMEs followed by the resolver). */
async function resolve(host: string, dnsUrl: string): Promise<string[]> {
  const answers = await Promise.all(
    (["A", "AAAA"] as const).map(async (type) => {
      let res: Response;
      try {
        res = await fetch(`${dnsUrl}?${new URLSearchParams({ name: host, type })}`, { headers: { accept: "application/dns-json" }, signal: AbortSignal.timeout(5_000) });
      } catch (err) {
        throw new TargetRefused(`${host} could not be looked up now (${err instanceof Error ? err.message : String(err)})`, true);
      }
      const body = DnsAnswer.safeParse(res.ok ? await res.json().catch(() => null) : null);
      if (!body.success) throw new TargetRefused(`${host} could not be looked up now (the resolver answered ${res.status})`, true);
      // NXDOMAIN is an answer (no such name); SERVFAIL and the like are the resolver's trouble.
      if (body.data.Status === 3) return [];
      if (body.data.Status !== 0) throw new TargetRefused(`${host} could not be looked up now (DNS status ${body.data.Status})`, true);
      return (body.data.Answer ?? []).filter((r) => r.type === 1 || r.type === 28).map((r) => r.data);
    }),
  );
  return answers.flat();
}
