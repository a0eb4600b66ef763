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
    const input = { name: "Ada", siteUrl: "https://statex.app" };
    expect(await render("welcome", input)).toEqual(await render("welcome", input));
  });

  it("keeps a paragraph's single line breaks as <br>", async () => {
    const out = await render("request-ready", { name: "Ada", summary: "one\ntwo & <three>", siteUrl: "https://statex.app" });
    expect(out.html).toContain("<p>one<br>two &amp; &lt;three&gt;</p>");
  });
});
