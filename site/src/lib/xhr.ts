/**
 * XMLHttpRequest as a promise. fetch() cannot report upload progress, and the form shows a progress bar per file,
 * so every request that carries file bytes goes through here.
 */
import { ApiError, type Problem } from "../api";

/** The connection failed before an answer came back; the request may or may not have reached the server. */
export class NetworkError extends Error {}

export type Sent = { status: number; body: unknown };

export type SendOptions = {
  method: string;
  url: string;
  body: XMLHttpRequestBodyInit;
  headers?: Record<string, string>;
  /** Bytes of the body sent so far, of `total`. */
  onProgress?: (loaded: number, total: number) => void;
};

/** Sends one request; resolves with any HTTP answer and rejects only when no answer came. */
export function send(opts: SendOptions): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(opts.method, opts.url);
    xhr.setRequestHeader("accept", "application/json");
    for (const [name, value] of Object.entries(opts.headers ?? {})) xhr.setRequestHeader(name, value);
    const { onProgress } = opts;
    if (onProgress) xhr.upload.addEventListener("progress", (e) => onProgress(e.loaded, e.lengthComputable ? e.total : 0));
    xhr.addEventListener("load", () => {
      const type = xhr.getResponseHeader("content-type") ?? "";
      let body: unknown = xhr.responseText;
      // A proxy's HTML error page is not JSON even when the API would have answered JSON.
      if (type.includes("json")) {
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = null;
        }
      }
      resolve({ status: xhr.status, body });
    });
    xhr.addEventListener("error", () => reject(new NetworkError("the connection failed")));
    xhr.addEventListener("timeout", () => reject(new NetworkError("the request timed out")));
    xhr.addEventListener("abort", () => reject(new NetworkError("the request was aborted")));
    xhr.send(opts.body);
  });
}

/** The answer's body when it succeeded; otherwise its problem+json as an ApiError. */
export function expectOk<T>(sent: Sent): T {
  if (sent.status >= 200 && sent.status < 300) return sent.body as T;
  const body = sent.body;
  const problem: Problem =
    typeof body === "object" && body !== null && "title" in body
      ? (body as Problem)
      : { status: sent.status, title: sent.status === 413 ? "Too large" : "Request failed" };
  throw new ApiError(problem);
}
