/**
 * Large files go to the resumable upload API part by part before the request is submitted: a dropped connection
 * costs one part, retried with backoff, and the server's list of received parts says where to resume.
 */
import { backoffMs } from "@statex/shared/backoff";
import { ApiError, api } from "../api";
import { NetworkError, expectOk, send } from "./xhr";

/** An upload the server has opened; kept by the caller so a second submit resumes instead of starting over. */
export type UploadSession = { id: string; partSize: number; uploadToken: string };
export type CompletedUpload = { id: string; kind: string; mime: string; size: number };

type PartList = { parts: { partNumber: number; size: number }[] };

const MAX_ATTEMPTS = 6;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry delays: 250–500 ms after the first failure, doubling up to 4–8 s; jittered, so clients cut off together spread out. */
const RETRY = { baseMs: 500, capMs: 8_000 };

/** Worth another try: no answer came (fetch throws TypeError, XHR our NetworkError), or the server was busy or failing. */
function retryable(err: unknown): boolean {
  if (err instanceof NetworkError || err instanceof TypeError) return true;
  return err instanceof ApiError && (err.problem.status >= 500 || err.problem.status === 408 || err.problem.status === 429);
}

async function withRetry<T>(attemptOnce: () => Promise<T>, beforeRetry?: () => Promise<void>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce();
    } catch (err) {
      if (!retryable(err) || attempt >= MAX_ATTEMPTS) throw err;
      await sleep(backoffMs(attempt, RETRY));
      await beforeRetry?.();
    }
  }
}

const tokenHeader = (s: UploadSession) => ({ "x-upload-token": s.uploadToken });

/** The parts the server holds, by number, with their sizes. */
async function receivedParts(session: UploadSession): Promise<Map<number, number>> {
  const list = await api<PartList>(`/api/uploads/${encodeURIComponent(session.id)}`, { headers: tokenHeader(session) });
  return new Map(list.parts.map((p) => [p.partNumber, p.size]));
}

/** Resumes `existing` when the server still has it; otherwise opens a new upload. */
async function open(file: File, existing: UploadSession | undefined): Promise<{ session: UploadSession; received: Map<number, number> }> {
  if (existing) {
    try {
      return { session: existing, received: await withRetry(() => receivedParts(existing)) };
    } catch (err) {
      // An upload left too long expires on the server (404): start the file over rather than fail it.
      if (!(err instanceof ApiError && err.problem.status === 404)) throw err;
    }
  }
  const body = JSON.stringify({ name: file.name, size: file.size });
  const session = await withRetry(() => api<UploadSession>("/api/uploads", { method: "POST", headers: { "content-type": "application/json" }, body }));
  return { session, received: new Map() };
}

export type ResumableOptions = {
  /** Called once the server has opened the upload, so the caller can keep it for a resume. */
  onSession: (session: UploadSession) => void;
  /** Bytes of the file the server holds, including the part being sent. */
  onProgress: (sent: number) => void;
};

/** Uploads `file`, resuming `existing` when given, and completes it; throws ApiError when the server refuses it. */
export async function uploadResumable(file: File, existing: UploadSession | undefined, opts: ResumableOptions): Promise<CompletedUpload> {
  const { session, received: alreadyHeld } = await open(file, existing);
  opts.onSession(session);
  const { partSize } = session;
  const count = Math.max(1, Math.ceil(file.size / partSize));
  const bytesOf = (n: number) => Math.min(partSize, file.size - (n - 1) * partSize);
  let received = alreadyHeld;
  const held = () => [...received].reduce((sum, [n, size]) => sum + (size === bytesOf(n) ? size : 0), 0);
  const firstMissing = () => Array.from({ length: count }, (_, i) => i + 1).find((n) => received.get(n) !== bytesOf(n));
  const uploadUrl = `/api/uploads/${encodeURIComponent(session.id)}`;
  opts.onProgress(held());

  // Always the lowest missing part: a refresh after a failure may show an earlier part gone as well as one landed.
  for (let part = firstMissing(); part !== undefined; part = firstMissing()) {
    const n = part;
    await withRetry(
      async () => {
        if (received.get(n) === bytesOf(n)) return;
        const before = held();
        const start = (n - 1) * partSize;
        const sent = await send({
          method: "PUT",
          url: `${uploadUrl}/parts/${n}`,
          body: file.slice(start, start + bytesOf(n)),
          headers: tokenHeader(session),
          onProgress: (loaded) => opts.onProgress(before + loaded),
        });
        expectOk(sent);
        received.set(n, bytesOf(n));
        opts.onProgress(held());
      },
      // After a failure the part may have landed anyway: ask the server before sending it again.
      async () => {
        received = await receivedParts(session).catch(() => received);
      },
    );
  }

  return withRetry(() => api<CompletedUpload>(`${uploadUrl}/complete`, { method: "POST", headers: tokenHeader(session) }));
}

/** Tells the server a removed file's upload is not needed; a failure only leaves it to expire. */
export function discardUpload(session: UploadSession): void {
  fetch(`/api/uploads/${encodeURIComponent(session.id)}`, { method: "DELETE", headers: tokenHeader(session) }).catch(() => undefined);
}
