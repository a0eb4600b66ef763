// For tests that open a WebSocket through a worker: the first message the other side sends.
import { expect } from "vitest";

/** Checks a 101 carries a socket, accepts it, and resolves with its first message parsed; the socket is closed after. */
export async function firstMessage(res: Response): Promise<unknown> {
  expect(res.status).toBe(101);
  const ws = res.webSocket;
  if (!ws) throw new Error("the 101 response carries no WebSocket");
  const first = new Promise<string>((resolve) => ws.addEventListener("message", (e) => resolve(String(e.data))));
  ws.accept();
  const message: unknown = JSON.parse(await first);
  ws.close(1000, "done");
  return message;
}
