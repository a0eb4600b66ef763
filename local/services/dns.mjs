// DNS over HTTPS in Cloudflare's JSON form (https://cloudflare-dns.com/dns-query?name=…&type=A, Accept:
// application/dns-json), answering from records a test or developer sets, so notify's check that a webhook's host
// resolves to no private address runs against the real wire format with no network.
//
//   GET /dns-query?name=<host>&type=A|AAAA   { Status, Answer: [{ name, type, TTL, data }] }; Status 3 (NXDOMAIN)
//                                            for a name with no records
//   PUT /dns-query/records                   { name, A?: [ipv4...], AAAA?: [ipv6...], CNAME?: target }
import { HttpError, sendJson } from "../router.mjs";

const TYPES = { A: 1, AAAA: 28, CNAME: 5 };

/** @param {ReturnType<import("../router.mjs").createRouter>} router */
export function registerDns(router) {
  /** @type {Map<string, { A?: string[], AAAA?: string[], CNAME?: string }>} */
  const zone = new Map();
  const key = (name) => String(name).toLowerCase().replace(/\.$/, "");

  router.on("GET", "/dns-query", ({ res, url }) => {
    const name = url.searchParams.get("name");
    const type = (url.searchParams.get("type") ?? "A").toUpperCase();
    if (!name || !(type in TYPES)) throw new HttpError(400, { Status: 1, Comment: "name and type (A, AAAA) are required" });
    const answer = [];
    let current = key(name);
    let records = zone.get(current);
    // A CNAME is followed as a resolver does, and its hop is part of the answer.
    for (let hops = 0; records?.CNAME && hops < 8; hops++) {
      answer.push({ name: `${current}.`, type: TYPES.CNAME, TTL: 60, data: `${key(records.CNAME)}.` });
      current = key(records.CNAME);
      records = zone.get(current);
    }
    if (!records) return sendJson(res, 200, { Status: 3, Question: [{ name: `${key(name)}.`, type: TYPES[type] }], Answer: answer.length ? answer : undefined }, { "content-type": "application/dns-json" });
    for (const data of records[type] ?? []) answer.push({ name: `${current}.`, type: TYPES[type], TTL: 60, data });
    sendJson(res, 200, { Status: 0, Question: [{ name: `${key(name)}.`, type: TYPES[type] }], Answer: answer }, { "content-type": "application/dns-json" });
  });
  router.on("PUT", "/dns-query/records", async ({ res, body }) => {
    const value = await body();
    if (!value || typeof value !== "object" || typeof value.name !== "string" || !value.name) throw new HttpError(400, { message: "The body is { name, A?, AAAA?, CNAME? }" });
    const list = (v) => (Array.isArray(v) ? v.filter((x) => typeof x === "string") : undefined);
    zone.set(key(value.name), { A: list(value.A), AAAA: list(value.AAAA), CNAME: typeof value.CNAME === "string" ? value.CNAME : undefined });
    sendJson(res, 200, { name: key(value.name), ...zone.get(key(value.name)) });
  });
}
