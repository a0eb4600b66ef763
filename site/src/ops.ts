/**
 * The ops console (`/ops.html`): for ops and admins only. Signing in is the account page's (the access token in this
 * page's memory, the refresh cookie it never sees); anyone else signed in is told the console is for ops. Each view
 * is a tab whose address is in the hash (`#logs`, `#request/req_…`), so a link to a request's story can be shared
 * between ops and the browser's back button walks the views. A view whose API has not landed says "not available"
 * and the others go on working.
 */
import "uplot/dist/uPlot.min.css";
import { byId } from "./api";
import { AlertsView } from "./lib/ops-alerts";
import { AuditView, HealthView } from "./lib/ops-health";
import { DeadLettersView, LinkedinView, SecurityView, SpamView } from "./lib/ops-lists";
import { LogsView } from "./lib/ops-logs";
import { OverviewView } from "./lib/ops-overview";
import { ServiceAccountsView } from "./lib/ops-service-accounts";
import { StoryView } from "./lib/ops-story";
import { AccessLost, type View } from "./lib/ops-ui";
import { staffDoor } from "./lib/staff-sign-in";
import { currentSession } from "./session";

const consoleSection = byId("console");

/** A view told the console the session is gone (401) or not ops (403): the page says which, and stops polling. */
function accessLost(err: unknown): void {
  if (!(err instanceof AccessLost)) {
    console.error(err);
    return;
  }
  leave();
  if (err.status === 403) {
    door.show("refused");
    return showNotOps();
  }
  door.show("signedOut");
  const note = byId("signin-error");
  note.textContent = "Your session has ended. Sign in again.";
  note.hidden = false;
}

const view = (id: string) => byId(`view-${id}`);
const views: View[] = [
  new OverviewView(view("overview"), accessLost),
  new AlertsView(view("alerts")),
  new StoryView(view("request")),
  new LogsView(view("logs"), accessLost),
  new DeadLettersView(view("dead-letters"), accessLost),
  new SpamView(view("spam"), accessLost),
  new SecurityView(view("security"), accessLost),
  new ServiceAccountsView(view("service-accounts"), accessLost),
  new LinkedinView(view("linkedin"), accessLost),
  new HealthView(view("health"), accessLost),
  new AuditView(view("audit"), accessLost),
];
let current: View | undefined;

/** Stops the view on screen (its polling): signed out, or refused. */
function leave(): void {
  current?.hide?.();
  current = undefined;
}

/** Shows the view the hash names (`#<view>` or `#<view>/<arg>`), the overview when it names none. */
function route(): void {
  if (consoleSection.hidden) return;
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
}

// The roles the gateway lets through to /api/ops (access "ops").
const door = staffDoor({
  roles: new Set(["ops", "admin"]),
  parts: { signedOut: byId("signed-out"), refused: byId("not-ops"), inside: consoleSection },
  signOutButtons: ["signout", "not-ops-signout"],
  enter: (session) => {
    byId("who").textContent = `${session.user.name} (${session.user.role})`;
    route();
  },
  refuse: showNotOps,
  leave,
});

window.addEventListener("hashchange", route);
