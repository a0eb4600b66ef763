/**
 * Creating a request, whatever way it arrived (JSON, multipart, email): the
 * request row, its file rows and its request.created event are written in one
 * D1 batch, so either all of them exist or none does. The files themselves are
 * already in R2 by then: a crash before the batch leaves only unreferenced
 * objects (swept by age), never a request with missing files.
 */
import type { Contact, RequestPreferences, StoredFile } from "@statex/shared/events";
import { createEvent } from "@statex/shared/events";
import { type Database, schema } from "@statex/shared/db";
import { newId } from "@statex/shared/ids";
import type { Logger } from "@statex/shared/logger";
import { outboxInsert } from "@statex/shared/outbox";
import { relaySoon } from "@statex/shared/relay";
import type { BatchItem } from "drizzle-orm/batch";

export type NewRequest = {
  id?: string;
  channel: "web" | "api" | "email";
  contact: Contact;
  /** How a person who sent it signed out wants to hear about it (notify keeps it for the request). */
  preferences?: RequestPreferences | undefined;
  text: string;
  files: StoredFile[];
  userId?: string | undefined;
  idempotencyKey?: string | undefined;
  idempotencyHash?: string | undefined;
  /** More writes that must happen with the request or not at all (e.g. marking its uploads used). */
  statements?: BatchItem<"sqlite">[];
};

/** Writes the request and its event, and relays the event after the answer. Returns the request id. */
export async function createRequest(
  db: Database,
  env: IntakeEnv,
  ctx: Pick<ExecutionContext, "waitUntil">,
  log: Logger,
  input: NewRequest,
): Promise<string> {
  const id = input.id ?? newId("req");
  const { contact, files } = input;
  const event = createEvent(
    "request.created",
    { requestId: id, channel: input.channel, contact, text: input.text, files, ...(input.userId ? { userId: input.userId } : {}), ...(input.preferences ? { preferences: input.preferences } : {}) },
    { correlationId: id, source: "intake" },
  );
  const fileRows = files.map((f) => ({ id: f.id, requestId: id, key: f.key, name: f.name, kind: f.kind, mime: f.mime, size: f.size, sha256: f.sha256 }));
  await db.batch([
    db.insert(schema.requests).values({
      id,
      channel: input.channel,
      name: contact.name,
      email: contact.email,
      phone: contact.phone,
      telegram: contact.telegram,
      whatsapp: contact.whatsapp,
      text: input.text,
      userId: input.userId,
      idempotencyKey: input.idempotencyKey,
      idempotencyHash: input.idempotencyHash,
    }),
    ...fileRows.map((row) => db.insert(schema.requestFiles).values(row)),
    ...(input.statements ?? []),
    outboxInsert(db, event),
  ]);
  const reqLog = log.withCorrelation(id);
  reqLog.info("request received", { channel: input.channel, chars: input.text.length, files: files.length });
  relaySoon(ctx, db, env, reqLog, [event]);
  return id;
}
