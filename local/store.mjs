// What the local channels "sent", kept as JSON lines in <dataDir>/outbox.jsonl so a
// restart of `npm run dev` does not lose the messages a developer is looking at.
// One process owns the file; appends are synchronous so lines never interleave.
// A message's later statuses (delivered, read, failed) are lines of their own that name
// the message, so the file stays append-only and a crash mid-write loses one line at most.
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * @typedef {{ status: string, time: string, detail?: string }} StatusEntry
 * @typedef {{ id: string, channel: string, from?: string, to: string[], subject?: string, body: string,
 *   html?: string, requestId?: string, tags?: { name: string, value: string }[], idempotencyKey?: string,
 *   payloadHash?: string, providerMessageId?: string, time: string, statuses?: StatusEntry[],
 *   extra?: Record<string, unknown> }} OutboxMessage
 */

function readLines(file) {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (err.code !== "ENOENT") throw err;
  }
  const values = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      values.push(JSON.parse(line));
    } catch {
      // A line cut short by a crash mid-write is the only way to get here; the rest is still good.
    }
  }
  return values;
}

/** Opens (creating if needed) the outbox in `dataDir` and loads what earlier runs stored. */
export function openOutbox(dataDir) {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "outbox.jsonl");
  /** @type {OutboxMessage[]} */
  const messages = [];
  /** @type {Map<string, OutboxMessage>} */
  const byId = new Map();
  for (const value of readLines(file)) {
    if (typeof value.statusOf === "string") {
      const message = byId.get(value.statusOf);
      if (message) (message.statuses ??= []).push({ status: value.status, time: value.time, ...(value.detail ? { detail: value.detail } : {}) });
      continue;
    }
    messages.push(value);
    byId.set(value.id, value);
  }

  return {
    file,
    /** @param {OutboxMessage} message */
    add(message) {
      appendFileSync(file, `${JSON.stringify(message)}\n`);
      messages.push(message);
      byId.set(message.id, message);
      return message;
    },
    /** Adds a status to a stored message's history; a message cleared meanwhile is ignored. */
    addStatus(id, status, detail) {
      const message = byId.get(id);
      if (!message) return undefined;
      const entry = { status, time: new Date().toISOString(), ...(detail ? { detail } : {}) };
      appendFileSync(file, `${JSON.stringify({ statusOf: id, ...entry })}\n`);
      (message.statuses ??= []).push(entry);
      return message;
    },
    get(id) {
      return byId.get(id);
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
      byId.clear();
      writeFileSync(file, "");
      return count;
    },
  };
}

/**
 * A channel's own state that must outlive a restart, as the real service keeps it: a registered webhook, the chats
 * that started the bot, when each WhatsApp number last wrote. One small JSON file per channel, replaced whole on each
 * change (written aside, then renamed, so a crash leaves the old state, never half a file).
 * @template T
 * @param {string} dataDir @param {string} name @param {T} initial
 * @returns {{ value: T, save: () => void }}
 */
export function openState(dataDir, name, initial) {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, `${name}.json`);
  let value = initial;
  try {
    value = { ...initial, ...JSON.parse(readFileSync(file, "utf8")) };
  } catch (err) {
    if (err.code !== "ENOENT" && !(err instanceof SyntaxError)) throw err;
  }
  return {
    value,
    save() {
      writeFileSync(`${file}.tmp`, JSON.stringify(value));
      renameSync(`${file}.tmp`, file);
    },
  };
}
