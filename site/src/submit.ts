/**
 * The request form: contact fields, how to be notified (channels in order, language), text, files (dropped or
 * chosen) and a voice note, sent as one multipart submission with a progress bar per file. Large files go ahead
 * through the resumable upload API. Problems come back as problem+json and land next to the field or file they name.
 */
import { NOTIFICATION_CHANNELS, notificationLocale } from "@statex/shared/notifications";
import { ApiError, byId } from "./api";
import { Attachments, type Attachment } from "./lib/attachments";
import { ChannelOrder, errorsOnList } from "./lib/channel-order";
import { ACCEPT, LIMITS_HINT, RESUMABLE_FROM_BYTES } from "./lib/files";
import { type Part, fractionSent, multipart } from "./lib/multipart";
import { VoiceRecorder } from "./lib/recorder";
import { uploadResumable } from "./lib/resumable";
import { FILE_FIELD, fieldErrors } from "./lib/problems";
import { NetworkError, expectOk, send } from "./lib/xhr";
import { authHeaders, refreshAfterRefusal, sessionReady } from "./session";

type Submitted = { id: string; status: string; statusUrl: string };

const form = byId<HTMLFormElement>("request-form");
const button = byId<HTMLButtonElement>("submit");
const formError = byId("form-error");
const fileInput = byId<HTMLInputElement>("files");
const dropzone = byId("dropzone");
const liveStatus = byId("upload-status");
/** Fields with their own error line; errors naming anything else go to the summary. */
const fields = ["name", "email", "phone", "telegram", "whatsapp", "linkedin", "notifyBy", "locale", "text", FILE_FIELD] as const;
const optional = new Set(["phone", "telegram", "whatsapp", "linkedin"]);

/**
 * One key per form fill, so a double click or a resend after a lost answer returns the first request instead of
 * making a second. A refusal (4xx) created nothing, so the corrected form gets a new key: the server answers 409
 * to a known key with a different body.
 */
let idempotencyKey = crypto.randomUUID();

const announce = (text: string) => {
  liveStatus.textContent = text;
};

const attachments = new Attachments(byId<HTMLUListElement>("file-list"), {
  announce,
  removed: (a) => recorder.forget(a.file),
  fallbackFocus: fileInput,
});

const recorder = new VoiceRecorder(
  {
    record: byId<HTMLButtonElement>("record"),
    stop: byId<HTMLButtonElement>("stop"),
    timer: byId("timer"),
    message: byId("recorder-message"),
    recording: byId("recording"),
    playback: byId<HTMLAudioElement>("playback"),
    discard: byId<HTMLButtonElement>("discard"),
    again: byId<HTMLButtonElement>("record-again"),
  },
  { recorded: (file) => attachments.add([file]), discarded: (file) => attachments.removeFile(file) },
);

// A signed-in client's name and email are known; they can still change them for this request.
void sessionReady().then((signedIn) => {
  if (!signedIn) return;
  for (const [field, value] of [["name", signedIn.user.name], ["email", signedIn.user.email]] as const) {
    const input = byId<HTMLInputElement>(field);
    if (!input.value) input.value = value;
  }
  byId("sending-as-who").textContent = `${signedIn.user.name} (${signedIn.user.email})`;
  byId("sending-as").hidden = false;
  byId("notifyBy-account").hidden = false;
});

/** The channels to notify on, in order. Every channel is offered: which of them reach the client depends on the rest of the form. */
const notifyBy = new ChannelOrder(byId("notifyBy"), "notifyBy", "notifyBy-hint notifyBy-error");
notifyBy.offer(NOTIFICATION_CHANNELS);
byId<HTMLSelectElement>("locale").value = notificationLocale(navigator.language);

fileInput.accept = ACCEPT;
byId("files-limits").textContent = LIMITS_HINT;
fileInput.addEventListener("change", () => {
  attachments.add(fileInput.files ?? []);
  // Cleared so that choosing the same file again (after removing it) fires change again.
  fileInput.value = "";
});

for (const type of ["dragenter", "dragover"] as const) {
  dropzone.addEventListener(type, (e) => {
    e.preventDefault();
    dropzone.classList.add("over");
  });
}
dropzone.addEventListener("dragleave", (e) => {
  if (!(e.relatedTarget instanceof Node && dropzone.contains(e.relatedTarget))) dropzone.classList.remove("over");
});
dropzone.addEventListener("drop", (e) => {
  e.preventDefault();
  dropzone.classList.remove("over");
  attachments.add(e.dataTransfer?.files ?? []);
});
// A file dropped beside the zone would make the browser open it and lose everything typed so far.
for (const type of ["dragover", "drop"] as const) window.addEventListener(type, (e) => e.preventDefault());

function clearErrors(): void {
  formError.hidden = true;
  for (const f of fields) {
    byId(`${f}-error`).textContent = "";
    byId(f).removeAttribute("aria-invalid");
  }
  attachments.clearErrors();
}

function showSummary(text: string, focus = true): void {
  formError.textContent = text;
  formError.hidden = false;
  if (focus) formError.focus();
}

/** Puts each error next to what it names and focuses the first, in page order. */
function showErrors(err: ApiError): void {
  // An error about one place of the order (`notifyBy.1`) belongs to the order's one error line.
  const placed = fieldErrors(errorsOnList(err.problem, "notifyBy"), fields, attachments);
  for (const { field, message } of placed.fields) {
    byId(`${field}-error`).textContent = message;
    byId(field).setAttribute("aria-invalid", "true");
  }
  for (const { attachment, message } of placed.files) attachments.fail(attachment, message);
  if (placed.other.length) showSummary(placed.other.join(" "));
  else if (!placed.fields.length && !placed.files.length) showSummary(err.problem.detail ?? err.problem.title);
  else placed.first?.focus();
}

function setBusy(busy: boolean): void {
  button.disabled = busy;
  button.textContent = busy ? "Sending…" : "Send request";
  fileInput.disabled = busy;
  attachments.lock(busy);
  recorder.setDisabled(busy);
}

/** Thrown when a large file's upload failed; its error is already shown next to it. */
class UploadFailed extends Error {
  constructor(readonly attachment: Attachment) {
    super(`${attachment.file.name} was not uploaded`);
  }
}

async function uploadAhead(a: Attachment): Promise<void> {
  if (a.uploaded) return;
  try {
    await uploadResumable(a.file, a.session, {
      onSession: (session) => {
        a.session = session;
      },
      onProgress: (sent) => attachments.progress(a, sent / a.file.size),
    });
    a.uploaded = true;
    attachments.progress(a, 1);
  } catch (err) {
    if (err instanceof ApiError) attachments.fail(a, err.problem.errors?.[0]?.message ?? err.problem.detail ?? err.problem.title);
    else attachments.fail(a, "The connection dropped during the upload. Press Send request again to resume where it stopped.");
    throw new UploadFailed(a);
  }
}

function formParts(inline: Attachment[], ahead: Attachment[]): Part[] {
  const data = new FormData(form);
  const value = (name: string) => String(data.get(name) ?? "").trim();
  const parts: Part[] = [];
  for (const name of ["name", "email", "text", "phone", "telegram", "whatsapp", "linkedin"]) {
    if (!optional.has(name) || value(name)) parts.push({ name, value: value(name) });
  }
  // A form carries the order as one field, as intake reads it from a form.
  const order = notifyBy.value();
  if (order.length) parts.push({ name: "notifyBy", value: order.join(",") });
  parts.push({ name: "locale", value: value("locale") });
  parts.push({ name: "channel", value: "web" }, { name: "website", value: String(data.get("website") ?? "") });
  // Present only once a Turnstile widget renders into #turnstile (it adds this input to the form).
  const turnstile = data.get("cf-turnstile-response");
  if (typeof turnstile === "string") parts.push({ name: "cf-turnstile-response", value: turnstile });
  for (const a of ahead) {
    if (!a.session) continue;
    parts.push({ name: "uploadIds", value: a.session.id }, { name: "uploadTokens", value: a.session.uploadToken });
  }
  for (const a of inline) parts.push({ name: "files", file: a.file, filename: a.file.name });
  return parts;
}

async function submit(): Promise<void> {
  const files = attachments.accepted();
  const ahead = files.filter((a) => a.file.size > RESUMABLE_FROM_BYTES);
  const inline = files.filter((a) => a.file.size <= RESUMABLE_FROM_BYTES);
  if (files.length) announce(`Uploading ${files.length} file${files.length === 1 ? "" : "s"}…`);
  // One at a time: parallel uploads share the same connection, so they finish no sooner, and each bar moves steadily.
  for (const a of ahead) await uploadAhead(a);

  const { body, contentType, ranges } = multipart(formParts(inline, ahead));
  const sent = await send({
    method: "POST",
    url: "/api/requests",
    body,
    // Signed in, the request is the client's own: it is listed on their dashboard.
    headers: { "content-type": contentType, "idempotency-key": idempotencyKey, ...(await authHeaders()) },
    onProgress: (loaded) =>
      inline.forEach((a, i) => {
        const range = ranges[i];
        if (range) attachments.progress(a, fractionSent(range, loaded));
      }),
  });
  const res = expectOk<Submitted>(sent);
  for (const a of inline) attachments.progress(a, 1);
  idempotencyKey = crypto.randomUUID();
  announce("Request sent. Opening its status page…");
  const token = new URL(res.statusUrl, location.origin).searchParams.get("token") ?? "";
  location.assign(`/request.html?id=${encodeURIComponent(res.id)}&token=${encodeURIComponent(token)}`);
}

/**
 * The access token was refused, so nothing was created: sent again under a new one if the session still refreshes
 * (its key was changed, say); otherwise the session has ended (signed out elsewhere), is forgotten, and the client
 * decides.
 */
async function onRefused(): Promise<void> {
  if (await refreshAfterRefusal()) {
    showSummary("Your sign-in was renewed. Press Send request again to send it.");
    return;
  }
  byId("sending-as").hidden = true;
  showSummary("Your session has ended, so nothing was sent. Sign in again under Your requests to have it listed there, or send it now without an account.");
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  // A second click while sending would otherwise start a second upload of the same files.
  if (button.disabled) return;
  clearErrors();
  setBusy(true);
  submit().catch((err: unknown) => {
    setBusy(false);
    if (err instanceof UploadFailed) {
      // The alert is read out anyway; focus goes to the file so its error is read with its name.
      showSummary("A file could not be uploaded; see the message next to it.", false);
      err.attachment.item.focus();
    }
    else if (err instanceof ApiError) {
      if (err.problem.status >= 400 && err.problem.status < 500 && err.problem.status !== 409) idempotencyKey = crypto.randomUUID();
      if (err.problem.status === 401) void onRefused();
      else showErrors(err);
    } else if (err instanceof NetworkError || err instanceof TypeError) showSummary("Could not reach StateX. Check your connection and try again.");
    else showSummary("Something went wrong in this page. Please try again.");
  });
});
