/** Calls the gateway's fetch handler as a client would, and waits for what it left running. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../src/index";

/** The ops token's bearer header (ops routes). */
export const ops = { authorization: `Bearer ${env.OPS_TOKEN}` };

export async function call(path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://gateway${path}`, init), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
