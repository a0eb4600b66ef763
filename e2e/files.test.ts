// Web submissions with files, as the site's form sends them: through Pages and the gateway to intake and R2.
import { describe, expect, it } from "vitest";
import { pdf } from "../workers/intake/test/mail";
import { apiUrl, form, opsHeaders, siteUrl } from "./helpers";

const contact = { name: "Ada", email: "ada@example.com", text: "Our brief for a booking website is attached.", channel: "web" };

describe("submissions with files", () => {
  it("accepts a multipart form with a PDF through the site, once per Idempotency-Key", async () => {
    const send = () => fetch(`${siteUrl()}/api/requests`, { method: "POST", body: form(contact, [{ name: "brief.pdf", bytes: new Uint8Array(pdf("Booking website brief")) }]), headers: { "idempotency-key": `e2e-${process.pid}` } });
    const first = await send();
    expect(first.status, await first.clone().text()).toBe(202);
    const again = await send();
    expect(await again.json()).toEqual(await first.json());
  });

  it("refuses an executable with 415 naming it, and logs a honeypot submission for ops", async () => {
    const exe = await fetch(`${apiUrl()}/api/requests`, { method: "POST", body: form(contact, [{ name: "setup.pdf", bytes: Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0]) }]) });
    expect(exe.status).toBe(415);
    expect(((await exe.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe("files.setup.pdf");
    const trap = await fetch(`${apiUrl()}/api/requests`, { method: "POST", body: form({ ...contact, website: "x" }, []) });
    expect(trap.status).toBe(422);
    const log = (await (await fetch(`${apiUrl()}/api/ops/spam-log`, { headers: await opsHeaders() })).json()) as { entries: { reason: string }[] };
    expect(log.entries[0]?.reason).toBe("honeypot field filled");
  });
});
