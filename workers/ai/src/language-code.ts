/**
 * Whisper's verbose_json names the language in English ("english"); results carry ISO 639-1 codes.
 * The names come from Intl, so no table is kept by hand.
 */
const CODES = "af ar bg bn ca cs cy da de el en es et fa fi fr he hi hr hu id is it ja ko lt lv mk ms nl no pl pt ro ru sk sl sr sv sw ta th tl tr uk ur vi zh".split(" ");

let byName: Map<string, string> | undefined;

/** "english" or "en" → "en"; an unknown name → "und" (undetermined, as BCP 47 says). */
export function languageCode(name: string | undefined): string {
  const key = (name ?? "").trim().toLowerCase();
  if (CODES.includes(key)) return key;
  if (!byName) {
    const names = new Intl.DisplayNames(["en"], { type: "language" });
    byName = new Map(CODES.map((code) => [(names.of(code) ?? code).toLowerCase(), code]));
  }
  return byName.get(key) ?? "und";
}
