import { describe, expect, it } from "vitest";
import { escapeHtml, render } from "../src/templates";

describe("templates", () => {
  it("escapes what a client typed in the HTML and keeps it as typed in the text", () => {
    const out = render("request-ready", {
      name: `Eve "<img src=x onerror=alert(1)>"`,
      requestId: "req_1",
      summary: "Fish & chips\n\n<script>",
      statusUrl: "https://statex.app/request.html?id=req_1&token=abc",
      siteUrl: "https://statex.app",
    });
    expect(out.html).not.toMatch(/<img|<script/);
    expect(out.html).toContain(`href="https://statex.app/request.html?id=req_1&#38;token=abc"`);
    expect(out.text).toContain("Fish & chips\n\n<script>");
    expect(out.text).toContain("https://statex.app/request.html?id=req_1&token=abc");
  });

  it("renders the same message every time, so a retried send has the same payload", () => {
    const input = { name: "Ada", siteUrl: "https://statex.app" };
    expect(render("welcome", input)).toEqual(render("welcome", input));
  });

  it("escapes every character that matters in HTML", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;");
  });
});
