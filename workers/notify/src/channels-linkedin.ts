/**
 * LinkedIn: there is no API for messaging a person, so a message for LinkedIn becomes a task for ops with the
 * prepared text and the client's profile. The notification stays `manual` until ops mark the task done (delivered)
 * or skipped (linkedin-tasks.ts).
 */
import { database, schema } from "@statex/shared/db";
import type { Accepted, Channel } from "./channels";
import type { DeliveryEnv } from "./env";

export function linkedinChannel(env: Pick<DeliveryEnv, "DB">): Channel {
  return {
    name: "linkedin",
    async send(out): Promise<Accepted> {
      // One task per notification (the same id), however often this runs.
      await database(env.DB)
        .insert(schema.linkedinTasks)
        .values({ id: out.notificationId, requestId: out.requestId, userId: out.userId, profile: out.to, text: out.message.text })
        .onConflictDoNothing();
      return { providerMessageId: out.notificationId, status: "manual" };
    },
  };
}
