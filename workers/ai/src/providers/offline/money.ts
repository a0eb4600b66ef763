/**
 * Amounts of money in text: a number with a currency symbol or code before or
 * after it, in the shapes clients write ("$20,000", "€15k", "250 000 CZK").
 * Language-independent, which wink's English-only MONEY entity is not.
 */

export type Amount = { text: string; amount: number; currency: string | null };

const CURRENCY_SYMBOLS: Record<string, string> = { $: "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "Kč": "CZK" };
const CURRENCY_WORDS: Record<string, string> = {
  usd: "USD", dollars: "USD", dollar: "USD", eur: "EUR", euro: "EUR", euros: "EUR", gbp: "GBP", pounds: "GBP",
  chf: "CHF", czk: "CZK", crowns: "CZK", pln: "PLN", sek: "SEK", cad: "CAD", aud: "AUD", inr: "INR", jpy: "JPY",
};
/** An amount with a currency before or after it: "$20,000", "€15k", "20 000 EUR", "5k dollars". */
const AMOUNT = /(?:(?<pre>[$€£¥₹]|\b(?:USD|EUR|GBP|CHF|CZK|PLN|SEK|CAD|AUD)\s?)(?<n1>\d[\d,. ]*\d|\d)(?<k1>\s?[kKmM]\b)?|(?<n2>\d[\d,. ]*\d|\d)(?<k2>\s?[kKmM]\b)?\s?(?<post>[$€£]|Kč|\b(?:usd|eur|gbp|chf|czk|pln|sek|cad|aud|inr|jpy|dollars?|euros?|pounds|crowns)\b))/giu;

/** "20,000" "20 000" "20.000" "1,5" as numbers; a single separator followed by 1–2 digits is a decimal point. */
export function parseNumber(raw: string): number {
  const compact = raw.replace(/\s/g, "");
  const decimal = /[.,](\d{1,2})$/.exec(compact);
  const whole = (decimal ? compact.slice(0, -decimal[0].length) : compact).replace(/[.,]/g, "");
  return Number(`${whole}${decimal ? `.${decimal[1]}` : ""}`);
}

export function multiplier(suffix: string | undefined): number {
  const s = suffix?.trim().toLowerCase();
  return s === "k" ? 1_000 : s === "m" ? 1_000_000 : 1;
}

/** Every amount with a currency in the text, in order. */
export function amountsIn(text: string): Amount[] {
  const found: Amount[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const g = m.groups ?? {};
    const raw = g.n1 ?? g.n2;
    if (!raw) continue;
    const amount = parseNumber(raw) * multiplier(g.k1 ?? g.k2);
    if (!Number.isFinite(amount) || amount <= 0) continue;
    const mark = (g.pre ?? g.post ?? "").trim();
    const currency = CURRENCY_SYMBOLS[mark] ?? CURRENCY_WORDS[mark.toLowerCase()] ?? (mark.length === 3 ? mark.toUpperCase() : null);
    found.push({ text: m[0].trim(), amount, currency });
  }
  return found;
}
