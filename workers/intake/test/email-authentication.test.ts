import { env, exports } from "cloudflare:workers";
import { SpamLog } from "@statex/shared/api/intake";
import { describe, expect, it } from "vitest";
import { opsCaller } from "../../../shared/test/callers";
import { parseAuthenticationResults, senderVerdict } from "../src/email/authentication";
import { call } from "./call";
import { message } from "./mail";

/** Email Routing's field as it stamps it on a message from Gmail (folded, with comments), verdicts filled in. */
const stamped = (spf: string, dkim: string, dmarc: string) =>
  [
    "mx.cloudflare.net;",
    `dkim=${dkim} header.d=shop.example header.s=20251104 header.b=L6CZ3OJ0;`,
    `dmarc=${dmarc} header.from=shop.example policy.dmarc=reject;`,
    "spf=none (mx.cloudflare.net: no SPF records found for postmaster@mail.shop.example; checked) smtp.helo=mail.shop.example;",
    `spf=${spf} (mx.cloudflare.net: domain of ann@shop.example designates 192.0.2.1 as permitted sender) smtp.mailfrom=ann@shop.example;`,
    'arc=none smtp.remote-ip="192.0.2.1"',
  ].join(" ");

const headers = (...values: string[]) => values.map((value) => ({ key: "authentication-results", value }));

describe("the receiving server's Authentication-Results", () => {
  it("reads Email Routing's field: each method's result and properties, comments (with their ';') dropped, quoted values whole", () => {
    const parsed = parseAuthenticationResults(stamped("pass", "pass", "pass"));
    expect(parsed?.authservId).toBe("mx.cloudflare.net");
    expect(parsed?.results.map((r) => `${r.method}=${r.result}`)).toEqual(["dkim=pass", "dmarc=pass", "spf=none", "spf=pass", "arc=none"]);
    expect(parsed?.results[3]?.props).toEqual({ "smtp.mailfrom": "ann@shop.example" });
    expect(parsed?.results[4]?.props).toEqual({ "smtp.remote-ip": "192.0.2.1" });
    expect(parseAuthenticationResults("mx.cloudflare.net 1; none")?.results).toEqual([]);
    expect(parseAuthenticationResults('example.net; dkim=pass reason="good (signed); yes" header.d=a.example')?.results[0]).toEqual({
      method: "dkim",
      result: "pass",
      props: { reason: "good (signed); yes", "header.d": "a.example" },
    });
  });

  it.each([
    ["all three fail", stamped("fail", "fail", "fail"), false],
    ["DMARC fails though SPF passes (the From's domain disowns it)", stamped("pass", "fail", "fail"), false],
    ["no DMARC record, SPF softfails and DKIM fails", stamped("softfail", "fail", "none"), false],
    ["DMARC passes", stamped("fail", "pass", "pass"), true],
    ["no DMARC record, DKIM passes", stamped("fail", "pass", "none"), true],
    ["nothing checkable", stamped("none", "none", "none"), true],
  ])("judges a message where %s", (_label, value, authenticated) => {
    expect(senderVerdict(headers(value))).toMatchObject({ checked: true, authenticated });
  });

  it("counts only the topmost field, and only the receiving server's: a sender's own claim below it, or alone, changes nothing", () => {
    const forgedPass = "mx.cloudflare.net; spf=pass smtp.mailfrom=ann@shop.example; dkim=pass; dmarc=pass header.from=shop.example";
    expect(senderVerdict(headers(stamped("fail", "fail", "fail"), forgedPass))).toMatchObject({ checked: true, authenticated: false, summary: "spf=fail dkim=fail dmarc=fail" });
    expect(senderVerdict(headers("mail.attacker.example; dmarc=pass", stamped("fail", "fail", "fail")))).toEqual({ checked: false });
    expect(senderVerdict([])).toEqual({ checked: false });
  });
});

const raw = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;
const receive = (from: string, text: string) => exports.IntakeApi.receiveEmail({ from, to: "requests@statex.local", raw: raw(text) });

describe("a message whose sender fails authentication", () => {
  it("is held in the spam log with the verdict: no request, nothing queued to the address, no rejection to bounce", async () => {
    const from = `ceo-${crypto.randomUUID()}@bank.example`;
    const before = await env.DB.prepare("select count(*) as n from requests").first<{ n: number }>();
    const outcome = await receive(
      from,
      message({
        from: `The CEO <${from}>`,
        subject: "Urgent wire",
        headers: { "Authentication-Results": stamped("fail", "fail", "fail").replaceAll("shop.example", "bank.example") },
        parts: [{ type: "text/plain", body: "Please build us a payments portal and send the quote to this address." }],
      }),
    );
    const reason = "email sender not authenticated (spf=fail dkim=fail dmarc=fail): held, not answered";
    expect(outcome).toEqual({ status: "held", reason });
    expect(await env.DB.prepare("select count(*) as n from requests").first<{ n: number }>()).toEqual(before);
    expect(await env.DB.prepare("select count(*) as n from event_outbox where body like ?").bind(`%${from}%`).first<{ n: number }>()).toEqual({ n: 0 });

    const log = SpamLog.parse(await (await call("/spam-log?limit=500", { headers: opsCaller })).json());
    expect(log.entries.filter((e) => e.email === from)).toMatchObject([
      { reason, channel: "email", excerpt: "Urgent wire — Please build us a payments portal and send the quote to this address." },
    ]);
  });

  it("is held even when it carries what would otherwise be refused (a bounce from a relay would reach the forged address)", async () => {
    const from = `eve-${crypto.randomUUID()}@bank.example`;
    const outcome = await receive(from, message({ from, subject: "", headers: { "Authentication-Results": "mx.cloudflare.net; spf=fail smtp.mailfrom=x@bank.example; dkim=none; dmarc=fail" }, parts: [{ type: "text/plain", body: " " }] }));
    expect(outcome.status).toBe("held");
  });

  it("is answered as before when the receiving server authenticated it", async () => {
    const from = `ann-${crypto.randomUUID()}@shop.example`;
    const outcome = await receive(
      from,
      message({ from, subject: "Shop", headers: { "Authentication-Results": stamped("pass", "pass", "pass") }, parts: [{ type: "text/plain", body: "We need an online shop for our tea." }] }),
    );
    expect(outcome.status).toBe("accepted");
  });
});
