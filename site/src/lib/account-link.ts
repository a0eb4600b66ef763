/**
 * The token of an account link (`?token=…` from a verification or reset email), taken out of the address bar as soon
 * as it is read, so it is kept in no history entry, bookmark or screenshot of the page.
 */
export function takeLinkToken(): string | null {
  const url = new URL(location.href);
  const token = url.searchParams.get("token");
  if (token !== null) {
    url.searchParams.delete("token");
    history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
  }
  return token;
}
