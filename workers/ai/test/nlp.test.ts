import { NlpResult } from "@statex/shared/tasks";
import { describe, expect, it } from "vitest";
import { candidatePhrases } from "../src/providers/offline/keywords";
import { detectLanguage } from "../src/providers/offline/language";
import { analyse } from "../src/providers/offline/nlp";
import { stopwordsFor } from "../src/providers/offline/stopwords";
import { sentences } from "../src/providers/offline/text";

const clinic = [
  "We run a dental clinic in Prague with three dentists and a growing list of patients.",
  "Patients call us to book appointments, and our receptionist spends hours on the phone every day.",
  "We need a booking website where patients can choose a dentist and book appointments online.",
  "The booking website should send email reminders before appointments.",
  "Our budget is limited, so we would like to start small.",
  "Later we may want a mobile app.",
].join(" ");

describe("offline NLP", () => {
  it("analyses an English request: language, summary from its sentences, the obvious keyphrases, counts", () => {
    const result = analyse(clinic);
    expect(NlpResult.parse(result)).toEqual(result);
    expect(result.language.code).toBe("en");
    expect(result.language.confidence).toBeGreaterThan(0.5);
    expect(result.stats).toEqual({ words: words(clinic), sentences: 6 });

    const picked = sentences(result.summary);
    expect(picked.length).toBeGreaterThanOrEqual(2);
    expect(picked.length).toBeLessThanOrEqual(3);
    const original = sentences(clinic);
    for (const s of picked) expect(original).toContain(s);
    // Kept in the order of the text.
    expect(picked.map((s) => original.indexOf(s))).toEqual([...picked.map((s) => original.indexOf(s))].sort((a, b) => a - b));
    // The sentence that states the need is the most representative one.
    expect(result.summary).toContain("We need a booking website");

    const phrases = result.keywords.map((k) => k.phrase);
    expect(phrases.length).toBeLessThanOrEqual(10);
    expect(phrases).toEqual(expect.arrayContaining(["booking website", "dental clinic", "book appointments online"]));
    expect(phrases.every((p) => !stopwordsFor("en").has(p))).toBe(true);
    const scores = result.keywords.map((k) => k.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("is deterministic: the same text gives the same result", () => {
    expect(analyse(clinic)).toEqual(analyse(clinic));
    expect(JSON.stringify(analyse(clinic))).toBe(JSON.stringify(analyse(clinic)));
  });

  it.each([
    ["de", "Wir brauchen eine neue Webseite für unsere Zahnarztpraxis. Die Patienten sollen Termine online buchen können."],
    ["es", "Necesitamos una página web para nuestra clínica dental. Los pacientes deben poder reservar citas en línea."],
    ["fr", "Nous avons besoin d'un site web pour notre cabinet dentaire. Les patients doivent pouvoir réserver en ligne."],
    ["ru", "Нам нужен сайт для стоматологической клиники. Пациенты должны записываться на приём онлайн."],
    ["it", "Abbiamo bisogno di un sito web per il nostro studio dentistico. I pazienti devono poter prenotare online."],
  ])("detects %s and still finds keyphrases", (code, text) => {
    const result = analyse(text);
    expect(result.language.code).toBe(code);
    expect(result.stats.sentences).toBe(2);
    expect(result.summary).toBe(text);
    expect(result.keywords.length).toBeGreaterThan(0);
  });

  it("uses the language's stopwords to split phrases", () => {
    expect(candidatePhrases(["Wir brauchen eine neue Webseite für unsere Praxis"], stopwordsFor("de"))).toEqual([
      ["brauchen"],
      ["neue", "webseite"],
      ["praxis"],
    ]);
  });

  it("says 'und' with no confidence when there is no language to find", () => {
    expect(detectLanguage("12345 !!!")).toEqual({ code: "und", confidence: 0 });
  });

  it("splits list items and paragraphs into sentences of their own", () => {
    expect(sentences("Needs:\n- a website\n- a shop\n\nThanks. Bye!")).toEqual(["Needs:", "a website", "a shop", "Thanks.", "Bye!"]);
  });
});

function words(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}
