import { describe, expect, it } from "vitest";
import { htmlToText } from "../src/email/text";

describe("the text of an HTML email", () => {
  it("keeps blocks, line breaks, list items and table cells apart", async () => {
    const html = "<div>Hello,<br>we need\n   a  <b>shop</b>.</div><p>Two things:<ul>\n<li>cards</li>\n<li> delivery </li></ul><table><tr><td>Budget</td><td>8,000</td></tr></table>";
    expect(await htmlToText(html)).toBe("Hello,\nwe need a shop.\nTwo things:\n- cards\n- delivery\nBudget 8,000");
  });

  it("drops what a reader never sees: the title, styles, scripts, comments and tags inside attributes", async () => {
    const html = '<html><head><title>Newsletter</title><style>p{color:red}</style></head><body><!-- <p>draft</p> --><p title="a > b">Visible</p><script>if (a < b) alert(1)</script></body></html>';
    expect(await htmlToText(html)).toBe("Visible");
  });

  it("decodes character references once, after the markup is gone", async () => {
    const html = "<p>Fish &amp; chips &lt;b&gt; caf&#233; &#x1F600; a&nbsp;b &amp;lt; &copy; &#99999999;</p>";
    expect(await htmlToText(html)).toBe("Fish & chips <b> café 😀 a b &lt; &copy; \ufffd");
  });

  it("keeps preformatted text as written", async () => {
    expect(await htmlToText("<p>Steps:</p><pre>1. open\n   2. close</pre>")).toBe("Steps:\n1. open\n   2. close");
  });
});
