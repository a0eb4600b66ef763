/** The one answer to an accepted submission, whatever its content type, and to its idempotent replays. */
import { statusToken } from "@statex/shared/tokens";

export async function accepted(env: IntakeEnv, id: string): Promise<Response> {
  const token = await statusToken(env.STATUS_TOKEN_SECRET, id);
  const statusUrl = `/api/requests/${id}?token=${token}`;
  return Response.json({ id, status: "received", statusUrl }, { status: 202, headers: { location: statusUrl } });
}
