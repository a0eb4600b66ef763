// The intake part of `npm run bench`: multipart submissions with a 1 MB and a 20 MB file (p50 over a few
// runs each) and the email intake of a message with two attachments, against a running platform.
//
// Peak memory: every worker of the platform runs in one workerd process (wrangler dev with several configs),
// so a worker's own heap cannot be read from outside. The function samples the resident set size (RSS, from
// /proc/<pid>/status) of the workerd processes descended from this Node process every 20 ms during the runs,
// and reports the peak and the peak above the idle baseline: an upper bound of what the submissions cost.
// On a machine without /proc (or when the platform was not started by this process) memory is reported null.
import { readFileSync, readdirSync } from "node:fs";

const MB = 1000 * 1000;

let ip = 0;
/** Each submission from its own address, so the per-client submission limit (30/min) does not apply. */
function nextIp() {
  ip++;
  return `10.77.${(ip >> 8) & 255}.${ip & 255}`;
}

/** A file that sniffs as PDF, `size` bytes long. Padding after the header is what a scanned PDF looks like to a sniffer. */
function pdfOf(size) {
  const bytes = new Uint8Array(size).fill(0x20);
  bytes.set(new TextEncoder().encode("%PDF-1.4\n% bench\n"));
  return bytes;
}

function workerdPids() {
  let procs;
  try {
    procs = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  const info = new Map();
  for (const pid of procs) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      info.set(Number(pid), { ppid, comm });
    } catch {}
  }
  const descends = (pid) => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = info.get(p)?.ppid ?? 0, hops++) if (p === process.pid) return true;
    return false;
  };
  return [...info].filter(([pid, i]) => i.comm === "workerd" && descends(pid)).map(([pid]) => pid);
}

function rssBytes(pids) {
  let total = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      total += Number(m?.[1] ?? 0) * 1024;
    } catch {}
  }
  return total;
}

/** Samples RSS until stopped; returns { baseline, peak } in bytes, or null without workerd processes to watch. */
function sampleMemory() {
  const pids = workerdPids();
  if (!pids.length) return { stop: () => null };
  const baseline = rssBytes(pids);
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, rssBytes(pids))), 20);
  return { stop: () => (clearInterval(timer), { baseline, peak }) };
}

const p50 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function submitMultipart(apiUrl, file, name) {
  const form = new FormData();
  form.append("name", "Bench Client");
  form.append("email", "bench@example.com");
  form.append("text", "Our recorded requirements and the brief are attached.");
  form.append("files", new File([file], name, { type: "application/pdf" }));
  const started = performance.now();
  const res = await fetch(`${apiUrl}/api/requests`, { method: "POST", body: form, headers: { "cf-connecting-ip": nextIp() } });
  const body = await res.text();
  if (res.status !== 202) throw new Error(`multipart submission answered ${res.status}: ${body}`);
  return performance.now() - started;
}

function emailWithTwoAttachments() {
  const boundary = `b-${crypto.randomUUID()}`;
  const b64 = (bytes) => (Buffer.from(bytes).toString("base64").match(/.{1,76}/g) ?? []).join("\r\n");
  const attach = (name, type, bytes) => [`--${boundary}`, `Content-Type: ${type}`, "Content-Transfer-Encoding: base64", `Content-Disposition: attachment; filename="${name}"`, "", b64(bytes)].join("\r\n");
  return [
    "From: Bench Sender <bench-mail@example.com>",
    "To: requests@statex.local",
    "Subject: Booking website",
    `Message-ID: <${crypto.randomUUID()}@bench.example>`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    "We need an online booking website for three clinics; the brief and our notes are attached.",
    attach("brief.pdf", "application/pdf", pdfOf(200 * 1000)),
    attach("notes.md", "text/markdown", new TextEncoder().encode("# Notes\n\n- three clinics\n- SMS reminders\n")),
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

async function deliverEmail(apiUrl) {
  const started = performance.now();
  const res = await fetch(`${apiUrl}/cdn-cgi/handler/email?from=bench-mail%40example.com&to=requests%40statex.local`, { method: "POST", body: emailWithTwoAttachments() });
  const text = await res.text();
  if (!res.ok) throw new Error(`email intake answered ${res.status}: ${text}`);
  return performance.now() - started;
}

/**
 * Measures intake on a running platform. `apiUrl` is the gateway's origin (http://127.0.0.1:8787).
 * Returns milliseconds (p50) per case and memory in MB (null where it cannot be measured).
 */
export async function benchIntake(apiUrl, { runs = 10 } = {}) {
  const results = {};
  for (const [label, size] of [["multipart1MB", 1 * MB], ["multipart20MB", 20 * MB]]) {
    const file = pdfOf(size);
    await submitMultipart(apiUrl, file, `${label}.pdf`); // warm-up
    const memory = sampleMemory();
    const times = [];
    for (let i = 0; i < runs; i++) times.push(await submitMultipart(apiUrl, file, `${label}.pdf`));
    const mem = memory.stop();
    results[label] = {
      p50Ms: Math.round(p50(times)),
      peakRssMB: mem ? Math.round(mem.peak / MB) : null,
      peakAboveIdleMB: mem ? Math.round((mem.peak - mem.baseline) / MB) : null,
    };
  }
  await deliverEmail(apiUrl); // warm-up
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await deliverEmail(apiUrl));
  results.emailTwoAttachments = { p50Ms: Math.round(p50(times)) };
  return results;
}
