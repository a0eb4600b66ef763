import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Uploaded } from "@statex/shared/api/content";
import { publishedPage } from "../src/store";
import { type Problem, author, call, client, publish, save, source } from "./authoring-helpers";

/** The smallest headers image-size reads, with the given size (the pixels after them do not matter here). */
const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const png = (w: number, h: number) =>
  new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, ...be32(w), ...be32(h), 8, 2, 0, 0, 0, 0, 0, 0, 0]);
const gif = (w: number, h: number) => new Uint8Array([...new TextEncoder().encode("GIF89a"), w & 255, w >> 8, h & 255, h >> 8, 0, 0, 0, 0x3b]);
const jpeg = (w: number, h: number) =>
  new Uint8Array([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
    0xff, 0xc0, 0x00, 0x11, 0x08, h >> 8, h & 255, w >> 8, w & 255, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xd9,
  ]);
const le24 = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255];
const webp = (w: number, h: number) =>
  new Uint8Array([...new TextEncoder().encode("RIFF"), 22, 0, 0, 0, ...new TextEncoder().encode("WEBPVP8X"), 10, 0, 0, 0, 0, 0, 0, 0, ...le24(w - 1), ...le24(h - 1)]);
const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');

function upload(bytes: Uint8Array, name: string, type = "", as = author) {
  const form = new FormData();
  form.set("file", new File([bytes], name, type ? { type } : {}));
  return call("/media", { method: "POST", as, body: form });
}

describe("uploading images", () => {
  it.each([
    ["chart.png", png(640, 480), "image/png", 640, 480],
    ["photo.jpeg", jpeg(64, 32), "image/jpeg", 64, 32],
    ["anim.gif", gif(20, 10), "image/gif", 20, 10],
    ["pic.webp", webp(300, 200), "image/webp", 300, 200],
  ] as const)("reads %s's type and size from its bytes and stores it under its hash", async (name, bytes, type, width, height) => {
    const res = await upload(bytes, name);
    expect(res.status).toBe(201);
    const body = Uploaded.parse(await res.json());
    expect(body).toMatchObject({ type, width, height });
    expect(body.url).toMatch(new RegExp(`^/api/media/${body.sha256}\\.(png|jpg|gif|webp)$`));
    // The same bytes again are the same image.
    expect(Uploaded.parse(await (await upload(bytes, `again-${name}`)).json()).url).toBe(body.url);

    const served = await call(body.url.replace(/^\/api/, ""));
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe(type);
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
    const again = await call(body.url.replace(/^\/api/, ""), { headers: { "if-none-match": served.headers.get("etag") ?? "" } });
    expect(again.status).toBe(304);
  });

  it("refuses a lying extension or declared type, naming the file (415)", async () => {
    for (const [bytes, name, type] of [
      [jpeg(10, 10), "photo.png", ""],
      [png(10, 10), "chart.gif", ""],
      [png(10, 10), "chart", "image/jpeg"],
    ] as const) {
      const res = await upload(bytes, name, type);
      expect(res.status).toBe(415);
      const problem = await res.json<Problem>();
      expect(problem.errors?.[0]?.field).toBe("file");
    }
    const named = await (await upload(jpeg(10, 10), "photo.png")).json<Problem>();
    expect(named.errors?.[0]?.message).toBe("the bytes are a JPG image, but the name says .png");
  });

  it("refuses SVG (it can carry script) and what is no image at all", async () => {
    const res = await upload(svg, "logo.svg", "image/svg+xml");
    expect(res.status).toBe(415);
    expect((await res.json<Problem>()).errors?.[0]).toMatchObject({ field: "file", message: expect.stringContaining("SVG is not accepted") });
    for (const bytes of [new TextEncoder().encode("just some text"), new Uint8Array([0x4d, 0x5a, 0x90, 0]), new Uint8Array(0)]) {
      const refused = await upload(bytes, "x.png");
      expect(refused.status).toBe(415);
      expect((await refused.json<Problem>()).errors?.[0]?.field).toBe("file");
    }
    expect(await env.FILES.list({ prefix: "media/" }).then((l) => l.objects.filter((o) => !o.key.endsWith(".png") && !o.key.endsWith(".jpg") && !o.key.endsWith(".gif") && !o.key.endsWith(".webp")))).toEqual([]);
  });

  it("asks for a form with a file, and only authors may upload", async () => {
    const noFile = await call("/media", { method: "POST", as: author, body: new FormData() });
    expect(noFile.status).toBe(400);
    expect((await noFile.json<Problem>()).errors?.[0]).toEqual({ field: "file", message: "an image file (multipart field file)" });
    // A text field of that name is no file either.
    const textFile = new FormData();
    textFile.set("file", "not an image");
    const asText = await call("/media", { method: "POST", as: author, body: textFile });
    expect(asText.status).toBe(400);
    expect((await asText.json<Problem>()).errors?.[0]).toEqual({ field: "file", message: "an image file (multipart field file)" });
    const raw = await call("/media", { method: "POST", as: author, headers: { "content-type": "image/png" }, body: png(1, 1) });
    expect(raw.status).toBe(415);
    expect((await raw.json<Problem>()).errors?.[0]?.field).toBe("content-type");
    expect((await upload(png(1, 1), "a.png", "", client)).status).toBe(403);
    const form = new FormData();
    form.set("file", new File([png(1, 1)], "a.png"));
    expect((await call("/media", { method: "POST", body: form })).status).toBe(401);
  });

  it("answers 404 for an image never uploaded and 400 for a name that is not one", async () => {
    expect((await call(`/media/${"0".repeat(64)}.png`)).status).toBe(404);
    const bad = await call("/media/..%2Fsecret.png");
    expect(bad.status).toBe(400);
    expect((await bad.json<Problem>()).errors?.[0]?.field).toBe("param.file");
  });
});

describe("images on pages", () => {
  it("renders an uploaded image with its width and height, and a hero with its size", async () => {
    const { url } = Uploaded.parse(await (await upload(png(800, 450), "hero.png")).json());
    const markdown = source("pictured", { title: "Pictured", hero: url, heroAlt: "A chart" }, `![A chart](${url})`);
    expect((await save("pictured", markdown)).status).toBe(201);
    await publish("pictured");
    const page = await publishedPage(env.DB, "pictured");
    expect(page?.hero).toEqual({ url, alt: "A chart", width: 800, height: 450 });
    expect(page?.html).toContain(`<img src="${url}" alt="A chart" width="800" height="450"`);
  });
});
