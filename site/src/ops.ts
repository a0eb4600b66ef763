/**
 * The ops console (`/ops.html`): for ops and admins only. Signing in is the account page's (the access token in this
 * page's memory, the refresh cookie it never sees); anyone else signed in is told the console is for ops. Each view
 * is a tab whose address is in the hash (`#logs`, `#request/req_…`), so a link to a request's story can be shared
 * between ops and the browser's back button walks the views. A view whose API has not landed says "not available"
 * and the others go on working.
 */
import "uplot/dist/uPlot.min.css";
import { byId, api } from "./api";
import { handleForm } from "./lib/problems";
import { AuditView, HealthView } from "./lib/ops-health";
import { DeadLettersView, LinkedinView, SecurityView, SpamView } from "./lib/ops-lists";
import { LogsView } from "./lib/ops-logs";
import { OverviewView } from "./lib/ops-overview";
import { StoryView } from "./lib/ops-story";
import { AccessLost, type View } from "./lib/ops-ui";
import { type SignedIn, currentSession, keepSession, sessionReady, signOut } from "./session";

/** The roles the gateway lets through to /api/ops (access "ops"). */
const OPS_ROLES = new Set(["ops", "admin"]);

const sections = { signedOut: byId("signed-out"), notOps: byId("not-ops"), console: byId("console") };

function showOnly(which: keyof typeof sections): void {
  for (const [name, el] of Object.entries(sections)) el.hidden = name !== which;
}

/** A view told the console the session is gone (401) or not ops (403): the page says which, and stops polling. */
function accessLost(err: unknown): void {
  if (!(err instanceof AccessLost)) {
    console.error(err);
    return;
  }
  current?.hide?.();
  current = undefined;
  if (err.status === 403) return showNotOps();
  showOnly("signedOut");
  const note = byId("signin-error");
  note.textContent = "Your session has ended. Sign in again.";
  note.hidden = false;
}

const view = (id: string) => byId(`view-${id}`);
const views: View[] = [
  new OverviewView(view("overview"), accessLost),
  new StoryView(view("request")),
  new LogsView(view("logs"), accessLost),
  new DeadLettersView(view("dead-letters"), accessLost),
  new SpamView(view("spam"), accessLost),
  new SecurityView(view("security"), accessLost),
  new LinkedinView(view("linkedin"), accessLost),
  new HealthView(view("health"), accessLost),
  new AuditView(view("audit"), accessLost),
];
let current: View | undefined;

/** Shows the view the hash names (`#<view>` or `#<view>/<arg>`), the overview when it names none. */
function route(): void {
  if (sections.console.hidden) return;
  const [name = "", arg] = location.hash.slice(1).split(/\/(.*)/s);
  const next = views.find((v) => v.id === name) ?? views[0];
  if (!next) return;
  if (current !== next) current?.hide?.();
  current = next;
  for (const v of views) view(v.id).hidden = v !== next;
  for (const link of document.querySelectorAll<HTMLAnchorElement>("nav.ops-tabs a")) {
    if (link.hash === `#${next.id}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  next.show(arg).catch(accessLost);
}

function showNotOps(): void {
  const session = currentSession();
  byId("not-ops-who").textContent = session ? `${session.user.name} (${session.user.email}), whose role is ${session.user.role}` : "an account that is not ops";
  showOnly("notOps");
}

/** What the signed-in person sees: the console for ops and admins, the "ops only" note for everyone else. */
function arrive(): void {
  const session = currentSession();
  if (!session) return showOnly("signedOut");
  if (!OPS_ROLES.has(session.user.role)) return showNotOps();
  byId("who").textContent = `${session.user.name} (${session.user.role})`;
  showOnly("console");
  route();
}

handleForm(
  "signin",
  ["email", "password"],
  (body) => api<SignedIn>("/api/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: body.email, password: body.password }) }),
  (session, form) => {
    form.reset();
    keepSession(session);
    arrive();
    byId("heading").focus();
  },
);

for (const id of ["signout", "not-ops-signout"]) {
  byId(id).addEventListener("click", () => {
    current?.hide?.();
    current = undefined;
    showOnly("signedOut");
    void signOut();
  });
}

window.addEventListener("hashchange", route);
void sessionReady().then(arrive);
