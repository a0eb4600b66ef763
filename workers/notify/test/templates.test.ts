import { describe, expect, it } from "vitest";
import { render } from "../src/templates";

describe("templates", () => {
  it("escapes what a client typed in the HTML and keeps it as typed in the text", async () => {
    const out = await render("request-ready", {
      name: `Eve "<img src=x onerror=alert(1)>"`,
      requestId: "req_1",
      summary: "Fish & chips\n\n<script>",
      statusUrl: "https://statex.app/request.html?id=req_1&token=abc",
      siteUrl: "https://statex.app",
    });
    expect(out.html).not.toMatch(/<img|<script/);
    expect(out.html).toContain("<title>Your analysis is ready</title>");
    expect(out.html).toContain("Hello Eve &quot;&lt;img src=x onerror=alert(1)&gt;&quot;,");
    expect(out.html).toContain("<blockquote><p>Fish &amp; chips</p>\n<p>&lt;script&gt;</p>\n</blockquote>");
    expect(out.html).toContain(`href="https://statex.app/request.html?id=req_1&amp;token=abc"`);
    expect(out.text).toContain("Fish & chips\n\n<script>");
    expect(out.text).toContain("https://statex.app/request.html?id=req_1&token=abc");
  });

  it("renders the same message every time, so a retried send has the same payload", async () => {
    const input = { name: "Ada", siteUrl: "https://statex.app", link: "https://statex.app/verify.html?token=abc", linkValidHours: 24 };
    expect(await render("verify-email", input)).toEqual(await render("verify-email", input));
  });

  it("keeps a paragraph's single line breaks as <br>", async () => {
    const out = await render("request-ready", { name: "Ada", summary: "one\ntwo & <three>", siteUrl: "https://statex.app" });
    expect(out.html).toContain("<p>one<br>two &amp; &lt;three&gt;</p>");
  });

  it.each(["verify-email", "register-attempt", "password-reset", "password-changed", "role-changed", "account-locked"] as const)(
    "writes the %s account email in text and HTML from one template, the name escaped and the link in both",
    async (template) => {
      const link = "https://statex.app/reset.html?token=abc&x=1";
      const out = await render(template, { name: `Eve <b>"x"</b>`, siteUrl: "https://statex.app", link, linkValidHours: 1 });
      expect(out.template).toBe(template);
      expect(out.text).toContain(`Eve <b>"x"</b>`);
      expect(out.text).toContain(link);
      expect(out.html).not.toContain("<b>");
      expect(out.html).toContain("Eve &lt;b&gt;&quot;x&quot;&lt;/b&gt;");
      expect(out.html).toContain(`href="https://statex.app/reset.html?token=abc&amp;x=1"`);
    },
  );

  it("says when an account's sign-in lock ends, to the minute and rounded up, in the text and the HTML", async () => {
    const out = await render("account-locked", { name: "", siteUrl: "https://statex.app", link: "https://statex.app/reset.html", until: "2026-12-02T20:34:20.000Z" });
    expect(out.subject).toBe("Signing in to your StateX account is paused");
    expect(out.text).toContain("paused until 2026-12-02 20:35 UTC");
    expect(out.html).toContain("paused until 2026-12-02 20:35 UTC");
    expect(out.text).toMatch(/^Hello,\n/);
  });
});

describe("a request's first draft in the ready email", () => {
  const draft = [
    "# Booking site",
    "",
    "## Scope",
    "",
    "- online booking",
    "- SMS reminders",
    "",
    "| Phase | Days |",
    "|---|--:|",
    "| Design | 3 |",
    "",
    "<img src=x onerror=alert(1)> [more](javascript:alert(1)) ![x](data:image/svg+xml,x) [ours](https://statex.app/p/pricing) [docs](https://docs.example)",
  ].join("\n");
  const input = { name: "Ada", requestId: "req_1", summary: "A clinic's booking site.", draft, statusUrl: "https://statex.app/request.html?id=req_1&token=abc", siteUrl: "https://statex.app" };

  it("formats it in the HTML with the platform's renderer: headings, lists, a table, and markup left inert", async () => {
    const out = await render("request-ready", input);
    expect(out.html).toContain("<h2>Your first draft</h2>\n<h1 id=\"booking-site\">Booking site</h1>\n<h2 id=\"scope\">Scope</h2>\n<ul>\n<li>online booking</li>");
    expect(out.html).toContain('<th align="right">Days</th>');
    expect(out.html).toContain('<td align="right">3</td>');
    expect(out.html).toContain("<style>table{border-collapse:collapse}");
    expect(out.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(out.html).not.toMatch(/<img|<script|href="(?:javascript|data):/i);
    expect(out.html).toContain('<a href="https://statex.app/p/pricing">ours</a>');
    expect(out.html).toContain('<a href="https://docs.example" rel="noopener">docs</a>');
    expect((await render("request-ready", input, "de")).html).toContain("<h2>Ihr erster Entwurf</h2>\n<h1 id=\"booking-site\">");
  });

  it("leaves it out of the plain text and the chats, which link to the request page", async () => {
    const out = await render("request-ready", input);
    for (const format of [out.text, out.telegram, out.whatsapp]) {
      expect(format).not.toContain("Booking site");
      expect(format).toContain("https://statex.app/request.html?id=req_1");
    }
    expect(out.text).toContain("A clinic's booking site.");
  });

  it("adds no style to an email without a draft", async () => {
    const { draft: _, ...withoutDraft } = input;
    const out = await render("request-ready", withoutDraft);
    expect(out.html).not.toContain("<style>");
    expect(out.html).not.toContain("Your first draft");
  });
});

describe("each channel's format, from one template", () => {
  const hostile = { name: `Eve <img src=x onerror=alert(1)> *b* _i_ ~s~ \`c\``, requestId: "req_1", summary: "> quoted\n- listed\n1. numbered & <b>bold</b>", statusUrl: "https://statex.app/request.html?id=req_1&token=abc", siteUrl: "https://statex.app" };

  it("escapes what a client typed in Telegram's HTML, and keeps only our tags", async () => {
    const out = await render("request-ready", hostile);
    expect(out.telegram).not.toMatch(/<img|<b>bold/);
    expect(out.telegram).toContain("Hello Eve &lt;img src=x onerror=alert(1)&gt; *b* _i_");
    expect(out.telegram).toContain("<blockquote>&gt; quoted\n- listed\n1. numbered &amp; &lt;b&gt;bold&lt;/b&gt;</blockquote>");
    expect(out.telegram).toContain(`<a href="https://statex.app/request.html?id=req_1&amp;token=abc">Read the full analysis and the draft</a>`);
    expect(out.telegram.match(/<(?!\/?(b|a|blockquote)\b)/g)).toBeNull();
  });

  it("neutralises WhatsApp's formatting marks in what a client typed, and keeps ours", async () => {
    const out = await render("request-ready", hostile);
    const J = "\u2060";
    expect(out.whatsapp).toMatch(/^\*Your analysis is ready\*\n/);
    for (const mark of ["*b*", "_i_", "~s~", "`c`"]) expect(out.whatsapp).not.toContain(mark);
    expect(out.whatsapp).toContain(`${J}*${J}b${J}*${J}`);
    // Line starts that would quote or list.
    expect(out.whatsapp).toContain(`${J}> quoted\n${J}- listed\n${J}1. numbered`);
    // Removing the invisible joiners gives back exactly what was typed.
    expect(out.whatsapp.replaceAll(J, "")).toContain(hostile.summary);
  });

  it("makes a WhatsApp template's parameters single lines", async () => {
    const out = await render("request-received", { ...hostile, name: "Ada\n\tLovelace      *x*" });
    expect(out.params[0]).toBe("Ada Lovelace   \u2060*\u2060x\u2060*\u2060");
    expect(out.params[1]).toBe(hostile.statusUrl);
  });

  it("cuts a long summary for a chat, at a word, saying where the rest is", async () => {
    const out = await render("request-ready", { ...hostile, summary: "word ".repeat(1_000) });
    expect(out.telegram.length).toBeLessThan(4_096);
    expect(out.whatsapp).toContain("… (The whole text is on your request's page.)");
    expect(out.text).toContain("word ".repeat(999));
  });

  it("writes German for a German reader, in every format", async () => {
    const out = await render("request-failed", hostile, "de");
    expect(out).toMatchObject({ locale: "de", subject: "Wir konnten Ihre Anfrage nicht abschließen" });
    expect(out.html).toContain('<html lang="de">');
    expect(out.telegram).toContain("<b>Wir konnten Ihre Anfrage nicht abschließen</b>");
    expect(out.whatsapp).toContain("— Ihr StateX-Team");
  });

  it("adds the unsubscribe line to the email only when given one", async () => {
    const url = "https://statex.app/api/notifications/unsubscribe?token=r.req_1.ready.x";
    const out = await render("request-ready", hostile, "en", url);
    expect(out.text).toContain(`To receive no more messages like this one: ${url}`);
    expect(out.html).toContain(`href="https://statex.app/api/notifications/unsubscribe?token=r.req_1.ready.x"`);
    expect(out.telegram).not.toContain("unsubscribe");
    expect((await render("request-ready", hostile)).text).not.toContain("unsubscribe");
  });
});
