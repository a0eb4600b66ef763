// What the local channels "sent", kept as JSON lines in <dataDir>/outbox.jsonl so a
// restart of `npm run dev` does not lose the messages a developer is looking at.
// One process owns the file; appends are synchronous so lines never interleave.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * @typedef {{ id: string, channel: string, from?: string, to: string[], subject?: string, body: string,
 *   html?: string, requestId?: string, tags?: { name: string, value: string }[], idempotencyKey?: string,
 *   payloadHash?: string, time: string }} OutboxMessage
 */

/** Opens (creating if needed) the outbox in `dataDir` and loads what earlier runs stored. */
export function openOutbox(dataDir) {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "outbox.jsonl");
  /** @type {OutboxMessage[]} */
  const messages = [];
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (err.code !== "ENOENT") throw err;
  }
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      messages.push(JSON.parse(line));
    } catch {
      // A line cut short by a crash mid-write is the only way to get here; the rest is still good.
    }
  }

  return {
    file,
    /** @param {OutboxMessage} message */
    add(message) {
      appendFileSync(file, `${JSON.stringify(message)}\n`);
      messages.push(message);
      return message;
    },
    /** The message an earlier send with this idempotency key stored, if any. */
    byIdempotencyKey(channel, key) {
      return messages.find((m) => m.channel === channel && m.idempotencyKey === key);
    },
    /** Newest first, optionally only one request's or one recipient's. */
    list({ requestId, to, channel, limit = 200 } = {}) {
      const wanted = to?.toLowerCase();
      return messages
        .filter((m) => (!requestId || m.requestId === requestId) && (!channel || m.channel === channel))
        .filter((m) => !wanted || m.to.some((r) => r.toLowerCase() === wanted))
        .slice(-limit)
        .reverse();
    },
    count() {
      return messages.length;
    },
    clear() {
      const count = messages.length;
      messages.length = 0;
      writeFileSync(file, "");
      return count;
    },
  };
}
