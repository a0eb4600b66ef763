/**
 * Live progress: the job's state pushed to whoever watches the request page (the site's side is site/src/live.ts).
 *
 * WebSockets use the hibernation API (`ctx.acceptWebSocket`): the runtime holds
 * the sockets, so the object may leave memory while a page waits and still
 * reach every socket through `ctx.getWebSockets()` when it wakes. Server-Sent
 * Events are the fallback for clients that cannot open a WebSocket; a stream
 * cannot hibernate, so those live in this instance's memory, and a client that
 * loses its stream reconnects and gets the full state again.
 *
 * Every watcher gets the full state first and then every change, always whole:
 * a client never has to merge deltas or guess what it missed.
 */
import type { JobState } from "./job-state";

/** One task as the page shows it. */
export type LiveTask = {
  id: string;
  kind: string;
  state: string;
  attempt: number;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  error?: string;
};

/** A draft being written: the markdown so far of one task's attempt, until the state says the task is done. */
export type LiveDraft = { type: "draft"; taskId: string; markdown: string };

/** What a watcher receives: the job's public state, or null before the job started. */
export type LiveMessage = {
  type: "state";
  job: {
    requestId: string;
    status: JobState["status"];
    startedAt: string;
    finishedAt: string | null;
    error: string | null;
    progress: { done: number; total: number; percent: number };
    tasks: LiveTask[];
  } | null;
};

const FINISHED: ReadonlySet<string> = new Set(["completed", "failed", "cancelled"]);
const encoder = new TextEncoder();

/** The part of a job's state a client may see: no storage keys, no outbox. */
export function liveMessage(state: JobState | null): LiveMessage {
  if (!state) return { type: "state", job: null };
  const tasks: LiveTask[] = state.tasks.map((t) => ({
    id: t.id,
    kind: t.kind,
    state: t.state,
    attempt: t.attempt,
    ...(t.startedAt !== undefined ? { startedAt: t.startedAt } : {}),
    ...(t.finishedAt !== undefined ? { finishedAt: t.finishedAt } : {}),
    ...(t.durationMs !== undefined ? { durationMs: t.durationMs } : {}),
    ...(t.error !== undefined ? { error: t.error } : {}),
  }));
  const done = tasks.filter((t) => t.state !== "pending" && t.state !== "running").length;
  const total = tasks.length;
  const percent = state.status === "completed" ? 100 : total ? Math.round((done / total) * 100) : 0;
  const { requestId, status, startedAt, finishedAt, error } = state;
  return { type: "state", job: { requestId, status, startedAt, finishedAt, error, progress: { done, total, percent }, tasks } };
}

/** True once the job will not change again, so watchers can be let go. */
export function isFinal(message: LiveMessage): boolean {
  return message.job !== null && FINISHED.has(message.job.status);
}

/** The watchers of one job: hibernatable WebSockets (held by the runtime) and SSE streams (held here). */
export class LiveHub {
  private readonly streams = new Set<WritableStreamDefaultWriter<Uint8Array>>();
  /**
   * The job version watchers last received. Kept in memory only: after eviction the first push may repeat a
   * state, which a client that always receives the whole state shrugs off.
   */
  private pushedVersion = 0;

  constructor(private readonly ctx: DurableObjectState) {}

  /**
   * Answers a watch request: a WebSocket upgrade or an event stream, starting
   * with `first`. Anything else is 426: this route only streams.
   */
  open(request: Request, first: LiveMessage): Response {
    if (request.headers.get("upgrade")?.toLowerCase() === "websocket") {
      const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
      this.ctx.acceptWebSocket(server);
      server.send(JSON.stringify(first));
      if (isFinal(first)) server.close(1000, "job finished");
      return new Response(null, { status: 101, webSocket: client });
    }
    if ((request.headers.get("accept") ?? "").includes("text/event-stream")) {
      const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
      const writer = writable.getWriter();
      this.streams.add(writer);
      // `retry` tells EventSource how long to wait before reconnecting.
      void this.write(writer, `retry: 2000\n${sse(first)}`, isFinal(first));
      return new Response(readable, {
        headers: { "content-type": "text/event-stream", "cache-control": "no-store", "x-accel-buffering": "no" },
      });
    }
    return Response.json(
      { type: "about:blank", title: "Upgrade Required", status: 426, detail: "Open a WebSocket or accept text/event-stream" },
      { status: 426, headers: { "content-type": "application/problem+json", upgrade: "websocket" } },
    );
  }

  /** How many are watching; nothing to compute when nobody is. */
  get watchers(): number {
    return this.ctx.getWebSockets().length + this.streams.size;
  }

  /** Pushes the job's state when its version changed since the last push; nothing is computed when nobody watches. */
  pushChange(version: number, state: () => JobState | null): void {
    if (version === this.pushedVersion || this.watchers === 0) return;
    this.pushedVersion = version;
    this.push(liveMessage(state()));
  }

  /** Sends the draft so far to every watcher (not kept: a watcher that joins later sees the finished draft). */
  pushDraft(draft: LiveDraft): void {
    if (this.watchers === 0) return;
    this.push(draft);
  }

  /** Sends a state or a draft to every watcher; after the final state, closes them all. */
  private push(message: LiveMessage | LiveDraft): void {
    const final = message.type === "state" && isFinal(message);
    const text = JSON.stringify(message);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(text);
        if (final) ws.close(1000, "job finished");
      } catch {
        // Already closing: the client reconnects and gets the full state then.
      }
    }
    for (const writer of this.streams) void this.write(writer, sse(message), final);
  }

  /** Replies to a client's "state" message with the full state (a cheap resync after a missed frame). */
  reply(ws: WebSocket, message: LiveMessage): void {
    try {
      ws.send(JSON.stringify(message));
    } catch {
      // The socket went away meanwhile; nothing to answer.
    }
  }

  /** A client closed its socket: answer its close (1005/1006 mean "no code", answered with a plain normal close). */
  closed(ws: WebSocket, code: number): void {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
    } catch {
      // Already closed by the runtime's automatic reply.
    }
  }

  private async write(writer: WritableStreamDefaultWriter<Uint8Array>, text: string, close: boolean): Promise<void> {
    try {
      await writer.write(encoder.encode(text));
      if (close) {
        this.streams.delete(writer);
        await writer.close();
      }
    } catch {
      // The client went away: forget its stream.
      this.streams.delete(writer);
    }
  }
}

function sse(message: LiveMessage | LiveDraft): string {
  return `event: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`;
}
