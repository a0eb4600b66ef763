// The typed client an integrator would use (client/: openapi-fetch over types generated from the OpenAPI document),
// against the running platform: every call below is checked at compile time against the document, and every answer
// at run time too (conformance.ts).
import { type WebhookEvent, statexClient } from "@statex/client";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { clinicRequest, eventually, localUrl, siteUrl } from "./helpers";

describe("the typed API client", () => {
  it("submits a request, follows it to completed and reads its results", async () => {
    const api = statexClient(siteUrl());
    const submitted = await api.POST("/api/requests", { body: { name: "Rita Gomes", email: "rita@clinic.example", text: clinicRequest } });
    expect(submitted.response.status).toBe(202);
    if (!submitted.data) throw new Error(`the submission was refused: ${JSON.stringify(submitted.error)}`);
    const { id, statusUrl } = submitted.data;
    // The status token comes back inside the status URL; the client sends it as the documented `token` query.
    const token = new URL(statusUrl, siteUrl()).searchParams.get("token") ?? "";

    const view = await eventually(
      "the request to complete",
      async () => {
        const { data } = await api.GET("/api/requests/{id}", { params: { path: { id }, query: { token } } });
        return data?.status === "completed" ? data : undefined;
      },
      60_000,
    );
    expect(view.completedAt).not.toBeNull();
    expect(view.steps.every((s) => s.state === "succeeded")).toBe(true);
    const nlp = view.steps.find((s) => s.kind === "nlp");
    if (!nlp) throw new Error("the job has no nlp step");

    const result = await api.GET("/api/requests/{id}/tasks/{taskId}/result", { params: { path: { id, taskId: nlp.id }, query: { token } } });
    expect(result.response.status).toBe(200);
    expect(result.data).toMatchObject({ taskId: nlp.id, kind: "nlp" });
  });

  it("serves an integrator's system with an API key: subscribes a webhook, submits, hears of the completion, lists and reads its request", { timeout: 120_000 }, async () => {
    // The person sets the system up once: an account, a session, a key.
    const network = { "cf-connecting-ip": "198.51.100.223" };
    const person = statexClient(siteUrl(), { headers: network });
    const email = `typed-client-${Date.now()}@integrator.example`;
    const password = `an integrator's long passphrase ${Date.now()}`;
    expect((await person.POST("/api/users", { body: { email, name: "Typed Integrator", password } })).response.status).toBe(202);
    const session = await person.POST("/api/sessions", { body: { email, password } });
    if (!session.data) throw new Error(`no session: ${JSON.stringify(session.error)}`);
    const signedIn = { headers: { ...network, authorization: `Bearer ${session.data.accessToken}` } };
    const made = await person.POST("/api/me/api-keys", { ...signedIn, body: { name: "CRM", scopes: ["requests:write", "requests:read", "webhooks:write"] } });
    if (!made.data) throw new Error(`no key: ${JSON.stringify(made.error)}`);

    // The system, with its key alone.
    const api = statexClient(siteUrl(), { headers: { authorization: `Bearer ${made.data.key}`, "cf-connecting-ip": "203.0.113.223" } });
    const receiver = `${localUrl()}/webhook-receiver/typed-client-${Date.now()}`;
    const hook = await api.POST("/api/me/webhooks", { body: { url: receiver, events: ["request.completed"] } });
    if (!hook.data) throw new Error(`no webhook: ${JSON.stringify(hook.error)}`);
    const submitted = await api.POST("/api/requests", { body: { name: "Typed Integrator", email, text: clinicRequest } });
    if (!submitted.data) throw new Error(`the submission was refused: ${JSON.stringify(submitted.error)}`);
    const { id } = submitted.data;

    const event = await eventually(
      "request.completed at the system's endpoint",
      async () => {
        const { received } = (await (await fetch(receiver)).json()) as { received: { headers: Record<string, string>; body: string }[] };
        const [first] = received;
        return first ? (new Webhook(hook.data.secret).verify(first.body, first.headers) as WebhookEvent) : undefined;
      },
      90_000,
    );
    expect(event.type).toBe("request.completed");
    expect(event.data.requestId).toBe(id);

    // The key reads its owner's requests without a status token.
    const mine = await api.GET("/api/me/requests");
    expect(mine.data?.items.map((r) => r.id)).toContain(id);
    const view = await api.GET("/api/requests/{id}", { params: { path: { id } } });
    expect(view.data?.status).toBe("completed");
    const draft = view.data?.steps.find((s) => s.kind === "prototype");
    if (!draft) throw new Error("the job has no draft step");
    const result = await api.GET("/api/requests/{id}/tasks/{taskId}/result", { params: { path: { id, taskId: draft.id } } });
    expect(result.data).toMatchObject({ taskId: draft.id, kind: "prototype" });
  });

  it("hands back a refusal as its problem, naming the fields", async () => {
    const api = statexClient(siteUrl());
    const refused = await api.POST("/api/requests", { body: { name: "Rita Gomes", email: "not an address", text: clinicRequest } });
    expect(refused.response.status).toBe(400);
    expect(refused.error?.errors?.map((e) => e.field)).toEqual(["email"]);
    const unknown = await api.GET("/api/requests/{id}", { params: { path: { id: "req_00000000000000000000000000" }, query: { token: "t".repeat(43) } } });
    expect(unknown.error?.status).toBe(404);
  });
});
