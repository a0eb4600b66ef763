/** The page an address's verification link opens: it sends the link's token to the API and says what came of it. */
import { ApiError, api, byId } from "./api";
import { takeLinkToken } from "./lib/account-link";

const status = byId("verify-status");
const token = takeLinkToken();

async function verify(): Promise<string> {
  if (!token) return "This page needs the link from your email: open the link itself, or ask for a new one on your account page.";
  try {
    await api("/api/users/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
    return "Your email address is confirmed. The requests you sent with it are now in your account.";
  } catch (err) {
    if (err instanceof ApiError) return `${err.problem.detail ?? err.problem.title}. Sign in to have a new link sent.`;
    return "Could not reach StateX. Check your connection and open the link again.";
  }
}

void verify().then((text) => {
  status.textContent = text;
});
