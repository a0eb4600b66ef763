// The typed client an integrator would use (client/: openapi-fetch over types generated from the OpenAPI document),
// against the running platform: every call below is checked at compile time against the document, and every answer
// at run time too (conformance.ts).
import { statexClient } from "@statex/client";
import { describe, expect, it } from "vitest";
import { clinicRequest, eventually, siteUrl } from "./helpers";

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

  it("hands back a refusal as its problem, naming the fields", async () => {
    const api = statexClient(siteUrl());
    const refused = await api.POST("/api/requests", { body: { name: "Rita Gomes", email: "not an address", text: clinicRequest } });
    expect(refused.response.status).toBe(400);
    expect(refused.error?.errors?.map((e) => e.field)).toEqual(["email"]);
    const unknown = await api.GET("/api/requests/{id}", { params: { path: { id: "req_00000000000000000000000000" }, query: { token: "t".repeat(43) } } });
    expect(unknown.error?.status).toBe(404);
  });
});
