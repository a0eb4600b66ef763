/** The link policy: with escaping (@statex/shared/html), what keeps author text from becoming markup or script. */

/**
 * The href for a link target if it is http(s) or relative, else null.
 * Browsers drop whitespace and control characters inside a scheme
 * ("java\tscript:"), so the scheme is judged with them removed, and a URL
 * that contains control characters at all is refused.
 */
export function safeHref(raw: string): string | null {
  const url = raw.trim();
  if (!url || /[\u0000-\u001f\u007f-\u009f]/.test(url)) return null;
  const squeezed = url.replace(/\s+/g, "");
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(squeezed);
  if (scheme) return /^https?$/i.test(scheme[1] ?? "") ? url : null;
  // A colon before any / ? # that did not form a scheme above is still refused: no guessing how a browser reads it.
  if (/^[^/?#]*:/.test(squeezed)) return null;
  return url;
}
