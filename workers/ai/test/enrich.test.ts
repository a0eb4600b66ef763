import { describe, expect, it } from "vitest";
import { extractEntities, phonesIn } from "../src/providers/offline/entities";
import { budgetOf, urgencyOf } from "../src/providers/offline/hints";
import { detectLanguage } from "../src/providers/offline/language";
import { analyse } from "../src/providers/offline/nlp";
import { sentimentOf } from "../src/providers/offline/sentiment";

describe("entities", () => {
  const text =
    "Hi, I am Maria Garcia from Acme Corp in Berlin. Our partner John Smith at Google, London, agrees. " +
    "We need it by March 15, 2027 and can spend $20,000. Write to maria@acme.example or call +49 30 1234 5678.";

  it("finds people, organisations and places without trailing punctuation", () => {
    const e = extractEntities(text, "en");
    expect(e.people).toEqual(expect.arrayContaining(["Maria Garcia", "John Smith"]));
    expect(e.organizations).toEqual(expect.arrayContaining(["Acme Corp", "Google"]));
    expect(e.places).toEqual(expect.arrayContaining(["Berlin", "London"]));
    for (const v of [...e.people, ...e.organizations, ...e.places]) expect(v).not.toMatch(/[.,;:!?]$/);
  });

  it("finds dates, money, emails and phone numbers", () => {
    const e = extractEntities(text, "en");
    expect(e.dates).toContain("March 15, 2027");
    expect(e.money).toContain("$20,000");
    expect(e.emails).toEqual(["maria@acme.example"]);
    expect(e.phones).toEqual(["+49 30 1234 5678"]);
  });

  it("takes phone numbers in common shapes but not dates or amounts", () => {
    expect(phonesIn("Call (555) 123-4567 or 0601 234 567, or +420 777 123 456.")).toEqual(["(555) 123-4567", "0601 234 567", "+420 777 123 456"]);
    expect(phonesIn("On 2027-03-15 we pay 20 000 for 3 apps.")).toEqual([]);
  });

  it("names no people in a language compromise does not know, but still finds emails and phones", () => {
    const e = extractEntities("Wir brauchen eine Webseite. Schreiben Sie an info@praxis.de oder rufen Sie +49 89 123 45 67 an.", "de");
    expect(e).toMatchObject({ people: [], organizations: [], places: [], emails: ["info@praxis.de"], phones: ["+49 89 123 45 67"] });
  });
});

describe("sentiment", () => {
  const set: [string, "negative" | "neutral" | "positive"][] = [
    ["We love your work and are excited to start this great project with you!", "positive"],
    ["Your previous app was fantastic, our customers are very happy.", "positive"],
    ["Thank you so much, we are delighted with the idea, it sounds wonderful.", "positive"],
    ["Our current website is terrible, slow and broken, customers hate it.", "negative"],
    ["The last agency was awful and the project was a disaster. We are frustrated.", "negative"],
    ["The system keeps crashing, we lose orders and it is a nightmare.", "negative"],
    ["We need a booking website for our clinic.", "neutral"],
    ["Please build an integration between our CRM and our invoicing tool.", "neutral"],
    ["The app should have a login page and a list of orders.", "neutral"],
    ["We have three stores and a warehouse in Prague.", "neutral"],
  ];
  it("labels at least 80% of a labelled set right, with the score in [-1, 1]", () => {
    const results = set.map(([text, expected]) => ({ text, expected, got: sentimentOf(text) }));
    const right = results.filter((r) => r.got.label === r.expected).length;
    console.info(`sentiment ${right}/${set.length}`, results.filter((r) => r.got.label !== r.expected));
    for (const r of results) expect(Math.abs(r.got.score)).toBeLessThanOrEqual(1);
    expect(right / set.length).toBeGreaterThanOrEqual(0.8);
  });
});

describe("urgency and budget hints", () => {
  it.each([
    ["We need this ASAP, it is urgent.", "high", ["asap", "urgent"]],
    ["Could you deliver it within 3 days?", "high", ["within 3 days"]],
    ["The deadline is the end of June; we want to go live by September.", "medium", ["deadline", "go live by september"]],
    ["There is no rush, not urgent at all.", "low", ["no rush", "not urgent"]],
  ] as const)("%s → %s", (text, level, evidence) => {
    expect(urgencyOf(text)).toEqual({ level, evidence });
  });

  it("gives no urgency when the text says nothing about time", () => {
    expect(urgencyOf("We need a website for our bakery.")).toBeUndefined();
  });

  it.each([
    ["Our budget is $20,000 for the first version.", 20_000, "USD"],
    ["We can spend around €15k on this.", 15_000, "EUR"],
    ["The maximum we can invest is 250 000 CZK.", 250_000, "CZK"],
    ["Budget: about 5000 pounds.", 5_000, "GBP"],
    ["Our budget is 12k.", 12_000, null],
  ] as const)("%s → %d %s", (text, amount, currency) => {
    expect(budgetOf(text)).toEqual({ amount, currency, evidence: text });
  });

  it("takes no amount that is not about budget", () => {
    expect(budgetOf("We sold products worth $1,000,000 last year. We need a shop.")).toBeUndefined();
    expect(budgetOf("We need a website by 2027.")).toBeUndefined();
  });

  it("puts the hints, category, entities and sentiment into the analysis", () => {
    const result = analyse("We need an online shop for our bakery in Vienna with card payments ASAP. Our budget is €8,000.");
    expect(result).toMatchObject({
      category: { label: "e-commerce" },
      urgency: { level: "high", evidence: ["asap"] },
      budget: { amount: 8_000, currency: "EUR" },
      sentiment: { label: "neutral" },
      entities: { places: ["Vienna"], money: ["€8,000"] },
    });
  });
});

describe("language on short texts", () => {
  const texts: [string, string][] = [
    ["en", "We need a new website."], ["en", "Build me a mobile app please."],
    ["de", "Wir brauchen eine neue Webseite."], ["de", "Bitte bauen Sie uns eine App."],
    ["fr", "Nous avons besoin d'un site web."], ["fr", "Pouvez-vous créer une application mobile?"],
    ["es", "Necesitamos una tienda en línea."], ["es", "Queremos una aplicación para nuestros clientes."],
    ["it", "Abbiamo bisogno di un sito nuovo."], ["it", "Vorremmo un'applicazione per il negozio."],
    ["pt", "Precisamos de um site novo para a empresa."], ["pt", "Queremos uma loja online."],
    ["nl", "Wij hebben een nieuwe website nodig."], ["nl", "Kunnen jullie een app voor ons bouwen?"],
    ["pl", "Potrzebujemy nowej strony internetowej."], ["pl", "Chcemy aplikację dla naszych klientów."],
    ["cs", "Potřebujeme nové webové stránky."], ["cs", "Chceme aplikaci pro naše zákazníky."],
    ["ru", "Нам нужен новый сайт."], ["ru", "Сделайте мобильное приложение."],
    ["uk", "Нам потрібен новий сайт для компанії."], ["uk", "Зробіть, будь ласка, застосунок."],
    ["sv", "Vi behöver en ny webbplats."], ["sv", "Kan ni bygga en app åt oss?"],
    ["tr", "Yeni bir web sitesine ihtiyacımız var."], ["tr", "Müşterilerimiz için bir uygulama istiyoruz."],
  ];
  it("is right on at least 90% of short texts in 13 languages", () => {
    const wrong = texts.map(([code, text]) => ({ code, text, got: detectLanguage(text).code })).filter((r) => r.got !== r.code);
    const accuracy = 1 - wrong.length / texts.length;
    console.info(`language accuracy ${(accuracy * 100).toFixed(1)}% (${texts.length - wrong.length}/${texts.length})`, wrong);
    expect(new Set(texts.map(([c]) => c)).size).toBeGreaterThanOrEqual(10);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
