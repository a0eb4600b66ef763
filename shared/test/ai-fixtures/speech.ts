/** Speech clips spoken by Debian's flite voices, encoded by ffmpeg into each container the platform accepts. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { requirePackages } from "../../../scripts/system.mjs";
import type { Fixture } from "./types";

/** Sentences of the kind clients leave as voice notes. */
export const SENTENCES = [
  "Please build a dashboard that shows our monthly sales and customer data.",
  "Our company wants a mobile app for ordering food from local restaurants.",
  "The new system should send an email to every customer after each order.",
];
/** kal16 rather than kal: kal speaks at 8 kHz, below what the 16 kHz model was trained on. */
export const VOICES = ["slt", "rms", "awb", "kal16"];

const FORMATS: [ext: string, mime: string, codec: string[]][] = [
  ["webm", "audio/webm", ["-c:a", "libopus"]],
  ["ogg", "audio/ogg", ["-c:a", "libvorbis"]],
  ["mp3", "audio/mpeg", ["-c:a", "libmp3lame"]],
  ["m4a", "audio/mp4", ["-c:a", "aac"]],
  ["wav", "audio/wav", ["-c:a", "pcm_s16le"]],
];

type Format = (typeof FORMATS)[number];

function formatAt(i: number): Format {
  const format = FORMATS[i % FORMATS.length];
  if (!format) throw new Error("no audio formats");
  return format;
}

/** One clip: flite's WAV with half a second of silence either side (as a recording has), in the given format. */
function clip(dir: string, name: string, voice: string, text: string, format: Format): Fixture {
  const [ext, mime, codec] = format;
  const raw = path.join(dir, `${name}.raw.wav`);
  const out = path.join(dir, `${name}.${ext}`);
  requirePackages("flite", "ffmpeg");
  execFileSync("flite", ["-voice", voice, "-t", text, "-o", raw]);
  execFileSync("ffmpeg", ["-nostdin", "-y", "-loglevel", "error", "-i", raw, "-af", "adelay=500,apad=pad_dur=0.5", "-ar", "16000", "-ac", "1", ...codec, out]);
  return { name: `${name}.${ext}`, mime, base64: readFileSync(out).toString("base64"), expected: text };
}

export function speechClips(dir: string): (Fixture & { voice: string })[] {
  return VOICES.flatMap((voice, v) =>
    SENTENCES.map((text, s) => ({ voice, ...clip(dir, `${voice}-${s}`, voice, text, formatAt(v * SENTENCES.length + s)) })),
  );
}

/** About 40 seconds, every sentence three times by one voice, so the server has to cut it into chunks. */
export function longClip(dir: string): Fixture {
  const text = [...SENTENCES, ...SENTENCES, ...SENTENCES].join(" ");
  return clip(dir, "long", "rms", text, formatAt(2));
}

/** One sentence as a 16 kHz mono WAV, named `<name>.wav`: for tests beyond the ai worker's (the e2e suite). */
export function wavClip(dir: string, name: string, voice: string, text: string): Fixture {
  const wav = FORMATS.find(([ext]) => ext === "wav");
  if (!wav) throw new Error("no wav format");
  return clip(dir, name, voice, text, wav);
}
