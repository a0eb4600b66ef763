/**
 * Resetting a password: without a token, the form that asks for a link; opened from the link, the form that sets the
 * new password. Both answers are read as text only.
 */
import { api, byId } from "./api";
import { takeLinkToken } from "./lib/account-link";
import { handleForm } from "./lib/problems";

const token = takeLinkToken();
const status = byId("reset-status");
const post = (path: string, body: unknown) => api<{ message?: string } | undefined>(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** The form's answer replaces it, as text. */
function said(text: string, form: HTMLFormElement): void {
  form.hidden = true;
  status.textContent = text;
  status.focus();
}

const asked = handleForm("request", ["email"], async (body) => (await post("/api/password-resets", { email: body.email }))?.message ?? "Check your inbox.", said);
const chosen = handleForm(
  "choose",
  ["password"],
  async (body) => {
    await post("/api/password-resets/confirm", { token, password: body.password });
    return "Your password is changed, and every session of your account is signed out. Sign in with the new one.";
  },
  said,
);
(token ? chosen : asked).hidden = false;
