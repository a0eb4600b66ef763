// The local model server over real HTTP: `node --test local/test/`. The audio and image are made here
// with flite, ffmpeg and Chromium, as the ai worker's tests make theirs.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { requirePackages } from "../../scripts/system.mjs";
import { startLocalServices } from "../server.mjs";
import { parseTimedWords } from "../services/speech.mjs";

const KEY = "test-ai-key";
/** What the model server's speech to text runs on. */
const SPEECH_PACKAGES = ["ffmpeg", "pocketsphinx", "pocketsphinx-en-us"];
let dir;
let services;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "statex-models-"));
  services = await startLocalServices({ port: 0, dataDir: dir, aiApiKey: KEY });
});
after(async () => {
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

const post = (route, form, key = KEY) => fetch(`${services.url}/v1/${route}`, { method: "POST", headers: { authorization: `Bearer ${key}` }, body: form });

function form(fields) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

async function speech(text, ext) {
  const wav = path.join(dir, "speech.wav");
  const out = path.join(dir, `speech.${ext}`);
  requirePackages("flite", "ffmpeg");
  execFileSync("flite", ["-voice", "rms", "-t", text, "-o", wav]);
  execFileSync("ffmpeg", ["-nostdin", "-y", "-loglevel", "error", "-i", wav, "-af", "adelay=500,apad=pad_dur=0.5", "-ar", "16000", "-ac", "1", out]);
  return new Blob([await readFile(out)], { type: `audio/${ext}` });
}

describe("GET /v1/models", () => {
  it("lists speech, OCR and chat models to a caller with the key", async () => {
    requirePackages(...SPEECH_PACKAGES);
    const res = await fetch(`${services.url}/v1/models`, { headers: { authorization: `Bearer ${KEY}` } });
    assert.equal(res.status, 200);
    assert.deepEqual((await res.json()).data.map((m) => m.id), ["pocketsphinx-en-us", "tesseract-eng", "statex-standin-chat"]);
  });

  it("refuses a missing or wrong key like a real API", async () => {
    assert.equal((await fetch(`${services.url}/v1/models`)).status, 401);
    const res = await post("audio/transcriptions", form({ model: "pocketsphinx-en-us" }), "nope");
    assert.equal(res.status, 401);
    assert.match((await res.json()).error.message, /Incorrect API key/);
  });
});

describe("POST /v1/audio/transcriptions", () => {
  it("transcribes ogg speech with timed segments (verbose_json)", { timeout: 120_000 }, async () => {
    const text = "Our company wants a mobile app for ordering food from local restaurants.";
    const res = await post("audio/transcriptions", form({ file: new File([await speech(text, "ogg")], "a.ogg", { type: "audio/ogg" }), model: "pocketsphinx-en-us", response_format: "verbose_json" }));
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.language, "en");
    assert.ok(body.duration > 4 && body.duration < 8, `duration ${body.duration}`);
    assert.match(body.text, /mobile app for ordering food/);
    assert.ok(body.segments.length >= 1 && body.segments.every((s) => s.end > s.start));
    assert.deepEqual(body.usage, { type: "duration", seconds: Math.ceil(body.duration) });
  });

  it("refuses a request without a file or with an unknown model, and audio it cannot decode", async () => {
    requirePackages(...SPEECH_PACKAGES);
    const file = new File([new Uint8Array([1, 2, 3])], "x.webm", { type: "audio/webm" });
    assert.equal((await post("audio/transcriptions", form({ model: "pocketsphinx-en-us" }))).status, 400);
    assert.equal((await post("audio/transcriptions", form({ file, model: "whisper-9" }))).status, 404);
    const bad = await post("audio/transcriptions", form({ file, model: "pocketsphinx-en-us" }));
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.message, /could not be decoded/);
  });

  it("parses pocketsphinx's timed words into utterances, dropping fillers and pronunciation variants", () => {
    const out = "our company\n<s> 0.1 0.2 0.9\nour(2) 0.2 0.4 0.9\n<sil> 0.4 0.5 1\ncompany 0.5 0.9 0.9\n</s> 0.9 1.0 1\n<s> 2.0 2.1 1\n[NOISE] 2.1 2.2 1\n</s> 2.2 2.3 1\n";
    assert.deepEqual(parseTimedWords(out, 30), [{ start: 30.1, end: 31, text: "our company" }]);
  });
});

describe("without pocketsphinx", () => {
  it("says so at start and answers 503 with the reason", { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, [path.join(import.meta.dirname, "..", "server.mjs")], {
      env: { ...process.env, LOCAL_SERVICES_PORT: "0", LOCAL_SERVICES_DATA: dir, POCKETSPHINX_MODEL_DIR: path.join(dir, "no-model") },
    });
    try {
      let output = "";
      const url = await new Promise((resolve, reject) => {
        const onData = (chunk) => {
          output += chunk;
          const m = /local services on (http:\/\/\S+) /.exec(output);
          if (m && /WARNING/.test(output)) resolve(m[1]);
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.once("exit", (code) => reject(new Error(`server exited ${code}: ${output}`)));
      });
      assert.match(output, /WARNING: speech to text unavailable: missing (.*, )?the pocketsphinx-en-us model/);
      const res = await fetch(`${url}/v1/audio/transcriptions`, { method: "POST", headers: { authorization: "Bearer dev-only-ai-api-key" }, body: form({ model: "pocketsphinx-en-us" }) });
      assert.equal(res.status, 503);
      assert.match((await res.json()).error.message, /speech to text unavailable: missing (.*, )?the pocketsphinx-en-us model .*apt-get install/);
    } finally {
      child.kill("SIGTERM");
    }
  });
});

describe("POST /v1/ocr", () => {
  it("reads a rendered PNG", { timeout: 120_000 }, async () => {
    const html = path.join(dir, "p.html");
    const png = path.join(dir, "p.png");
    await writeFile(html, "<body style='font:32px sans-serif;background:#fff'><p>Invoice number 4711 is due in May.</p></body>");
    requirePackages("chromium");
    execFileSync("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", `--screenshot=${png}`, "--window-size=900,200", `file://${html}`], { stdio: "pipe" });
    const res = await post("ocr", form({ file: new File([await readFile(png)], "p.png", { type: "image/png" }), model: "tesseract-eng" }));
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.match(body.text, /Invoice number 4711 is due in May\./);
    assert.equal(body.pages.length, 1);
  });

  it("refuses types it cannot read", async () => {
    const res = await post("ocr", form({ file: new File(["x"], "x.gif", { type: "image/gif" }), model: "tesseract-eng" }));
    assert.equal(res.status, 415);
  });
});

describe("PUT /v1/standin/controls", () => {
  const control = (body) => fetch(`${services.url}/v1/standin/controls`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const models = () => fetch(`${services.url}/v1/models`, { headers: { authorization: `Bearer ${KEY}` } });
  const chat = () =>
    fetch(`${services.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "statex-standin-chat", messages: [{ role: "user", content: "hello" }] }),
    });

  it("fails or throttles every model route until set back, and still refuses a wrong key first", async () => {
    try {
      assert.equal((await control({ mode: "fail" })).status, 200);
      for (const res of [await models(), await chat(), await post("ocr", form({ model: "tesseract-eng" }))]) {
        assert.equal(res.status, 500);
        assert.equal((await res.json()).error.type, "server_error");
      }
      assert.equal((await fetch(`${services.url}/v1/models`)).status, 401);
      assert.equal((await control({ mode: "429", retryAfter: 7 })).status, 200);
      const throttled = await chat();
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get("retry-after"), "7");
      assert.equal((await control({ mode: "sideways" })).status, 400);
    } finally {
      await control({ mode: "normal" });
    }
    assert.equal((await models()).status, 200);
  });
});
