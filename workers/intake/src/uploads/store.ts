/**
 * Resumable uploads: rows of `uploads` beside R2 multipart uploads. Only the
 * holder of an upload's token may touch it; the row keeps just the token's
 * sha256, so a leaked database does not leak the tokens.
 */
import { toBase64Url } from "@statex/shared/base64";
import { type Database, schema } from "@statex/shared/db";
import { ProblemError, notFound } from "@statex/shared/errors";
import type { StoredFile } from "@statex/shared/events";
import { sha256Hex } from "@statex/shared/hash";
import type { BatchItem } from "drizzle-orm/batch";
import { and, eq, sql } from "drizzle-orm";
import { PART_BYTES } from "../files/stream";

export type Upload = typeof schema.uploads.$inferSelect;

/** Each part but the last is exactly this size (R2 wants equal parts of at least 5 MiB). */
export const UPLOAD_PART_BYTES = PART_BYTES;
/** An upload not used by a submission within this time is swept. */
export const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

export const partCount = (size: number) => Math.max(1, Math.ceil(size / UPLOAD_PART_BYTES));
export const partSize = (size: number, n: number) => (n < partCount(size) ? UPLOAD_PART_BYTES : size - (partCount(size) - 1) * UPLOAD_PART_BYTES);
export const uploadKey = (id: string) => `uploads/${id}`;

export function newUploadToken(): string {
  return `upt_${toBase64Url(crypto.getRandomValues(new Uint8Array(32)).buffer)}`;
}

/** The upload, if `token` is its owner's and it has not expired; otherwise 404 (an id cannot be probed). */
export async function ownedUpload(db: Database, id: string, token: string | undefined): Promise<Upload> {
  const row = token ? await db.select().from(schema.uploads).where(eq(schema.uploads.id, id)).get() : undefined;
  if (!row || !token || row.ownerTokenHash !== (await sha256Hex(token)) || row.status === "aborted") throw notFound("Upload");
  if (row.status !== "used" && row.expiresAt < new Date().toISOString()) throw notFound("Upload");
  return row;
}

/** Records a part atomically in one statement, replacing an earlier copy of it: parallel parts cannot lose each other. */
export async function recordPart(db: Database, id: string, part: { partNumber: number; etag: string; size: number }): Promise<void> {
  await db.run(sql`update uploads set parts = (
      select json_group_array(json(value)) from (
        select value from json_each(uploads.parts) where json_extract(value, '$.partNumber') != ${part.partNumber}
        union all select json_object('partNumber', ${part.partNumber}, 'etag', ${part.etag}, 'size', ${part.size})))
    where id = ${id} and status = 'open'`);
}

export function missingParts(row: Upload): number[] {
  const have = new Set(row.parts.map((p) => p.partNumber));
  return Array.from({ length: partCount(row.size) }, (_, i) => i + 1).filter((n) => !have.has(n));
}

/**
 * The completed uploads a submission names, as its files, and the statements that mark them used
 * (for the request's batch). The file row's id is the upload's id, so a second request using the
 * same upload fails on the primary key as a whole batch: an upload belongs to one request.
 */
export async function claimUploads(db: Database, ids: string[], tokens: string[]): Promise<{ files: StoredFile[]; statements: BatchItem<"sqlite">[] }> {
  const files: StoredFile[] = [];
  const statements: BatchItem<"sqlite">[] = [];
  for (const [i, id] of ids.entries()) {
    const field = `uploadIds.${i}`;
    let row: Upload;
    try {
      row = await ownedUpload(db, id, tokens[i]);
    } catch {
      throw new ProblemError(400, "validation-error", `Unknown upload ${id}`, [{ field, message: "no such upload for this upload token (send uploadTokens in the same order)" }]);
    }
    if (row.status !== "complete" || !row.kind || !row.mime || !row.sha256) {
      throw new ProblemError(409, "upload-not-ready", `Upload ${id} is ${row.status === "used" ? "already used" : "not complete"}`, [{ field, message: row.status === "used" ? "already used by a request" : "complete the upload first" }]);
    }
    files.push({ id: row.id, key: row.key, name: row.name, kind: row.kind, mime: row.mime, size: row.size, sha256: row.sha256 });
    statements.push(db.update(schema.uploads).set({ status: "used" }).where(and(eq(schema.uploads.id, row.id), eq(schema.uploads.status, "complete"))));
  }
  return { files, statements };
}

export function isUploadReuse(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (/UNIQUE constraint failed: request_files\.id/.test(e.message)) return true;
  return false;
}
