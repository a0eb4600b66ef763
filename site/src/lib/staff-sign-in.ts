/**
 * The door of a staff page (the ops console; any page for some roles only): signing in as on the account page (the
 * access token in the page's memory, the refresh cookie it never sees), then the page itself for the roles it
 * serves, or a note that it is not for this account. One copy, so every staff page signs in, refuses and signs out
 * alike.
 */
import { api, byId } from "../api";
import { type Session, type SignedIn, currentSession, keepSession, sessionReady, signOut } from "../session";
import { handleForm } from "./problems";

/** The page's three states, each a section of it: signed out (with the `signin` form), refused, inside. */
export type StaffParts = { signedOut: HTMLElement; refused: HTMLElement; inside: HTMLElement };

export type StaffDoor = {
  /** Shows one state (the page's own code calls it when the API says the session ended or is refused). */
  show(state: keyof StaffParts): void;
};

/**
 * Wires the page's sign-in form (`signin-*` ids, a `heading` to focus after) and its sign-out buttons, and decides
 * once the session is known: `enter` for the roles given, `refuse` for anyone else; `leave` runs on signing out.
 */
export function staffDoor(options: {
  roles: ReadonlySet<string>;
  parts: StaffParts;
  signOutButtons: string[];
  enter: (session: Session) => void;
  refuse: (session: Session) => void;
  leave: () => void;
}): StaffDoor {
  const { parts } = options;
  const show = (state: keyof StaffParts) => {
    for (const [name, el] of Object.entries(parts)) el.hidden = name !== state;
  };
  const arrive = () => {
    const session = currentSession();
    if (!session) return show("signedOut");
    if (!options.roles.has(session.user.role)) {
      show("refused");
      return options.refuse(session);
    }
    show("inside");
    options.enter(session);
  };
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
  for (const id of options.signOutButtons) {
    byId(id).addEventListener("click", () => {
      options.leave();
      show("signedOut");
      void signOut();
    });
  }
  // Which state to show is known once the silent refresh has answered.
  void sessionReady().then(arrive);
  return { show };
}
