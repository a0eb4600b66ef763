/**
 * /uploads: a large file (a 100 MB recording) goes to R2 in parts ahead of the
 * submission, so a dropped connection costs one part, not the whole file.
 * Who may call: anyone may start an upload (the gateway rate-limits it as a
 * submission); every other route needs the upload's token (`x-upload-token`).
 */
import { requireScope } from "@statex/shared/auth";
import { database, schema } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import { type AppEnv, requireMediaType, validate } from "@statex/shared/http";
import { hex, sha256Hex } from "@statex/shared/hash";
import { newId } from "@statex/shared/ids";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { NewUpload, UploadParam, UploadPartParam } from "@statex/shared/api/intake";
import { isZip, sniffStoredZip } from "../files/docx";
import { sniff } from "../files/sniff";
import { tooLargeProblem } from "../submit/limits";
import { type Upload, UPLOAD_PART_BYTES, UPLOAD_TTL_MS, missingParts, newUploadToken, ownedUpload, partCount, partSize, recordPart, uploadKey } from "./store";


/** A part's bytes, refusing more than `expected` as they stream (a part is at most 5 MiB in memory). */
async function partBytes(body: ReadableStream<Uint8Array> | null, expected: number): Promise<Uint8Array> {
  const out = new Uint8Array(expected);
  let filled = 0;
  if (body) {
    for await (const chunk of body) {
      if (filled + chunk.length > expected) throw wrongSize(expected);
      out.set(chunk, filled);
      filled += chunk.length;
    }
  }
  if (filled !== expected) throw wrongSize(expected);
  return out;
}

function wrongSize(expected: number): ProblemError {
  return new ProblemError(400, "validation-error", `This part must be exactly ${expected} bytes`, [{ field: "body", message: `exactly ${expected} bytes` }]);
}

/** What a client needs to resume: which parts arrived, which are missing. */
const view = (row: Upload) => ({
  id: row.id,
  name: row.name,
  size: row.size,
  status: row.status,
  partSize: UPLOAD_PART_BYTES,
  parts: [...row.parts].sort((a, b) => a.partNumber - b.partNumber),
  missing: missingParts(row),
});

export const uploadRoutes = new Hono<AppEnv<IntakeEnv>>()
  .post("/", requireScope("requests:write"), requireMediaType("application/json"), validate("json", NewUpload), async (c) => {
    const { name, size } = c.req.valid("json");
    const max = Number(c.env.MAX_FILE_BYTES);
    if (size > max) throw tooLargeProblem(`files.${name}`, `larger than ${max} bytes`);
    const id = newId("upl");
    const key = uploadKey(id);
    const token = newUploadToken();
    const r2 = await c.env.FILES.createMultipartUpload(key, { customMetadata: { name } });
    await database(c.env.DB).insert(schema.uploads).values({
      id, key, r2UploadId: r2.uploadId, name, size, status: "open", parts: [], ownerTokenHash: await sha256Hex(token),
      expiresAt: new Date(Date.now() + UPLOAD_TTL_MS).toISOString(),
    });
    return c.json({ id, partSize: UPLOAD_PART_BYTES, parts: partCount(size), uploadToken: token }, 201);
  })
  .put("/:id/parts/:n", requireScope("requests:write"), validate("param", UploadPartParam), async (c) => {
    const { id, n } = c.req.valid("param");
    const db = database(c.env.DB);
    const row = await ownedUpload(db, id, c.req.header("x-upload-token"));
    if (row.status !== "open") throw new ProblemError(409, "upload-closed", `This upload is ${row.status}`);
    if (n > partCount(row.size)) throw new ProblemError(400, "validation-error", "No such part", [{ field: "param.n", message: `1 to ${partCount(row.size)}` }]);
    const expected = partSize(row.size, n);
    const declared = c.req.header("content-length");
    if (declared !== undefined && Number(declared) !== expected) throw wrongSize(expected);
    const bytes = await partBytes(c.req.raw.body, expected);
    // Re-sending a part uploads it again under the same number: R2 keeps the last one.
    const part = await c.env.FILES.resumeMultipartUpload(row.key, row.r2UploadId).uploadPart(n, bytes);
    await recordPart(db, id, { partNumber: n, etag: part.etag, size: expected });
    return c.json({ partNumber: n, etag: part.etag });
  })
  .get("/:id", requireScope("requests:write"), validate("param", UploadParam), async (c) => {
    const row = await ownedUpload(database(c.env.DB), c.req.valid("param").id, c.req.header("x-upload-token"));
    return c.json(view(row));
  })
  .post("/:id/complete", requireScope("requests:write"), validate("param", UploadParam), async (c) => {
    const db = database(c.env.DB);
    const row = await ownedUpload(db, c.req.valid("param").id, c.req.header("x-upload-token"));
    if (row.status !== "open") throw new ProblemError(409, "upload-closed", `This upload is ${row.status}`);
    const missing = missingParts(row);
    if (missing.length) throw new ProblemError(409, "upload-incomplete", `Parts ${missing.join(", ")} have not arrived`, [{ field: "parts", message: `missing ${missing.join(", ")}` }]);
    const parts = [...row.parts].sort((a, b) => a.partNumber - b.partNumber).map(({ partNumber, etag }) => ({ partNumber, etag }));
    const bucket = c.env.FILES;
    const object = await bucket.resumeMultipartUpload(row.key, row.r2UploadId).complete(parts);
    const head = new Uint8Array(await ((await bucket.get(row.key, { range: { offset: 0, length: 4096 } }))?.arrayBuffer() ?? new ArrayBuffer(0)));
    const sniffed = isZip(head) ? await sniffStoredZip(bucket, row.key, object.size, head, row.name) : sniff(head, row.name);
    if (!sniffed.ok) {
      await bucket.delete(row.key);
      await db.update(schema.uploads).set({ status: "aborted" }).where(eq(schema.uploads.id, row.id));
      throw new ProblemError(415, "file-type-refused", `${row.name}: ${sniffed.reason}`, [{ field: `files.${row.name}`, message: sniffed.reason }]);
    }
    // One pass over the stored object: the hash is of what R2 holds, not of what the client claims.
    const digest = new crypto.DigestStream("SHA-256");
    const stored = await bucket.get(row.key);
    if (!stored) throw new Error(`completed upload ${row.key} is missing`);
    await stored.body.pipeTo(digest);
    const sha256 = hex(await digest.digest);
    await db.update(schema.uploads).set({ status: "complete", kind: sniffed.kind, mime: sniffed.mime, sha256 }).where(eq(schema.uploads.id, row.id));
    return c.json({ id: row.id, name: row.name, size: object.size, status: "complete", kind: sniffed.kind, mime: sniffed.mime, sha256 });
  })
  .delete("/:id", requireScope("requests:write"), validate("param", UploadParam), async (c) => {
    const db = database(c.env.DB);
    const row = await ownedUpload(db, c.req.valid("param").id, c.req.header("x-upload-token"));
    if (row.status === "used") throw new ProblemError(409, "upload-used", "This upload belongs to a request now");
    await abortUpload(c.env.FILES, row);
    await db.update(schema.uploads).set({ status: "aborted" }).where(eq(schema.uploads.id, row.id));
    return c.body(null, 204);
  });

/** Frees an upload's storage: the multipart upload while open, the object once complete. */
export async function abortUpload(bucket: R2Bucket, row: { key: string; r2UploadId: string; status: string }): Promise<void> {
  if (row.status === "open") await bucket.resumeMultipartUpload(row.key, row.r2UploadId).abort().catch(() => undefined);
  else await bucket.delete(row.key);
}
