/**
 * Recording a voice note in the browser. The microphone is asked for only when the client presses Record, and a
 * refusal is explained, because a silent failure there reads as a broken page.
 */

export type RecorderUi = {
  record: HTMLButtonElement;
  stop: HTMLButtonElement;
  timer: HTMLElement;
  message: HTMLElement;
  recording: HTMLElement;
  playback: HTMLAudioElement;
  discard: HTMLButtonElement;
  again: HTMLButtonElement;
};

export type RecorderHooks = {
  /** A note was recorded: attach it. */
  recorded: (file: File) => void;
  /** The note was discarded here: detach it. */
  discarded: (file: File) => void;
};

/** A note longer than this is stopped: the analysis reads minutes, not hours, and the upload stays small. */
const MAX_SECONDS = 20 * 60;

/** Opus in WebM is what the intake transcribes best; browsers without it record their default. */
const PREFERRED_TYPE = "audio/webm;codecs=opus";

export function clock(seconds: number): string {
  const s = Math.floor(seconds);
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

function extensionOf(mime: string): string {
  if (mime.includes("ogg")) return "ogg";
  if (mime.includes("mp4") || mime.includes("aac")) return "m4a";
  return "webm";
}

function refusalMessage(err: unknown): string {
  const name = err instanceof DOMException ? err.name : "";
  if (name === "NotAllowedError" || name === "SecurityError")
    return "The microphone was refused, so nothing was recorded. To record, allow the microphone for this site (the icon next to the address), then press Record again — or attach an audio file instead.";
  if (name === "NotFoundError" || name === "OverconstrainedError") return "No microphone was found. Connect one and press Record again, or attach an audio file instead.";
  if (name === "NotReadableError") return "The microphone is in use by another application. Close it and press Record again.";
  return "Recording could not start in this browser. You can attach an audio file instead.";
}

export class VoiceRecorder {
  private note: File | null = null;
  private url = "";
  private recorder: MediaRecorder | null = null;
  private ticking = 0;

  constructor(
    private readonly ui: RecorderUi,
    private readonly hooks: RecorderHooks,
  ) {
    ui.record.addEventListener("click", () => void this.start());
    ui.stop.addEventListener("click", () => this.stop());
    ui.discard.addEventListener("click", () => {
      this.discard();
      ui.record.focus();
    });
    ui.again.addEventListener("click", () => {
      this.discard();
      void this.start();
    });
  }

  /** The note left the file list by other means: forget it here too. */
  forget(file: File): void {
    if (file === this.note) this.reset();
  }

  setDisabled(disabled: boolean): void {
    for (const b of [this.ui.record, this.ui.discard, this.ui.again]) b.disabled = disabled;
  }

  private say(text: string, problem = false): void {
    this.ui.message.textContent = text;
    this.ui.message.classList.toggle("error", problem);
  }

  private async start(): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === "undefined") {
      this.say("This browser cannot record audio. You can attach an audio file instead.", true);
      return;
    }
    let stream: MediaStream;
    try {
      this.say("Waiting for the microphone…");
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (err) {
      this.say(refusalMessage(err), true);
      this.ui.record.focus();
      return;
    }
    const recorder = new MediaRecorder(stream, MediaRecorder.isTypeSupported(PREFERRED_TYPE) ? { mimeType: PREFERRED_TYPE } : undefined);
    const chunks: Blob[] = [];
    recorder.addEventListener("dataavailable", (e) => {
      if (e.data.size > 0) chunks.push(e.data);
    });
    recorder.addEventListener("stop", () => {
      // Releasing the tracks turns off the browser's recording indicator.
      for (const track of stream.getTracks()) track.stop();
      this.finish(chunks, recorder.mimeType || "audio/webm");
    });
    this.recorder = recorder;
    // A timeslice keeps the data flowing in chunks, so a long note is not one buffer handed over at the end.
    recorder.start(1000);
    const started = performance.now();
    this.ui.timer.textContent = clock(0);
    this.ui.timer.hidden = false;
    this.ticking = window.setInterval(() => {
      const seconds = (performance.now() - started) / 1000;
      this.ui.timer.textContent = clock(seconds);
      if (seconds >= MAX_SECONDS) this.stop();
    }, 250);
    this.ui.record.hidden = true;
    this.ui.stop.hidden = false;
    this.ui.stop.focus();
    this.say("Recording… press Stop when you are done.");
  }

  private stop(): void {
    window.clearInterval(this.ticking);
    if (this.recorder?.state === "recording") this.recorder.stop();
    this.recorder = null;
    this.ui.stop.hidden = true;
  }

  private finish(chunks: Blob[], mime: string): void {
    const type = mime.split(";")[0] ?? "audio/webm";
    const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, "-");
    this.note = new File(chunks, `voice-note-${stamp}.${extensionOf(mime)}`, { type });
    this.url = URL.createObjectURL(this.note);
    this.ui.playback.src = this.url;
    this.ui.recording.hidden = false;
    // One note at a time here: "Record again" replaces it; the note stays in the file list either way.
    this.ui.record.hidden = true;
    this.hooks.recorded(this.note);
    this.say(`Voice note of ${this.ui.timer.textContent ?? ""} recorded and attached. Play it back below.`);
    this.ui.timer.hidden = true;
    this.ui.playback.focus();
  }

  private discard(): void {
    if (this.note) this.hooks.discarded(this.note);
    this.reset();
    this.say("Voice note discarded.");
  }

  private reset(): void {
    if (this.url) URL.revokeObjectURL(this.url);
    this.note = null;
    this.url = "";
    this.ui.playback.removeAttribute("src");
    this.ui.recording.hidden = true;
    this.ui.timer.hidden = true;
    this.ui.record.hidden = false;
  }
}
