// The floor: the least a submission can cost on this platform (see wrangler.toml).
type FloorEnv = { DB: D1Database; Q: Queue };
type Body = { name: string; email: string; text: string };

export default {
  async fetch(request, env) {
    const body = await request.json<Body>();
    const id = `req_${crypto.randomUUID()}`;
    await env.DB.prepare("insert into requests (id, channel, name, email, text) values (?, 'api', ?, ?, ?)")
      .bind(id, body.name, body.email, body.text)
      .run();
    await env.Q.send({ id, type: "request.created" });
    return Response.json({ id, status: "received" }, { status: 202 });
  },
} satisfies ExportedHandler<FloorEnv>;
