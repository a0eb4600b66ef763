/**
 * Images for pages: uploaded by authors, their type read from their bytes (never from the name or the declared
 * type), stored in R2 under the SHA-256 of those bytes, served under that name forever. A content-hashed URL never
 * changes meaning, so browsers and the edge may keep it for a year without asking again.
 */
import { MediaParam, UploadForm } from "@statex/shared/api/content";
import { requireRole } from "@statex/shared/auth";
import { signedInCaller } from "@statex/shared/caller";
import { database, schema } from "@statex/shared/db";
import { ProblemError, notFound, validationProblem } from "@statex/shared/errors";
import { sha256Hex } from "@statex/shared/hash";
import { type AppEnv, limitBody, requireMediaType, validate } from "@statex/shared/http";
import { Hono } from "hono";
import { imageSize } from "image-size";

/** The image types a page may show, by what image-size calls them. SVG is not among them: it can carry script. */
const TYPES = {
  png: { mime: "image/png", ext: "png", names: ["png"] },
  jpg: { mime: "image/jpeg", ext: "jpg", names: ["jpg", "jpeg", "jpe", "jfif"] },
  webp: { mime: "image/webp", ext: "webp", names: ["webp"] },
  gif: { mime: "image/gif", ext: "gif", names: ["gif"] },
} as const;
type Accepted = (typeof TYPES)[keyof typeof TYPES];

const MAX_BYTES = 10 * 1024 * 1024;
const IMMUTABLE = "public, max-age=31536000, immutable";
const FILE = /^([0-9a-f]{64})\.(png|jpg|webp|gif)$/;

/** Where an upload is served; pages name their images by it. */
export function mediaUrl(sha256: string, ext: string): string {
  return `/api/media/${sha256}.${ext}`;
}

/** The content hash of one of our images by its URL (relative or on the site), or undefined for any other URL. */
export function mediaHash(src: string): string | undefined {
  return /\/media\/([0-9a-f]{64})\.(?:png|jpg|webp|gif)(?:[?#].*)?$/.exec(src)?.[1];
}

function refused(message: string): ProblemError {
  return new ProblemError(415, "unsupported-media-type", "This file is not an image a page can show", [{ field: "file", message }]);
}

/**
 * The type and size of an image from its bytes; a 415 problem naming `file` for anything but PNG, JPEG, WebP or
 * GIF, and for a name or declared type that says otherwise than the bytes (a lying extension).
 */
export function sniffImage(bytes: Uint8Array, name: string, declared: string): Accepted & { width: number; height: number } {
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch {
    throw refused("not a PNG, JPEG, WebP or GIF image");
  }
  if (size.type === "svg") throw refused("SVG is not accepted, as it can carry script: upload PNG, JPEG, WebP or GIF");
  const type = size.type !== undefined && size.type in TYPES ? TYPES[size.type as keyof typeof TYPES] : undefined;
  if (!type) throw refused(`a ${size.type ?? "unknown"} image is not accepted: upload PNG, JPEG, WebP or GIF`);
  const ext = /\.([A-Za-z0-9]{1,10})$/.exec(name)?.[1]?.toLowerCase();
  if (ext !== undefined && !(type.names as readonly string[]).includes(ext)) throw refused(`the bytes are a ${type.ext.toUpperCase()} image, but the name says .${ext}`);
  const media = declared.split(";")[0]?.trim().toLowerCase() ?? "";
  if (media && media !== "application/octet-stream" && media !== type.mime) throw refused(`the bytes are ${type.mime}, but the file was sent as ${media}`);
  if (!(size.width > 0 && size.height > 0)) throw refused("the image header gives no width and height");
  // EXIF orientations 5 to 8 turn the picture a quarter: it is shown with width and height swapped.
  const turned = size.orientation !== undefined && size.orientation >= 5;
  return { ...type, width: turned ? size.height : size.width, height: turned ? size.width : size.height };
}

/** The form's `file`, or a 400 problem naming what is wrong with the form. */
async function uploadOf(request: Request): Promise<{ file: File }> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new ProblemError(400, "malformed-body", "The request body could not be parsed", [{ field: "body", message: "not multipart/form-data" }]);
  }
  const file = form.get("file") ?? undefined;
  const result = UploadForm.safeParse({ file });
  if (!result.success) throw validationProblem(result.error.issues);
  // The schema found a File; zod types it by an interface of its own, so the runtime's type is kept here.
  return { file: file as File };
}

const authors = requireRole("author");

export const mediaRoutes = new Hono<AppEnv<ContentEnv>>()
  // Who may call: authors and ops. One image as the `file` field of a form; the same bytes twice are one image.
  .post("/", authors, limitBody(MAX_BYTES + 64 * 1024), requireMediaType("multipart/form-data"), async (c) => {
    const { file } = await uploadOf(c.req.raw);
    if (file.size > MAX_BYTES) throw new ProblemError(413, "too-large", `An image may be at most ${MAX_BYTES} bytes`, [{ field: "file", message: `at most ${MAX_BYTES} bytes` }]);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const image = sniffImage(bytes, file.name, file.type);
    const sha256 = await sha256Hex(bytes);
    const db = database(c.env.DB);
    // The object first: a row never names an image R2 lacks. Putting the same bytes again rewrites the same object.
    await c.env.FILES.put(`media/${sha256}.${image.ext}`, bytes, {
      httpMetadata: { contentType: image.mime, cacheControl: IMMUTABLE },
      sha256,
    });
    const { userId } = signedInCaller(c.req.raw.headers);
    await db
      .insert(schema.media)
      .values({ sha256, type: image.mime, ext: image.ext, width: image.width, height: image.height, size: bytes.byteLength, uploadedBy: userId })
      .onConflictDoNothing();
    return c.json({ url: mediaUrl(sha256, image.ext), type: image.mime, width: image.width, height: image.height, size: bytes.byteLength, sha256 }, 201);
  })
  // Who may call: anyone. An uploaded image, by the name its upload answered with.
  .get("/:file", validate("param", MediaParam), async (c) => {
    const key = `media/${c.req.valid("param").file}`;
    const etag = `"${FILE.exec(c.req.valid("param").file)?.[1] ?? ""}"`;
    const headers = {
      "cache-control": IMMUTABLE,
      etag,
      // Served as exactly the type its bytes are, and never as a document of ours that could run anything.
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
    };
    if (c.req.header("if-none-match") === etag) {
      // Only answered for an image that exists: a 304 for a name never uploaded would be a lie kept for a year.
      const head = await c.env.FILES.head(key);
      if (head) return c.body(null, 304, headers);
    }
    const object = await c.env.FILES.get(key);
    if (!object) throw notFound("Image");
    return c.body(object.body, 200, { ...headers, "content-type": object.httpMetadata?.contentType ?? "application/octet-stream", "content-length": String(object.size) });
  });
