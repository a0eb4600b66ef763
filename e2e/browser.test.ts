import { execFileSync } from "node:child_process";
import { mkdirSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page, WebSocket as PageSocket } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pdf } from "../workers/intake/test/mail";
import { launchChromium, mailedLink, openResetLink, requireBrowser, shots } from "./browser";
import { holdEverySlot, siteUrl, submitText, tokenOf } from "./helpers";

const files = path.resolve(import.meta.dirname, "../.tmp/browser-files");
let browser: Browser;

beforeAll(async () => {
  requireBrowser("flite");
  mkdirSync(files, { recursive: true });
  // The fake microphone plays real speech (Debian's flite), so the voice note has words for the transcription.
  const speech = path.join(files, "speech.wav");
  execFileSync("flite", ["-t", "We need a booking website for our dental clinic, with reminders by text message.", "-o", speech]);
  browser = await launchChromium(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${speech}`]);
});

afterAll(async () => {
  await browser?.close();
});

describe("the site in a browser", () => {
  it("submits the form and follows the request until it completes", async () => {
    const page = await browser.newPage();
    await page.goto(`${siteUrl()}/`);
    await page.getByRole("link", { name: "Describe your need" }).click();
    await page.waitForURL(/\/submit/);
    await page.getByLabel("Your name").fill("Jonas Berg");
    await page.getByLabel("Email").fill("jonas@shop.example");
    await page
      .getByLabel("What do you need?")
      .fill("Our bike shop needs an online store with stock sync from our till system. Customers should reserve bikes for a test ride. The online store must take card payments.");
    await page.getByRole("button", { name: "Send request" }).click();
    await page.waitForURL(/\/request(\.html)?\?id=req_/);
    await expect.poll(() => page.locator("#status").textContent(), { timeout: 20_000 }).toBe("completed");
    await expect.poll(() => page.locator("#summary").textContent()).toMatch(/bike shop|online store/);
    expect(await page.locator("#language").textContent()).toBe("en");
    expect(await page.locator("#keywords li").count()).toBeGreaterThan(2);
    await page.screenshot({ path: path.join(shots, "request-completed.png"), fullPage: true });
    await page.close();
  });

  it("says a request waits in line while every job slot is taken, and follows it once its turn comes", async () => {
    // As many requests as the platform has job slots, whose analysis never answers, hold every slot.
    const slots = await holdEverySlot();
    const page = await browser.newPage();
    try {
      const waiting = await submitText({ name: "Mira Holm", email: "mira@bakery.example", text: "Our bakery needs an online order form for cakes, with pick-up times and payment by card." });
      await page.goto(`${siteUrl()}/request.html?id=${waiting.id}&token=${tokenOf(waiting)}`);
      await expect.poll(() => page.locator("#line").textContent(), { timeout: 10_000 }).toMatch(/next in line|in line behind/);
      expect(await page.locator("#status").textContent()).toBe("received");
      await page.screenshot({ path: path.join(shots, "request-in-line.png"), fullPage: true });

      // A slot frees up: the request's job starts, the page drops the line and follows it to the end.
      expect((await slots.release())[0]).toBe(200);
      await expect.poll(() => page.locator("#status").textContent(), { timeout: 20_000 }).toBe("completed");
      expect(await page.locator("#line").isHidden()).toBe(true);
      await expect.poll(() => page.locator("#summary").textContent()).toMatch(/bakery|order form/);
    } finally {
      await page.close();
      await slots.release();
    }
  });

  it("shows the problem's field errors next to the fields", async () => {
    const page = await browser.newPage();
    await page.goto(`${siteUrl()}/submit.html`);
    await page.getByLabel("Your name").fill("Jonas");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("What do you need?").fill("A website.");
    await page.getByRole("button", { name: "Send request" }).click();
    await expect.poll(() => page.locator("#email-error").textContent()).toMatch(/email/i);
    expect(await page.locator("#email").getAttribute("aria-invalid")).toBe("true");
    expect(page.url()).toMatch(/\/submit/);
    await page.screenshot({ path: path.join(shots, "submit-error.png"), fullPage: true });
    await page.close();
  });
});

describe("a signed-in client in a browser", () => {
  it("creates an account, finds the request on their dashboard, follows it live and cancels it", async () => {
    // One context for the test's tabs: they share the session, as a person's tabs do.
    const context = await browser.newContext();
    const page = await context.newPage();
    // What each WebSocket the page opened received, by URL.
    const frames = new Map<string, string[]>();
    page.on("websocket", (ws) => {
      frames.set(ws.url(), []);
      ws.on("framereceived", (f) => frames.get(ws.url())?.push(String(f.payload)));
    });
    const email = `owner-${Date.now()}@studio.example`;
    // A signed-in page holds the access token in memory, so only the site's own scripts may run (site/public/_headers).
    const home = await page.goto(`${siteUrl()}/`);
    expect(home?.headers()["content-security-policy"]).toContain("script-src 'self' https://challenges.cloudflare.com;");
    await page.getByRole("link", { name: "Your requests" }).click();
    await page.waitForURL(/\/account/);

    // The server's rule for passwords comes back as a problem and lands next to the field.
    await page.getByLabel("Your name").fill("Lena Ek");
    await page.locator("#register-email").fill(email);
    await page.locator("#register-password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => page.locator("#register-password-error").textContent()).toMatch(/15 characters/);
    await page.locator("#register-password").fill("a long enough passphrase");
    await page.getByRole("button", { name: "Create account" }).click();
    // Registering signs no one in; the page signs in next with what was typed, and asks to confirm the address.
    await expect.poll(() => page.locator("#who").textContent()).toBe(`Lena Ek (${email})`);
    await expect.poll(() => page.locator("#empty").isVisible()).toBe(true);
    await expect.poll(() => page.locator("#verify-note").isVisible()).toBe(true);

    // The link from the email (the local outbox) confirms the address on its own page, which drops the token from
    // the address bar once read; the dashboard then stops asking.
    await page.goto(await mailedLink(email, "/verify.html"));
    await expect.poll(() => page.locator("#verify-status").textContent()).toMatch(/address is confirmed/);
    expect(new URL(page.url()).searchParams.has("token")).toBe(false);
    await page.getByRole("link", { name: "Your requests" }).first().click();
    await expect.poll(() => page.locator("#who").textContent()).toBe(`Lena Ek (${email})`);
    await expect.poll(() => page.locator("#verify-note").isHidden()).toBe(true);

    // Signed in, the form knows who is asking, and the request becomes theirs. Its nlp task fails on purpose (the
    // dev fault switch) so the job is still running when the owner opens it from the dashboard.
    await page.getByRole("link", { name: "Submit a new request" }).click();
    await page.waitForURL(/\/submit/);
    // The page learns who is signed in from its silent refresh, just after it loads.
    await expect.poll(() => page.getByLabel("Your name").inputValue()).toBe("Lena Ek");
    expect(await page.getByLabel("Email").inputValue()).toBe(email);
    expect(await page.locator("#sending-as").textContent()).toContain(`Lena Ek (${email})`);
    await page.getByLabel("What do you need?").fill("Our design studio needs a client portal for proofs and invoices. [[statex-fault:nlp]]");
    await page.getByRole("button", { name: "Send request" }).click();
    await page.waitForURL(/\/request(\.html)?\?id=req_/);
    const id = new URL(page.url()).searchParams.get("id") ?? "";

    await page.getByRole("link", { name: "Your requests" }).click();
    const link = page.getByRole("link", { name: /client portal for proofs/ });
    await link.click();
    await page.waitForURL((url) => url.searchParams.get("id") === id && !url.searchParams.has("token"));
    await expect.poll(() => page.locator("#text").textContent()).toMatch(/client portal/);
    // Live for the owner: the page asked for a ticket and opened the job's WebSocket with it, no token in sight.
    await expect.poll(() => page.locator("#timeline").textContent()).toMatch(/Analysis/);
    const pushed = () => [...frames].filter(([url]) => url.includes(`/api/requests/${id}/live?ticket=`)).flatMap(([, got]) => got);
    await expect.poll(() => pushed().some((f) => f.includes('"type":"state"') && f.includes('"kind":"nlp"'))).toBe(true);
    // The dashboard, open in another tab of the same browser, follows the unfinished request live too.
    const dashboard = await context.newPage();
    const dashboardSockets: string[] = [];
    dashboard.on("websocket", (ws) => dashboardSockets.push(ws.url()));
    await dashboard.goto(`${siteUrl()}/account.html`);
    // A new tab signs in again (its silent refresh) before it lists anything: on a loaded machine that takes seconds.
    await expect.poll(() => dashboard.locator("#request-rows .status").textContent(), { timeout: 15_000 }).toBe("processing");
    await expect.poll(() => dashboardSockets.some((url) => url.includes(`/api/requests/${id}/live?ticket=`)), { timeout: 15_000 }).toBe(true);

    await page.getByRole("button", { name: "Cancel this request" }).click();
    await expect.poll(() => page.locator("#status").textContent(), { timeout: 20_000 }).toBe("cancelled");
    await expect.poll(() => dashboard.locator("#request-rows .status").textContent(), { timeout: 15_000 }).toBe("cancelled");
    await dashboard.close();
    // The cancellation itself came over the owner's socket, not by polling.
    expect(pushed().some((f) => f.includes('"status":"cancelled"'))).toBe(true);
    await page.screenshot({ path: path.join(shots, "owner-request-cancelled.png"), fullPage: true });

    // Signed out, the same page shows nothing of the request; signed in again, the dashboard has it.
    await page.goto(`${siteUrl()}/account.html`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => page.locator("#signin-form").isVisible()).toBe(true);
    await page.goto(`${siteUrl()}/request.html?id=${id}`);
    await expect.poll(() => page.locator("#problem").textContent()).toMatch(/Sign in to see this request/);
    expect(await page.locator("#text").textContent()).toBe("");
    await page.goto(`${siteUrl()}/account.html`);
    await page.locator("#signin-email").fill(email);
    await page.locator("#signin-password").fill("a long enough passphrase");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.locator("#request-rows tr").count()).toBe(1);
    expect(await page.locator("#request-rows .status").textContent()).toBe("cancelled");
    await page.screenshot({ path: path.join(shots, "dashboard.png"), fullPage: true });

    // Signing out closes the dashboard's live connections: nothing of the client's keeps streaming to this browser.
    await page.goto(`${siteUrl()}/submit.html`);
    // The name and email come from the page's silent refresh: sent before it, the form would lack them.
    await expect.poll(() => page.getByLabel("Your name").inputValue(), { timeout: 15_000 }).toBe("Lena Ek");
    await page.getByLabel("What do you need?").fill("A second portal, for suppliers. [[statex-fault:nlp]]");
    await page.getByRole("button", { name: "Send request" }).click();
    await page.waitForURL(/\/request(\.html)?\?id=req_/);
    const second = new URL(page.url());
    const sockets: PageSocket[] = [];
    page.on("websocket", (ws) => sockets.push(ws));
    await page.goto(`${siteUrl()}/account.html`);
    const followed = () => sockets.filter((ws) => ws.url().includes(`/api/requests/${second.searchParams.get("id")}/live?ticket=`));
    await expect.poll(() => followed().length).toBe(1);
    expect(followed()[0]?.isClosed()).toBe(false);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => followed().every((ws) => ws.isClosed())).toBe(true);
    // Nor does their list stay in the page.
    expect(await page.locator("#request-rows tr").count()).toBe(0);
    const cancelled = await fetch(`${siteUrl()}/api/requests/${second.searchParams.get("id")}/cancel?token=${encodeURIComponent(second.searchParams.get("token") ?? "")}`, { method: "POST" });
    expect(cancelled.status).toBe(200);
    await page.locator("#signin-email").fill(email);
    await page.locator("#signin-password").fill("a long enough passphrase");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.locator("#request-rows tr").count()).toBe(2);

    // A session ended elsewhere (from another device, "sign out everywhere else"): the page no longer says it sends
    // as the client, so nothing goes out anonymously behind their back, and the browser keeps nothing of it.
    const elsewhere = await fetch(`${siteUrl()}/api/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: "a long enough passphrase" }) });
    const { accessToken } = (await elsewhere.json()) as { accessToken: string };
    expect((await fetch(`${siteUrl()}/api/me/sessions`, { method: "DELETE", headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    await page.goto(`${siteUrl()}/submit.html`);
    await expect.poll(() => page.evaluate(() => localStorage.getItem("statex.signed-in"))).toBeNull();
    expect(await page.locator("#sending-as").isHidden()).toBe(true);
    expect(await page.getByLabel("Email").inputValue()).toBe("");
    expect(page.url()).toMatch(/\/submit/);
    await context.close();
  });
});

/** A file on disk for setInputFiles, as a client's file picker hands the browser a path. */
function fileOnDisk(name: string, bytes: Uint8Array): string {
  const at = path.join(files, name);
  writeFileSync(at, bytes);
  return at;
}

async function fillContact(page: Page, text: string): Promise<void> {
  await page.getByLabel("Your name").fill("Mira Holm");
  await page.getByLabel("Email").fill("mira@clinic.example");
  await page.getByLabel("What do you need?").fill(text);
}

/** Every value each file's progress bar shows, kept across the navigation to the status page. */
async function watchProgress(page: Page): Promise<Map<string, number[]>> {
  const seen = new Map<string, number[]>();
  await page.exposeFunction("reportProgress", (label: string, value: number) => seen.set(label, [...(seen.get(label) ?? []), value]));
  await page.addInitScript(() => {
    const report = (window as unknown as { reportProgress: (label: string, value: number) => void }).reportProgress;
    new MutationObserver((records) => {
      for (const r of records) {
        if (!(r.target instanceof HTMLElement) || r.target.getAttribute("role") !== "progressbar") continue;
        report(r.target.getAttribute("aria-label") ?? "", Number(r.target.getAttribute("aria-valuenow")));
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["aria-valuenow"] });
  });
  return seen;
}

/** Drops files on the drop zone the way a browser does: a drop event carrying a DataTransfer. */
async function dropFiles(page: Page, dropped: { name: string; type: string; bytes: number[] }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
    return dt;
  }, dropped);
  const zone = page.locator("#dropzone");
  await zone.dispatchEvent("dragenter", { dataTransfer });
  await zone.dispatchEvent("dragover", { dataTransfer });
  await zone.dispatchEvent("drop", { dataTransfer });
}

/**
 * Waits for the page to say completed, then checks the job through the request's status URL: a completed job may
 * be partial (a failed transcription leaves the rest standing), so every task must have succeeded, and the
 * request's files must each have had their task.
 */
async function expectCompleted(page: Page, kinds: string[]): Promise<void> {
  await page.waitForURL(/\/request(\.html)?\?id=req_/, { timeout: 30_000 });
  await expect.poll(() => page.locator("#status").textContent(), { timeout: 40_000 }).toBe("completed");
  const at = new URL(page.url());
  const id = at.searchParams.get("id") ?? "";
  const token = at.searchParams.get("token") ?? "";
  const view = (await (await fetch(`${siteUrl()}/api/requests/${id}?token=${encodeURIComponent(token)}`)).json()) as { steps: { kind: string; state: string; error?: string }[] };
  expect(view.steps.filter((s) => s.state !== "succeeded")).toEqual([]);
  expect(view.steps.map((s) => s.kind).sort()).toEqual([...kinds, "nlp", "prototype"].sort());
}

/** The stored output of the request's one task of this kind, read as the status link's holder through the API. */
async function storedOutput(page: Page, kind: string): Promise<{ text: string; markdown?: string }> {
  const at = new URL(page.url());
  const id = at.searchParams.get("id") ?? "";
  const token = encodeURIComponent(at.searchParams.get("token") ?? "");
  const view = (await (await fetch(`${siteUrl()}/api/requests/${id}?token=${token}`)).json()) as { steps: { id: string; kind: string }[] };
  const step = view.steps.find((s) => s.kind === kind);
  const res = await fetch(`${siteUrl()}/api/requests/${id}/tasks/${step?.id}/result?token=${token}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { output: { text: string; markdown?: string } }).output;
}

/**
 * Opens a finished task's text on the request page (the disclosure on its timeline row, found by the file's name
 * the row shows) and answers what it shows.
 */
async function taskText(page: Page, label: "What we heard" | "The text we read", fileName: string | RegExp): Promise<string> {
  const details = page.locator("#timeline li", { hasText: fileName }).locator("details.output", { hasText: label });
  await details.locator("summary").click();
  const body = details.locator("pre");
  await expect.poll(() => body.textContent(), { timeout: 10_000 }).not.toBe("Loading…");
  return (await body.textContent()) ?? "";
}

describe("a forgotten password in a browser", () => {
  it("asks for a link, opens it from the email, is told what a new password needs, and signs in with the new one", async () => {
    const email = `forgetful-${Date.now()}@studio.example`;
    const json = { "content-type": "application/json" };
    expect((await fetch(`${siteUrl()}/api/users`, { method: "POST", headers: json, body: JSON.stringify({ email, name: "Ola Berg", password: "the first long passphrase" }) })).status).toBe(202);
    const page = await browser.newPage();
    await openResetLink(page, email);
    await page.getByLabel("New password").fill(`${email.split("@")[0]} again`);
    await page.getByRole("button", { name: "Set the new password" }).click();
    await expect.poll(() => page.locator("#choose-password-error").textContent()).toMatch(/email address/);
    await page.getByLabel("New password").fill("a second long passphrase");
    await page.getByRole("button", { name: "Set the new password" }).click();
    await expect.poll(() => page.locator("#reset-status").textContent()).toMatch(/password is changed/);

    const signIn = (password: string) => fetch(`${siteUrl()}/api/sessions`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) });
    expect((await signIn("the first long passphrase")).status).toBe(401);
    expect((await signIn("a second long passphrase")).ok).toBe(true);
    await page.close();
  });
});

describe("the form's files and voice notes", () => {
  it("uploads a chosen PDF and a dropped one, each bar reaching 100%, and the request completes", async () => {
    const page = await browser.newPage();
    const progress = await watchProgress(page);
    await page.goto(`${siteUrl()}/submit.html`);
    await fillContact(page, "Our dental clinic needs online booking. The attached brief and price list describe what we have today.");
    await page.getByLabel("Choose files").setInputFiles(fileOnDisk("brief.pdf", pdf("Booking website brief for the dental clinic")));
    await dropFiles(page, [{ name: "prices.pdf", type: "application/pdf", bytes: [...pdf("Price list: cleaning, check-up, whitening")] }]);
    await expect.poll(() => page.locator("#file-list li").allTextContents()).toEqual([expect.stringMatching(/brief\.pdf.*B/), expect.stringMatching(/prices\.pdf.*B/)]);
    await page.screenshot({ path: path.join(shots, "submit-files.png"), fullPage: true });
    await page.getByRole("button", { name: "Send request" }).click();
    await expectCompleted(page, ["docai", "docai"]);
    // The client reads what was read from each document, on the request's page.
    expect(await taskText(page, "The text we read", "brief.pdf")).toMatch(/Booking website brief for the dental clinic/);
    expect(await taskText(page, "The text we read", "prices.pdf")).toMatch(/Price list: cleaning, check-up, whitening/);
    await page.screenshot({ path: path.join(shots, "request-document-text.png"), fullPage: true });
    expect(progress.get("Upload of brief.pdf")?.at(-1)).toBe(100);
    expect(progress.get("Upload of prices.pdf")?.at(-1)).toBe(100);
    await page.close();
  });

  it("sends a large file part by part ahead of the request, resuming after a dropped part", async () => {
    const page = await browser.newPage();
    const progress = await watchProgress(page);
    let dropped = 0;
    // The second part's first attempt loses its connection; the page must retry, ask what arrived, and go on.
    await page.route(/\/api\/uploads\/[^/]+\/parts\/2$/, (route) => (dropped++ === 0 ? route.abort("connectionreset") : route.continue()));
    await page.goto(`${siteUrl()}/submit.html`);
    await fillContact(page, "Our dental clinic needs online booking. The attached recording is a long walk through our current process.");
    // A real WAV (flite's speech) padded with silence to 9 MB: over the resumable threshold, still a valid file.
    const big = path.join(files, "walkthrough.wav");
    execFileSync("flite", ["-t", "This is how we book appointments today, on paper.", "-o", big]);
    truncateSync(big, 9 * 1024 * 1024);
    await page.getByLabel("Choose files").setInputFiles(big);
    await page.getByRole("button", { name: "Send request" }).click();
    await expectCompleted(page, ["asr"]);
    // The client reads what the transcription heard, on the request's page, as stored.
    const { text } = await storedOutput(page, "asr");
    expect(text).toMatch(/\w/);
    expect(await taskText(page, "What we heard", "walkthrough.wav")).toBe(text.trim());
    expect(dropped).toBeGreaterThan(1);
    const values = progress.get("Upload of walkthrough.wav") ?? [];
    expect(values.at(-1)).toBe(100);
    expect(values.some((v) => v > 0 && v < 100)).toBe(true);
    await page.close();
  });

  it("records a voice note with the microphone, plays it back, lists it and submits it", async () => {
    const page = await browser.newPage();
    await page.goto(`${siteUrl()}/submit.html`);
    await fillContact(page, "Please listen to my voice note about the booking website.");
    await page.getByRole("button", { name: "Record a voice note" }).click();
    const timer = page.getByRole("timer");
    await expect.poll(() => timer.textContent(), { timeout: 10_000 }).toBe("00:02");
    await page.screenshot({ path: path.join(shots, "submit-recording.png"), fullPage: true });
    await page.getByRole("button", { name: "Stop recording" }).click();
    const note = page.locator("#file-list li", { hasText: /voice-note-[\dT-]+\.webm/ });
    await expect.poll(() => note.count()).toBe(1);
    expect(await page.locator("#playback").evaluate((audio: HTMLAudioElement) => audio.src)).toMatch(/^blob:/);
    await expect.poll(() => page.locator("#recorder-message").textContent()).toMatch(/recorded and attached/);
    await page.screenshot({ path: path.join(shots, "submit-voice-note.png"), fullPage: true });
    await page.getByRole("button", { name: "Send request" }).click();
    await expectCompleted(page, ["asr"]);
    // The client reads the transcript on the request's page, as stored (two seconds of compressed speech may be
    // heard as nothing, which the page says).
    const { text } = await storedOutput(page, "asr");
    expect(await taskText(page, "What we heard", /voice-note-[\dT-]+\.webm/)).toBe(text.trim() || "No speech was recognised.");
    await page.close();
  });

  it("explains a refused microphone", async () => {
    // Without the fake-UI switch the permission prompt is dismissed, as when a person clicks Block.
    const strict = await launchChromium(["--use-fake-device-for-media-stream"]);
    const page = await strict.newPage();
    await page.goto(`${siteUrl()}/submit.html`);
    await page.getByRole("button", { name: "Record a voice note" }).click();
    await expect.poll(() => page.locator("#recorder-message").textContent()).toMatch(/microphone was refused/);
    await page.screenshot({ path: path.join(shots, "submit-microphone-refused.png"), fullPage: true });
    await strict.close();
  });

  it("refuses wrong files before sending, and shows the server's refusal next to its file", async () => {
    const page = await browser.newPage();
    await page.goto(`${siteUrl()}/submit.html`);
    await fillContact(page, "Our dental clinic needs online booking; the invoice is attached.");
    const tooBig = path.join(files, "interview.wav");
    writeFileSync(tooBig, "");
    truncateSync(tooBig, 101 * 1024 * 1024);
    // An executable named like a PDF passes the page's courtesy check; only the server, reading the bytes, can refuse it.
    const disguised = fileOnDisk("invoice.pdf", new TextEncoder().encode(`MZ${"\0".repeat(200)}This program cannot be run in DOS mode.`));
    await page.getByLabel("Choose files").setInputFiles([fileOnDisk("setup.exe", new TextEncoder().encode("MZ")), tooBig, disguised]);
    const item = (name: string) => page.locator("#file-list li", { hasText: name });
    await expect.poll(() => item("setup.exe").locator(".error").textContent()).toMatch(/type of file is not accepted/);
    await expect.poll(() => item("interview.wav").locator(".error").textContent()).toMatch(/larger than 100 MB/);
    await page.getByRole("button", { name: "Send request" }).click();
    await expect.poll(() => item("invoice.pdf").locator(".error").textContent(), { timeout: 10_000 }).not.toBe("");
    expect(await page.evaluate(() => document.activeElement?.textContent ?? "")).toMatch(/invoice\.pdf/);
    expect(page.url()).toMatch(/\/submit/);
    await page.screenshot({ path: path.join(shots, "submit-file-errors.png"), fullPage: true });
    await page.close();
  });
});
