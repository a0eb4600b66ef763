// The check that holds every answer to the OpenAPI document (conformance.ts) fails where it should: each kind of
// mismatch below is an answer the running gateway's document does not allow, and each throws. Without this, a check
// that passed everything would look the same as one that found nothing.
import { describe, expect, it } from "vitest";
import { checkAnswer, checkWebhookBody } from "./conformance";
import { apiUrl } from "./helpers";

const at = (path: string) => new URL(`${apiUrl()}${path}`);
const json = (status: number, body: unknown, type = "application/json") => new Response(JSON.stringify(body), { status, headers: { "content-type": type } });
const problem = (status: number) => json(status, { type: "about:blank", title: "Not found", status, detail: "No such route" }, "application/problem+json");
const request = "/api/requests/req_01KAAAAAAAAAAAAAAAAAAAAAAA";

describe("the OpenAPI conformance check", () => {
  it("passes an answer its route documents", async () => {
    await expect(checkAnswer("get", at(request), problem(404))).resolves.toBeUndefined();
    await expect(checkAnswer("get", at("/api/no-such-route"), problem(404))).resolves.toBeUndefined();
  });

  it("fails a body that does not match the documented schema", async () => {
    await expect(checkAnswer("get", at(request), json(200, { id: 42 }))).rejects.toThrow(/does not match its documented schema/);
  });

  it("fails a status the route does not document, a 5xx too", async () => {
    await expect(checkAnswer("get", at(request), json(418, {}))).rejects.toThrow(/does not say .* answers 418/);
    await expect(checkAnswer("get", at(request), json(500, {}))).rejects.toThrow(/answers 500/);
  });

  it("fails a media type the answer does not name", async () => {
    await expect(checkAnswer("get", at(request), new Response("<p>hi</p>", { status: 200, headers: { "content-type": "text/html" } }))).rejects.toThrow(/answered text\/html/);
  });

  it("holds a webhook's body to its event's schema, and knows no other event", async () => {
    const data = { eventId: "e1", requestId: "req_01KAAAAAAAAAAAAAAAAAAAAAAA", status: "completed", statusUrl: "https://statex.app/api/requests/req_01KAAAAAAAAAAAAAAAAAAAAAAA" };
    await expect(checkWebhookBody({ type: "request.completed", timestamp: "2026-12-03T07:47:15.370Z", data } as { type: string })).resolves.toBeUndefined();
    await expect(checkWebhookBody({ type: "request.completed", timestamp: "2026-12-03T07:47:15.370Z", data: { ...data, status: "failed" } } as { type: string })).rejects.toThrow(/does not match its documented schema/);
    await expect(checkWebhookBody({ type: "request.archived" })).rejects.toThrow(/describes no webhook request.archived/);
  });

  it("fails an answer from a path the document lacks, and a refusal there that is no problem", async () => {
    await expect(checkAnswer("get", at("/api/no-such-route"), json(200, {}))).rejects.toThrow(/no route of the OpenAPI document/);
    await expect(checkAnswer("get", at("/api/no-such-route"), new Response("Not found", { status: 404, headers: { "content-type": "text/plain" } }))).rejects.toThrow(/not a problem/);
  });
});
