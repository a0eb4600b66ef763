/**
 * Following a request's job live: a WebSocket first, Server-Sent Events when
 * WebSockets do not get through (a proxy that strips upgrades), and polling
 * when neither does. Every (re)connection starts with the full state, so a
 * reconnect never needs to know what it missed.
 */

export type LiveTask = { id: string; kind: string; state: string; attempt: number; durationMs?: number; error?: string };
export type LiveJob = {
  requestId: string;
  status: string;
  error: string | null;
  progress: { done: number; total: number; percent: number };
  tasks: LiveTask[];
};
export type LiveMessage = { type: "state"; job: LiveJob | null };
/** The first draft as a language model writes it: the markdown so far of one task. */
export type LiveDraft = { type: "draft"; taskId: string; markdown: string };

type Handlers = {
  onState: (message: LiveMessage) => void;
  onDraft?: (draft: LiveDraft) => void;
  /** Neither transport works: the caller polls instead. */
  onGiveUp: () => void;
};

const FINISHED = new Set(["completed", "failed", "cancelled"]);
/** Failed connections in a row (none delivered a state) before moving to the next transport. */
const MAX_FAILURES = 3;
const MAX_BACKOFF_MS = 10_000;

const isFinal = (m: LiveMessage): boolean => m.job !== null && FINISHED.has(m.job.status);

function parse(data: unknown): LiveMessage | LiveDraft | undefined {
  try {
    const value = JSON.parse(String(data)) as LiveMessage | LiveDraft;
    return value.type === "state" || (value.type === "draft" && typeof value.markdown === "string") ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Follows the job at `path` (`/api/requests/:id/live?token=…`) until it finishes, or until the function it returns
 * is called. `path` may be a function that
 * answers a fresh URL for each connection: a signed-in owner's URL carries a ticket that opens one connection
 * within a minute.
 */
export function followLive(path: string | (() => Promise<string>), handlers: Handlers): () => void {
  const where = typeof path === "string" ? () => Promise.resolve(path) : path;
  let failures = 0;
  let delay = 500;
  let finished = false;
  /** The connection open now, closed by the returned `stop`. */
  let current: { close(): void } | undefined;

  const received = (message: LiveMessage | LiveDraft): void => {
    if (message.type === "draft") return handlers.onDraft?.(message);
    failures = 0;
    delay = 500;
    handlers.onState(message);
    if (isFinal(message)) finished = true;
  };
  const retry = (next: () => void, fallback: () => void): void => {
    if (finished) return;
    if (++failures >= MAX_FAILURES) {
      failures = 0;
      fallback();
      return;
    }
    setTimeout(next, delay);
    delay = Math.min(delay * 2, MAX_BACKOFF_MS);
  };

  const overSse = (): void => {
    if (typeof EventSource === "undefined") return handlers.onGiveUp();
    where().then(sseAt, () => retry(overSse, handlers.onGiveUp));
  };
  const sseAt = (at: string): void => {
    if (finished) return;
    const source = new EventSource(at);
    current = source;
    let got = false;
    source.addEventListener("state", (e) => {
      const message = parse(e.data);
      if (!message) return;
      got = true;
      received(message);
      if (finished) source.close();
    });
    source.addEventListener("draft", (e) => {
      const message = parse(e.data);
      if (message) received(message);
    });
    source.onerror = () => {
      // EventSource reconnects by itself (and gets the full state again) unless the server refused the reconnection
      // (an owner's ticket has expired by then): that one is reopened at a fresh URL. One that never delivered counts
      // as a failure.
      if (finished || (got && source.readyState !== EventSource.CLOSED)) return;
      source.close();
      if (got) setTimeout(overSse, delay);
      else retry(overSse, handlers.onGiveUp);
    };
  };

  const overWebSocket = (): void => {
    where().then(webSocketAt, () => retry(overWebSocket, overSse));
  };
  const webSocketAt = (at: string): void => {
    if (finished) return;
    const url = new URL(at, location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch {
      return overSse();
    }
    current = socket;
    let got = false;
    socket.onmessage = (e) => {
      const message = parse(e.data);
      if (!message) return;
      got = true;
      received(message);
    };
    socket.onclose = () => {
      if (finished) return;
      // A socket that delivered and then dropped is worth reopening at once; one that never opened counts as a failure.
      if (got) setTimeout(overWebSocket, delay);
      else retry(overWebSocket, overSse);
    };
  };

  overWebSocket();
  // Stops following: nothing more is pushed, no reconnection is made.
  return () => {
    finished = true;
    current?.close();
  };
}
