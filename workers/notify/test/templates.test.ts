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
