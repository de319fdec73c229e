// Reframe playground: plain JS against the public API (no build step, no dependencies).
// Flow: key (localStorage) + video (data: URI) + options -> POST -> live state over SSE (fetch-streamed,
// because EventSource cannot send an Authorization header) with polling as the fallback -> result.
"use strict";

const API = new URL("/v2/", location.origin);
const KEY_STORAGE = "reframe.apiKey";
const $ = (id) => document.getElementById(id);

const els = {
  key: $("api-key"), forget: $("forget-key"), form: $("request-form"), file: $("video-file"), drop: $("drop-zone"),
  dropText: $("drop-text"), fileInfo: $("file-info"), url: $("video-url"), submit: $("submit"), cancel: $("cancel"),
  reset: $("reset"), formError: $("form-error"), card: $("status-card"), badge: $("status-badge"),
  statusText: $("status-text"), fill: $("progress-fill"), detail: $("status-detail"), genId: $("generation-id"),
  source: $("source-video"), sourceEmpty: $("source-empty"), result: $("result-video"), resultFrame: $("result-frame"),
  resultEmpty: $("result-empty"), keep: $("keep-rect"), download: $("download-link"), outline: $("toggle-outline"),
  facts: $("result-facts"),
};

let sourceDataUri = null;
let sourceObjectUrl = null;
let current = null; // { id, abort: AbortController }

// ---- key -------------------------------------------------------------------------------------------
els.key.value = localStorage.getItem(KEY_STORAGE) ?? "";
els.key.addEventListener("input", () => localStorage.setItem(KEY_STORAGE, els.key.value.trim()));
els.forget.addEventListener("click", () => { localStorage.removeItem(KEY_STORAGE); els.key.value = ""; });

// ---- source video -----------------------------------------------------------------------------------
els.file.addEventListener("change", () => { if (els.file.files[0]) useFile(els.file.files[0]); });
for (const type of ["dragenter", "dragover"]) {
  els.drop.addEventListener(type, (e) => { e.preventDefault(); els.drop.classList.add("over"); });
}
for (const type of ["dragleave", "drop"]) {
  els.drop.addEventListener(type, (e) => { e.preventDefault(); els.drop.classList.remove("over"); });
}
els.drop.addEventListener("drop", (e) => { const f = e.dataTransfer?.files?.[0]; if (f) useFile(f); });
els.url.addEventListener("change", () => {
  if (!els.url.value) return;
  sourceDataUri = null;
  showSource(els.url.value);
  els.dropText.textContent = "Using the URL below";
  els.fileInfo.textContent = "";
});

function useFile(file) {
  if (!file.type.startsWith("video/") && !/\.(mp4|mov|webm|mkv|avi|m4v)$/i.test(file.name)) {
    showFormError(`"${file.name}" does not look like a video.`);
    return;
  }
  hideFormError();
  const reader = new FileReader();
  reader.onload = () => { sourceDataUri = reader.result; };
  reader.onerror = () => showFormError(`Could not read "${file.name}": ${reader.error}`);
  reader.readAsDataURL(file);
  if (sourceObjectUrl) URL.revokeObjectURL(sourceObjectUrl);
  sourceObjectUrl = URL.createObjectURL(file);
  showSource(sourceObjectUrl);
  els.url.value = "";
  els.drop.classList.add("has-file");
  els.dropText.textContent = file.name;
  els.fileInfo.textContent = `${(file.size / 1048576).toFixed(2)} MB · sent inline as a data: URI`;
}

function showSource(src) {
  els.source.src = src;
  els.source.play().catch(() => {});
  els.sourceEmpty.hidden = true;
}

// ---- options ----------------------------------------------------------------------------------------
const negativeDefault = $("negative-default").content.textContent.trim();
const negative = els.form.elements.namedItem("negative_prompt");

function defaultOf(el) {
  return el.dataset.defaultFrom ? negativeDefault : (el.dataset.default ?? "");
}

function resetOptions() {
  for (const el of els.form.querySelectorAll("[name]")) {
    const d = defaultOf(el);
    if (el.type === "checkbox") el.checked = d === "true"; else el.value = d;
  }
  updateOutputs();
}

function updateOutputs() {
  for (const out of els.form.querySelectorAll("output")) {
    out.textContent = Number(els.form.elements.namedItem(out.htmlFor.value).value).toFixed(2);
  }
}

// Only fields that differ from the contract's defaults are sent: the server applies its own defaults,
// and the request stays readable.
function collectOptions() {
  const body = {};
  const problems = [];
  for (const el of els.form.querySelectorAll("[name]")) {
    const name = el.name;
    const d = defaultOf(el);
    if (el.type === "checkbox") {
      if (String(el.checked) !== d) body[name] = el.checked;
      continue;
    }
    const raw = el.value.trim();
    if (raw === d || (raw === "" && d === "")) continue;
    if (el.dataset.type === "int" || el.dataset.type === "number") {
      const n = Number(raw);
      if (raw === "" || !Number.isFinite(n) || (el.dataset.type === "int" && !Number.isInteger(n))) {
        problems.push(`${name}: expected ${el.dataset.type === "int" ? "a whole number" : "a number"}, got "${raw}"`);
        continue;
      }
      const min = el.min === "" ? -Infinity : Number(el.min), max = el.max === "" ? Infinity : Number(el.max);
      if (n < min || n > max) problems.push(`${name}: must be between ${el.min} and ${el.max}, got ${n}`);
      if (Number(d) !== n) body[name] = n;
    } else {
      body[name] = raw;
    }
  }
  return { body, problems };
}

els.form.addEventListener("input", updateOutputs);
els.reset.addEventListener("click", resetOptions);

// ---- submit, follow, cancel ----------------------------------------------------------------------------
els.form.addEventListener("submit", async (e) => {
  e.preventDefault();
  hideFormError();
  const key = els.key.value.trim();
  if (!key) return showFormError("Paste an API key first (top right). Create one with: reframe keys create");
  const videoUrl = sourceDataUri ?? els.url.value.trim();
  if (!videoUrl) return showFormError("Choose or drop a video (or give its URL).");
  const { body, problems } = collectOptions();
  if (problems.length) return showFormError(problems.join("\n"));

  current?.abort.abort();
  const request = { model: "alibaba/wan2.2-vace-fun-a14b-reframe", video_url: videoUrl, ...body };
  clearResult();
  els.submit.disabled = true;
  setState({ status: "submitting" }, "Uploading the request…");
  try {
    const created = await api("POST", "video/generations", key, request);
    current = { id: created.id, abort: new AbortController(), key };
    els.genId.textContent = created.id;
    els.cancel.hidden = false;
    render(created);
    const final = await follow(created.id, key, current.abort.signal);
    if (final) render(final);
  } catch (err) {
    if (err.name !== "AbortError") {
      showFormError(err.message);
      setState({ status: "error" }, "Request failed");
    }
  } finally {
    els.submit.disabled = false;
    els.cancel.hidden = true;
  }
});

els.cancel.addEventListener("click", async () => {
  if (!current) return;
  try {
    await api("DELETE", `video/generations?generation_id=${encodeURIComponent(current.id)}`, current.key);
    els.statusText.textContent = "Cancellation requested…";
  } catch (err) {
    showFormError(err.message);
  }
});

// Follows a task to its end: SSE first, polling when the stream is unavailable or drops.
async function follow(id, key, signal) {
  try {
    const last = await followEvents(id, key, signal);
    if (last && isTerminal(last.status)) return last;
  } catch (err) {
    if (err.name === "AbortError") throw err;
    console.info("event stream unavailable, polling instead:", err.message);
  }
  return poll(id, key, signal);
}

async function followEvents(id, key, signal) {
  const response = await fetch(new URL(`video/generations/events?generation_id=${encodeURIComponent(id)}`, API), {
    headers: { Authorization: `Bearer ${key}`, Accept: "text/event-stream" }, signal,
  });
  if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
  els.card.dataset.transport = "events"; // shown to tests and curious users: which path delivers the updates
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "", last = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return last;
    buffer += value;
    let cut;
    while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, "");
      const data = block.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) => l.slice(5).replace(/^ /, "")).join("\n");
      if (!data.startsWith("{")) continue; // heartbeats are comments; anything else is not ours
      last = JSON.parse(data);
      render(last);
      if (isTerminal(last.status)) { reader.cancel().catch(() => {}); return last; }
    }
  }
}

async function poll(id, key, signal) {
  els.card.dataset.transport = "polling";
  for (;;) {
    const state = await api("GET", `video/generations?generation_id=${encodeURIComponent(id)}`, key, undefined, signal);
    render(state);
    if (isTerminal(state.status)) return state;
    await new Promise((resolve, reject) => {
      const t = setTimeout(resolve, 1500);
      signal.addEventListener("abort", () => { clearTimeout(t); reject(new DOMException("aborted", "AbortError")); }, { once: true });
    });
  }
}

async function api(method, path, key, body, signal) {
  const response = await fetch(new URL(path, API), {
    method, signal,
    headers: { Authorization: `Bearer ${key}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: reported as text below */ }
  if (!response.ok) {
    const hint = { 401: "\nCheck the API key (top right).", 413: "\nThe video is larger than the server accepts; try a shorter or smaller clip.", 429: "\nToo many requests for this key; wait a moment." }[response.status] ?? "";
    const details = json?.details ? "\n" + json.details.map((d) => typeof d === "string" ? d : Object.entries(d).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join(", ")).join("\n") : "";
    throw new Error(`HTTP ${response.status}: ${json?.message ?? text ?? response.statusText}${details}${hint}`);
  }
  return json;
}

const isTerminal = (status) => status === "completed" || status === "error";

// ---- rendering --------------------------------------------------------------------------------------------
function setState(state, text) {
  els.card.dataset.state = state.status;
  els.badge.textContent = state.status;
  els.statusText.textContent = text;
}

function render(gen) {
  const meta = gen.meta ?? {};
  const p = meta.progress ?? null;
  let text = "", detail = "", percent = 0;
  switch (gen.status) {
    case "queued":
      text = meta.queue_position == null ? "Waiting in the queue" :
        meta.queue_position === 0 ? "Next in line" : `Queue position ${meta.queue_position + 1}`;
      break;
    case "generating":
      text = p?.stage ? `${p.stage.replace(/_/g, " ")}` : "Generating";
      if (p?.total_steps > 1) detail = `step ${p.step} of ${p.total_steps}`;
      percent = p?.percent ?? 0;
      if (percent) text += ` · ${percent.toFixed(0)}%`;
      break;
    case "completed":
      text = "Done"; percent = 100;
      detail = meta.usage ? `${Number(meta.usage.credits_used).toLocaleString()} credits` : "";
      if (meta.engine) detail += `${detail ? " · " : ""}engine ${meta.engine}`;
      if (meta.seed != null) detail += ` · seed ${meta.seed}`;
      break;
    case "error":
      text = gen.error ? `${gen.error.name}: ${gen.error.message}` : "Failed";
      percent = 100;
      break;
    default:
      text = gen.status;
  }
  setState(gen, text);
  els.detail.textContent = detail;
  els.fill.style.width = `${Math.max(0, Math.min(100, percent))}%`;
  if (gen.status === "completed" && gen.video?.url) showResult(gen);
}

function clearResult() {
  els.result.removeAttribute("src");
  els.result.load();
  els.resultEmpty.hidden = false;
  els.keep.hidden = true;
  els.download.hidden = true;
  els.facts.textContent = "";
  els.genId.textContent = "";
}

function showResult(gen) {
  const v = gen.video;
  els.result.src = v.url;
  els.result.play().catch(() => {});
  els.resultEmpty.hidden = true;
  els.download.href = v.url;
  els.download.hidden = false;
  const facts = [];
  if (v.width && v.height) facts.push(`${v.width}×${v.height}`);
  if (v.fps) facts.push(`${Number(v.fps).toFixed(2).replace(/\.00$/, "")} fps`);
  if (v.num_frames) facts.push(`${v.num_frames} frames`);
  if (v.file_size) facts.push(`${(v.file_size / 1048576).toFixed(2)} MB`);
  els.facts.textContent = facts.join(" · ");
  const canvas = { w: v.width, h: v.height };
  const rect = gen.meta?.keep_rect ?? gen.meta?.content_rect;
  if (canvas.w && canvas.h) {
    els.resultFrame.style.aspectRatio = `${canvas.w} / ${canvas.h}`;
    if (rect) drawKeep(rect, canvas, "kept source");
    else estimateKeep(canvas);
  }
}

function drawKeep(rect, canvas, label) {
  const k = els.keep.style;
  k.left = `${(100 * rect.x) / canvas.w}%`;
  k.top = `${(100 * rect.y) / canvas.h}%`;
  k.width = `${(100 * rect.width) / canvas.w}%`;
  k.height = `${(100 * rect.height) / canvas.h}%`;
  els.keep.dataset.label = label;
  els.keep.dataset.x = rect.x; els.keep.dataset.y = rect.y;
  els.keep.dataset.w = rect.width; els.keep.dataset.h = rect.height;
  els.keep.hidden = !els.outline.checked;
}

// For servers that do not report the rectangle (the hosted API): the spec's fit rule, assuming no bars were trimmed.
function estimateKeep(canvas) {
  const sw = els.source.videoWidth, sh = els.source.videoHeight;
  if (!sw || !sh) return;
  const zoom = Number(els.form.elements.namedItem("zoom_factor").value) || 0;
  const s = Math.min(canvas.w / sw, canvas.h / sh) * (1 + zoom);
  const w = Math.min(canvas.w, Math.round(sw * s)), h = Math.min(canvas.h, Math.round(sh * s));
  drawKeep({ x: Math.round((canvas.w - w) / 2), y: Math.round((canvas.h - h) / 2), width: w, height: h }, canvas, "source (estimated)");
}

// Source and result play as one: a click on either pauses or plays both, in step.
for (const video of [els.source, els.result]) {
  video.addEventListener("click", () => {
    const play = video.paused;
    const t = video.currentTime;
    for (const v of [els.source, els.result]) {
      if (!v.src) continue;
      if (play) { v.currentTime = t; v.play().catch(() => {}); } else { v.pause(); }
    }
  });
}

els.outline.addEventListener("change", () => { if (els.keep.dataset.label) els.keep.hidden = !els.outline.checked; });

function showFormError(message) { els.formError.textContent = message; els.formError.hidden = false; }
function hideFormError() { els.formError.hidden = true; els.formError.textContent = ""; }

resetOptions();
