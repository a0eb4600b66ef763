/** Putting a fixture into R2 and making the task that names it, as the orchestrator would. */
import { fromBase64 } from "@statex/shared/base64";
import type { TaskKind, TaskMessage } from "@statex/shared/tasks";
import { env } from "cloudflare:workers";
import type { Fixture } from "../../../shared/test/ai-fixtures/types";

export async function taskFor(kind: TaskKind, fixture: Fixture, mime = fixture.mime): Promise<TaskMessage> {
  const requestId = `req_${crypto.randomUUID()}`;
  const fileKey = `uploads/${requestId}/${fixture.name}`;
  await env.FILES.put(fileKey, fromBase64(fixture.base64), { httpMetadata: { contentType: fixture.mime } });
  return { taskId: `${kind}-1`, requestId, kind, attempt: 1, input: { fileKey, mime } };
}
