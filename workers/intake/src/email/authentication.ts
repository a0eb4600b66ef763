/**
 * Whether an email's sender is who its From says, by the receiving server's verdict. Email Routing checks SPF, DKIM
 * and DMARC as the message arrives and writes what it found at the top of the message as an `Authentication-Results`
 * field (RFC 8601) under its authserv-id, `mx.cloudflare.net`:
 *
 *     Authentication-Results: mx.cloudflare.net;
 *       dkim=pass header.d=example.com header.s=s1 header.b=L6CZ3OJ0;
 *       dmarc=pass header.from=example.com policy.dmarc=none;
 *       spf=none (mx.cloudflare.net: no SPF records found for …) smtp.helo=mail.example.com;
 *       spf=pass (mx.cloudflare.net: domain of ann@example.com designates … as permitted sender) smtp.mailfrom=ann@example.com;
 *       arc=none smtp.remote-ip=192.0.2.1
 *
 * A message whose From is forged must not be answered: the acknowledgement, the "ready" mail and every notification
 * would go to the forged address (backscatter), and the platform's mail would carry the attacker's text to someone
 * who never wrote. Intake reads that verdict and holds such a message for ops instead.
 *
 * The parser is ours, small and limited to this one header: mailauth, the library that writes and reads these
 * fields in the Node mail ecosystem, is built on Node's dns and crypto to verify mail itself, which workerd need not
 * do (the receiving server already did), and no kept parser of the field alone runs in workerd.
 */

/** Email Routing's authserv-id: the only one whose verdict counts (anything else in the message was written by the sender). */
export const RECEIVING_SERVER = "mx.cloudflare.net";

/** One `method=result` of the field, with its properties (`smtp.mailfrom`, `header.from`, …) in lowercase keys. */
export type MethodResult = { method: string; result: string; props: Record<string, string> };
export type AuthenticationResults = { authservId: string; results: MethodResult[] };

/**
 * The field's value as RFC 8601 §2.2 reads it: comments (in nested parentheses) dropped, quoted strings kept whole,
 * `;` separating the authserv-id from each result. Undefined when there is no authserv-id.
 */
export function parseAuthenticationResults(value: string): AuthenticationResults | undefined {
  const pieces = split(value);
  const [head, ...rest] = pieces;
  const authservId = head?.trim().split(/\s+/)[0]?.toLowerCase();
  if (!authservId) return undefined;
  const results: MethodResult[] = [];
  for (const piece of rest) {
    const words = piece.trim().split(/\s+/).filter(Boolean);
    const [spec, ...props] = words;
    // `method[/version]=result`; `none` alone says no method was run.
    const m = /^([a-z0-9-]+)(?:\/\d+)?=([a-z0-9-]+)$/i.exec(spec ?? "");
    if (!m?.[1] || !m[2]) continue;
    const entry: MethodResult = { method: m[1].toLowerCase(), result: m[2].toLowerCase(), props: {} };
    for (const prop of props) {
      const eq = prop.indexOf("=");
      if (eq > 0) entry.props[prop.slice(0, eq).toLowerCase()] = unquote(prop.slice(eq + 1));
    }
    results.push(entry);
  }
  return { authservId, results };
}

/**
 * Splits on `;` outside quoted strings and drops comments. A quoted string's spaces become U+001F here (which `\s` does not match, unlike a no-break space), so
 * the string stays one word when a piece is split into words; `unquote` gives them back.
 */
function split(value: string): string[] {
  const pieces: string[] = [];
  let current = "";
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] ?? "";
    if (ch === "\\" && (quoted || depth > 0)) {
      // A quoted-pair: the next character is literal (and, in a comment, dropped with it).
      if (quoted) current += (value[i + 1] ?? "").replace(" ", "\u001f");
      i++;
    } else if (quoted) {
      current += ch === " " ? "\u001f" : ch;
      if (ch === '"') quoted = false;
    } else if (ch === "(") depth++;
    else if (ch === ")" && depth > 0) depth--;
    else if (depth > 0) continue;
    else if (ch === '"') {
      quoted = true;
      current += ch;
    } else if (ch === ";") {
      pieces.push(current);
      current = "";
    } else current += ch;
  }
  pieces.push(current);
  return pieces;
}

function unquote(value: string): string {
  const spaced = value.replace(/\u001f/g, " ");
  return spaced.startsWith('"') && spaced.endsWith('"') && spaced.length >= 2 ? spaced.slice(1, -1) : spaced;
}

export type SenderVerdict =
  | { checked: false }
  | { checked: true; spf: string; dkim: string; dmarc: string; authenticated: boolean; summary: string };

/**
 * The receiving server's verdict on a message's sender, from its headers in message order (postal-mime's, unfolded).
 *
 * Only the topmost `Authentication-Results` counts, and only when it is the receiving server's: Email Routing adds
 * its field above every header the message came with, and one a sender wrote below it, claiming any authserv-id,
 * is ignored (RFC 8601 §5). A message with none (wrangler's local email endpoint adds none) is not checked.
 *
 * The rule, as the large receivers apply DMARC: a DMARC `fail` means the From's domain disowns this message, so it
 * is not authenticated, whatever its own policy asks (p=none only tells receivers not to reject; it does not make the
 * address trustworthy to answer). Without a DMARC pass, a message is also not authenticated when neither SPF (the
 * envelope sender's, `smtp.mailfrom`) nor DKIM passes and at least one of them fails outright (SPF `fail` or
 * `softfail`, DKIM `fail`): a domain that publishes no DMARC record still told us the message is not its own. A
 * message where nothing was checkable (all `none`) is answered: nothing says it is forged.
 */
export function senderVerdict(headers: { key: string; value: string }[]): SenderVerdict {
  const field = headers.find((h) => h.key === "authentication-results");
  const parsed = field ? parseAuthenticationResults(field.value) : undefined;
  if (!parsed || parsed.authservId !== RECEIVING_SERVER) return { checked: false };
  const of = (method: string) => parsed.results.filter((r) => r.method === method);
  const spfs = of("spf");
  // SPF of the envelope sender is the one DMARC aligns with; a HELO check says less.
  const spf = (spfs.find((r) => "smtp.mailfrom" in r.props) ?? spfs[0])?.result ?? "none";
  const dkims = of("dkim");
  const dkim = dkims.some((r) => r.result === "pass") ? "pass" : (dkims[0]?.result ?? "none");
  const dmarc = of("dmarc")[0]?.result ?? "none";
  const summary = `spf=${spf} dkim=${dkim} dmarc=${dmarc}`;
  if (dmarc === "pass") return { checked: true, spf, dkim, dmarc, authenticated: true, summary };
  if (dmarc === "fail") return { checked: true, spf, dkim, dmarc, authenticated: false, summary };
  const anyPass = spf === "pass" || dkim === "pass";
  const anyFail = spf === "fail" || spf === "softfail" || dkim === "fail";
  return { checked: true, spf, dkim, dmarc, authenticated: anyPass || !anyFail, summary };
}
