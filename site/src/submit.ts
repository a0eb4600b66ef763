/** The request form: submits JSON, shows field errors from problem+json, then opens the status page. */
import { ApiError, api, byId } from "./api";

type Submitted = { id: string; status: string; statusUrl: string };

const form = byId<HTMLFormElement>("request-form");
const button = byId<HTMLButtonElement>("submit");
const formError = byId("form-error");
const fields = ["name", "email", "text"] as const;

function clearErrors(): void {
  formError.hidden = true;
  for (const f of fields) {
    byId(`${f}-error`).textContent = "";
    byId(f).removeAttribute("aria-invalid");
  }
}

function showErrors(err: ApiError): void {
  let placed = false;
  for (const { field, message } of err.problem.errors ?? []) {
    if ((fields as readonly string[]).includes(field)) {
      byId(`${field}-error`).textContent = message;
      byId(field).setAttribute("aria-invalid", "true");
      placed = true;
    }
  }
  if (!placed) {
    formError.textContent = err.problem.detail ?? err.problem.title;
    formError.hidden = false;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearErrors();
  const data = new FormData(form);
  const body = Object.fromEntries(fields.map((f) => [f, String(data.get(f) ?? "")]));
  button.disabled = true;
  api<Submitted>("/api/requests", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...body, channel: "web" }),
  })
    .then((res) => {
      const token = new URL(res.statusUrl, location.origin).searchParams.get("token") ?? "";
      location.assign(`/request.html?id=${encodeURIComponent(res.id)}&token=${encodeURIComponent(token)}`);
    })
    .catch((err: unknown) => {
      button.disabled = false;
      if (err instanceof ApiError) showErrors(err);
      else {
        formError.textContent = "Could not reach StateX. Check your connection and try again.";
        formError.hidden = false;
      }
    });
});
