// Speech to text with Debian's pocketsphinx (US English model) behind ffmpeg, which
// decodes any container the platform accepts (webm, ogg, mp3, wav, m4a) to the 16 kHz
// mono PCM the model was trained on. Deterministic and offline; English only.
import { execFile } from "node:child_process";
import { access, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const MODEL_DIR = process.env.POCKETSPHINX_MODEL_DIR ?? "/usr/share/pocketsphinx/model/en-us";
/** Long audio is cut into pieces this long and decoded in parallel; a word cut at a seam may be lost. */
const CHUNK_SECONDS = 30;
const BYTES_PER_SECOND = 16_000 * 2;

export const SPEECH_MODEL = "pocketsphinx-en-us";

/** Whether the system tools are there; `reason` says what is missing, for the start-up line and the 503. */
export async function probeSpeech() {
  const missing = [];
  for (const [tool, args] of [["ffmpeg", ["-version"]], ["pocketsphinx_continuous", ["-h"]]]) {
    try {
      await run(tool, args, { timeout: 10_000 });
    } catch (err) {
      // pocketsphinx_continuous -h exits non-zero but runs: only a missing binary counts.
      if (err.code === "ENOENT") missing.push(tool);
    }
  }
  try {
    await access(path.join(MODEL_DIR, "en-us.lm.bin"));
  } catch {
    missing.push(`the pocketsphinx-en-us model (${MODEL_DIR})`);
  }
  return missing.length
    ? { ready: false, reason: `speech to text unavailable: missing ${missing.join(", ")} (apt-get install ffmpeg pocketsphinx pocketsphinx-en-us)` }
    : { ready: true, reason: "" };
}

/** Seconds of 16-bit mono 16 kHz audio in a WAV file: the size of its `data` chunk. */
function wavSeconds(bytes) {
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString("ascii", offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === "data") return Math.min(size, bytes.length - offset - 8) / BYTES_PER_SECOND;
    offset += 8 + size + (size % 2);
  }
  return 0;
}

/** pocketsphinx's `-time yes` output: one `word start end confidence` line per word, utterances between <s> and </s>. */
export function parseTimedWords(output, offsetSec) {
  const segments = [];
  let words = [];
  let start = 0;
  for (const line of output.split("\n")) {
    const m = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) \S+$/.exec(line.trim());
    if (!m) continue;
    const [, token, from, to] = m;
    if (token === "<s>") {
      words = [];
      start = Number(from);
    } else if (token === "</s>") {
      if (words.length) segments.push({ start: round(offsetSec + start), end: round(offsetSec + Number(to)), text: words.join(" ") });
      words = [];
    } else if (!/^(<sil>|\[.*\]|<.*>)$/.test(token)) {
      // "our(2)" is the second pronunciation of "our": the word is the same.
      words.push(token.replace(/\(\d+\)$/, ""));
    }
  }
  return segments;
}

const round = (n) => Math.round(n * 100) / 100;

async function decodeChunk(file) {
  const { stdout } = await run(
    "pocketsphinx_continuous",
    ["-infile", file, "-hmm", path.join(MODEL_DIR, "en-us"), "-lm", path.join(MODEL_DIR, "en-us.lm.bin"),
      "-dict", path.join(MODEL_DIR, "cmudict-en-us.dict"), "-time", "yes", "-logfn", "/dev/null"],
    { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout;
}

/**
 * At most one decoder per core across all requests: a burst of uploads queues here instead of
 * starving every decoder of CPU until all of them time out.
 */
const slots = { free: Math.max(1, availableParallelism()), waiting: [] };

async function withSlot(work) {
  if (slots.free > 0) slots.free--;
  else await new Promise((resolve) => slots.waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = slots.waiting.shift();
    if (next) next();
    else slots.free++;
  }
}

/**
 * Transcribes one audio file (any format ffmpeg reads).
 * @returns {Promise<{ text: string, language: "en", duration: number, segments: { start: number, end: number, text: string }[] } | { error: string }>}
 */
export async function transcribe(audio) {
  const dir = await mkdtemp(path.join(tmpdir(), "statex-asr-"));
  try {
    const input = path.join(dir, "input");
    await writeFile(input, audio);
    try {
      await run("ffmpeg", ["-nostdin", "-loglevel", "error", "-i", input, "-vn", "-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le",
        "-f", "segment", "-segment_time", String(CHUNK_SECONDS), "-fflags", "+bitexact", path.join(dir, "chunk%04d.wav")], { timeout: 120_000 });
    } catch (err) {
      return { error: `the audio could not be decoded: ${String(err.stderr ?? err.message).trim().split("\n").at(-1)}` };
    }
    const chunks = (await readdir(dir)).filter((f) => f.startsWith("chunk")).sort();
    const lengths = await Promise.all(chunks.map(async (c) => wavSeconds(await readFile(path.join(dir, c)))));
    // Each chunk's offset is the length of those before it: segment cuts fall on sample boundaries.
    const offsets = lengths.map((_, i) => lengths.slice(0, i).reduce((a, b) => a + b, 0));
    const outputs = await Promise.all(chunks.map((c) => withSlot(() => decodeChunk(path.join(dir, c)))));
    const segments = outputs.flatMap((out, i) => parseTimedWords(out, offsets[i]));
    const duration = round(lengths.reduce((a, b) => a + b, 0));
    return { text: segments.map((s) => s.text).join(" "), language: "en", duration, segments };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
