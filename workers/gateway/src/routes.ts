/**
 * The public API surface, as data: every route names the service that owns it
 * and who may call it. The proxy enforces `access` before forwarding, and
 * `GET /api` serves this same table as the API's documentation, so the docs
 * cannot drift from what is enforced.
 */

export type Access =
  | "public" // anyone
  | "token" // anyone holding the request's status token (checked by the owning service)
  | "signed-in" // any authenticated user
  | "author" // authors and ops
  | "ops" // ops (a user with the ops role, or the OPS_TOKEN)
  | "dev"; // only where DEV_TOOLS is on (local development)

export type ServiceBinding = "INTAKE" | "IDENTITY" | "ORCHESTRATOR" | "NOTIFY" | "CONTENT" | "LOGGING";

export type Route = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path under /api, with :params. */
  path: string;
  service: ServiceBinding;
  /** The path on the service; defaults to `path`. */
  target?: string;
  access: Access;
  /** Counted against the stricter per-client submission limit. */
  submit?: boolean;
  summary: string;
};

export const routes: Route[] = [
  { method: "POST", path: "/requests", service: "INTAKE", access: "public", submit: true, summary: "Submit a request (JSON: name, email, text); answers 202 with id and statusUrl" },
  { method: "GET", path: "/requests/:id", service: "INTAKE", access: "token", summary: "A request's status and results (?token= from the submission)" },

  { method: "POST", path: "/users", service: "IDENTITY", access: "public", submit: true, summary: "Register; answers the user and a session token" },
  { method: "POST", path: "/sessions", service: "IDENTITY", access: "public", submit: true, summary: "Sign in with email and password" },
  { method: "DELETE", path: "/sessions/current", service: "IDENTITY", access: "signed-in", summary: "Sign out" },
  { method: "GET", path: "/me", service: "IDENTITY", access: "signed-in", summary: "The signed-in user" },
  { method: "PATCH", path: "/me", service: "IDENTITY", access: "signed-in", summary: "Update the signed-in user" },
  { method: "DELETE", path: "/me", service: "IDENTITY", access: "signed-in", summary: "Delete the signed-in user's account" },
  { method: "GET", path: "/me/requests", service: "IDENTITY", access: "signed-in", summary: "The signed-in client's requests (dashboard)" },
  { method: "PUT", path: "/users/:id/role", service: "IDENTITY", access: "ops", summary: "Give a user a role" },

  { method: "GET", path: "/pages", service: "CONTENT", access: "public", summary: "Published pages" },
  { method: "GET", path: "/pages/:slug", service: "CONTENT", access: "public", summary: "A published page" },
  { method: "GET", path: "/site/:slug", service: "CONTENT", access: "public", summary: "A published page as rendered HTML" },
  { method: "GET", path: "/drafts", service: "CONTENT", access: "author", summary: "Every draft" },
  { method: "GET", path: "/pages/:slug/draft", service: "CONTENT", access: "author", summary: "A page's draft" },
  { method: "PUT", path: "/pages/:slug", service: "CONTENT", access: "author", summary: "Create or update a draft (markdown with front matter)" },
  { method: "POST", path: "/pages/:slug/publish", service: "CONTENT", access: "author", summary: "Publish a draft to the site" },
  { method: "DELETE", path: "/pages/:slug", service: "CONTENT", access: "author", summary: "Remove a page" },

  { method: "GET", path: "/ops/timeline/:correlationId", service: "LOGGING", target: "/timeline/:correlationId", access: "ops", summary: "One request's events and log lines in time order" },
  { method: "GET", path: "/ops/events", service: "LOGGING", target: "/events", access: "ops", summary: "Recent events (?type=&limit=)" },
  { method: "GET", path: "/ops/dead-letters", service: "LOGGING", target: "/dead-letters", access: "ops", summary: "Messages that exhausted their retries" },
  { method: "GET", path: "/ops/jobs/:requestId", service: "ORCHESTRATOR", target: "/jobs/:requestId", access: "ops", summary: "A request's AI job as its Durable Object holds it" },
  { method: "GET", path: "/ops/notifications", service: "NOTIFY", target: "/notifications", access: "ops", summary: "Delivery status of notifications (?requestId=)" },

  { method: "GET", path: "/dev/outbox", service: "NOTIFY", access: "dev", summary: "What the platform sent, as the local outbox received it (development only)" },
];

type Compiled = Route & { pattern: RegExp; names: string[] };

const compiled: Compiled[] = routes.map((r) => {
  const names: string[] = [];
  const source = r.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { ...r, pattern: new RegExp(`^${source}/?$`), names };
});

export type Match = { route: Route; target: string } | { methods: string[] } | null;

/** The route for a method and path under /api, the methods allowed on that path, or null. */
export function matchRoute(method: string, path: string): Match {
  const allowed: string[] = [];
  for (const r of compiled) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    if (r.method !== method) {
      allowed.push(r.method);
      continue;
    }
    let target = r.target ?? r.path;
    r.names.forEach((name, i) => {
      target = target.replace(`:${name}`, m[i + 1] ?? "");
    });
    return { route: r, target };
  }
  return allowed.length ? { methods: allowed } : null;
}
