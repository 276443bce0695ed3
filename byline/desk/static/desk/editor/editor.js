// The desk's editor: Tiptap (from django-prose-editor's bundle) with Byline's blocks, the side
// panel, saving, autosave, preview, photos and corrections. Talks JSON to /wp-admin/editor/*.
import {
  Editor, Document, Paragraph, Text, Bold, Italic, Heading, BulletList, OrderedList, ListItem,
  Blockquote, HorizontalRule, Link, History, HardBreak, Dropcursor, Gapcursor, TrailingNode, Extension,
} from "../../django_prose_editor/editor.js";
import { Figure, makeClipping, PullQuote, HtmlBlock } from "./nodes.js";

const $ = (id) => document.getElementById(id);
const root = document.querySelector(".ed");
const zone = root.dataset.zone;
const canPublish = root.dataset.canPublish === "1";
// Read at each request: signing in again in another tab rotates the token.
const csrfToken = () =>
  document.cookie.split("; ").find((c) => c.startsWith("csrftoken="))?.slice(10) ||
  document.querySelector('meta[name="csrf-token"]').content;
const state = JSON.parse($("editor-state").textContent);
const offer = JSON.parse($("editor-autosave").textContent);
const AUTOSAVE_AFTER_MS = 3000;

const say = (text, kind = "") => {
  const el = $("ed-status");
  el.textContent = text;
  el.dataset.kind = kind;
};

async function call(url, body, method = "POST") {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: method === "POST" ? { "Content-Type": "application/json", "X-CSRFToken": csrfToken() } : {},
      body: method === "POST" ? JSON.stringify(body) : undefined,
      credentials: "same-origin",
      redirect: "manual",
    });
  } catch {
    return { ok: false, message: "No connection to the site. Your text is kept here; try again." };
  }
  if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403 && !response.headers.get("content-type")?.includes("json")) {
    return { ok: false, status: 401, message: "Your session has expired. Sign in again in a new tab (/wp-login.php), then save: your text is kept here." };
  }
  try {
    const answer = await response.json();
    return { status: response.status, ...answer };
  } catch {
    return { ok: false, message: `The site answered ${response.status}. Your text is kept here.` };
  }
}

// --- the body -------------------------------------------------------------------------------------

const Shortcuts = Extension.create({
  name: "bylineShortcuts",
  addKeyboardShortcuts() {
    return {
      "Mod-End": () => this.editor.commands.focus("end"),
      "Mod-k": () => (linkPrompt(), true),
      "Mod-s": () => (saveDraftOrUpdate(), true),
      "Mod-Alt-2": () => this.editor.commands.toggleHeading({ level: 2 }),
      "Mod-Alt-3": () => this.editor.commands.toggleHeading({ level: 3 }),
    };
  },
});

const Clipping = makeClipping({ lookup: (url) => call(`/wp-admin/editor/clipping?url=${encodeURIComponent(url)}`, null, "GET") });

let editor = null;
let rawMode = state.body_format !== "html";

function makeEditor(content) {
  editor = new Editor({
    element: $("ed-body"),
    extensions: [
      Document, Paragraph, Text, HardBreak, Bold, Italic,
      Heading.configure({ levels: [2, 3] }),
      BulletList, OrderedList, ListItem, Blockquote, HorizontalRule,
      Link.configure({ openOnClick: false, autolink: true, protocols: ["http", "https", "mailto", "tel"] }),
      History, Dropcursor, Gapcursor, TrailingNode.configure({ node: "paragraph" }),
      Figure, Clipping, PullQuote, HtmlBlock, Shortcuts,
    ],
    content,
    editorProps: {
      attributes: { role: "textbox", "aria-label": "Post body", "aria-multiline": "true", class: "ed-prose" },
      handlePaste: (view, event) => {
        const files = [...(event.clipboardData?.files || [])].filter((f) => f.type.startsWith("image/"));
        if (files.length) {
          uploadPhotos(files);
          return true;
        }
        return false;
      },
      handleDrop: (view, event) => {
        const files = [...(event.dataTransfer?.files || [])].filter((f) => f.type.startsWith("image/"));
        if (!files.length) return false;
        const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
        if (at) editor.commands.setTextSelection(at.pos);
        uploadPhotos(files);
        return true;
      },
      // Pasted HTML keeps only what the editor's blocks know; styles, classes and scripts go.
      transformPastedHTML: (html) => html.replace(/<(script|style|iframe|object|embed)\b[\s\S]*?<\/\1>/gi, ""),
    },
    onUpdate: () => changed(),
  });
}

function showRaw(text) {
  const raw = $("ed-raw");
  raw.hidden = false;
  raw.value = text;
  $("ed-body").hidden = true;
  $("ed-toolbar").hidden = true;
  $("ed-format-note").hidden = false;
  $("ed-format-name").textContent = state.body_format === "markdown" ? "Markdown" : "WordPress HTML (as imported)";
  raw.addEventListener("input", changed);
}

if (rawMode) showRaw(state.body);
else makeEditor(state.body);
if (!state.id) $("ed-title").focus();

$("ed-convert").addEventListener("click", async () => {
  const answer = await call("/wp-admin/editor/convert", { body: $("ed-raw").value, body_format: state.body_format });
  if (!answer.ok) return say(answer.message, "error");
  rawMode = false;
  state.body_format = "html";
  $("ed-raw").hidden = true;
  $("ed-raw").removeAttribute("aria-label");
  $("ed-body").hidden = false;
  $("ed-toolbar").hidden = false;
  $("ed-format-note").hidden = true;
  makeEditor(answer.body);
  changed();
  say("Converted. Check the text, then save to keep it in the visual editor.");
});

// A block goes after a selected photo or clipping, never in its place.
function insertBlocks(content) {
  const selection = editor.state.selection;
  if (selection.node) return editor.chain().focus().insertContentAt(selection.to, content).run();
  return editor.chain().focus().insertContent(content).run();
}

function linkPrompt() {
  const previous = editor.getAttributes("link").href || "https://";
  const href = window.prompt("Link address (empty removes the link)", previous);
  if (href === null) return;
  if (href === "") editor.chain().focus().unsetLink().run();
  else editor.chain().focus().extendMarkRange("link").setLink({ href }).run();
}

const commands = {
  bold: () => editor.chain().focus().toggleBold().run(),
  italic: () => editor.chain().focus().toggleItalic().run(),
  h2: () => editor.chain().focus().toggleHeading({ level: 2 }).run(),
  h3: () => editor.chain().focus().toggleHeading({ level: 3 }).run(),
  link: linkPrompt,
  bullet: () => editor.chain().focus().toggleBulletList().run(),
  ordered: () => editor.chain().focus().toggleOrderedList().run(),
  quote: () => editor.chain().focus().toggleBlockquote().run(),
  pullquote: () => editor.chain().focus().togglePullQuote().run(),
  rule: () => editor.chain().focus().setHorizontalRule().run(),
  html: () => editor.chain().focus().insertContent({ type: "htmlBlock" }).run(),
  clipping: () => {
    insertBlocks([{ type: "clipping" }, { type: "paragraph" }]);
    const all = document.querySelectorAll(".ed-clipping input");
    requestAnimationFrame(() => all.length && document.querySelectorAll(".ed-clipping")[document.querySelectorAll(".ed-clipping").length - 1].querySelector("input").focus());
  },
  library: () => openLibrary(),
  undo: () => editor.chain().focus().undo().run(),
  redo: () => editor.chain().focus().redo().run(),
};
// One Tab stop for the toolbar; arrow keys move along it (WAI-ARIA toolbar pattern).
const toolbarItems = [...$("ed-toolbar").querySelectorAll("button, input")];
toolbarItems.forEach((el, i) => (el.tabIndex = i === 0 ? 0 : -1));
$("ed-toolbar").addEventListener("keydown", (event) => {
  const at = toolbarItems.indexOf(document.activeElement);
  const step = { ArrowRight: 1, ArrowLeft: -1, Home: -at, End: toolbarItems.length - 1 - at }[event.key];
  if (at < 0 || step === undefined) return;
  event.preventDefault();
  const next = toolbarItems[(at + step + toolbarItems.length) % toolbarItems.length];
  toolbarItems[at].tabIndex = -1;
  next.tabIndex = 0;
  next.focus();
});
$("ed-toolbar").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-cmd]");
  if (button && editor) commands[button.dataset.cmd]();
});

// --- photos ---------------------------------------------------------------------------------------

function insertPhoto(media) {
  insertBlocks([
    { type: "photo", attrs: { mediaId: String(media.id), src: media.url, alt: media.alt, caption: media.caption, credit: media.credit } },
    { type: "paragraph" },
  ]);
  refreshFeatured();
}

// A photo appears at once (its fields can be filled while it uploads); saving waits for uploads.
const uploads = new Set();
let uploadCount = 0;

function findUpload(key) {
  let found = null;
  editor.state.doc.descendants((node, pos) => {
    if (node.type.name === "photo" && node.attrs.uploadKey === key) found = { node, pos };
  });
  return found;
}

// The media page's endpoint (WordPress's async-upload.php): one path, one set of checks.
async function sendPhoto(file) {
  const form = new FormData();
  form.append("async-upload", file);
  try {
    const response = await fetch("/wp-admin/async-upload.php", {
      method: "POST", body: form, credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    });
    if (response.type === "opaqueredirect" || response.status === 401) {
      return { ok: false, message: `${file.name}: your session has expired. Sign in again in a new tab, then upload again.` };
    }
    const answer = await response.json();
    if (answer.photos && answer.photos.length) return { ok: true, ...answer.photos[0] };
    return { ok: false, message: answer.error || `${file.name}: the upload failed (${response.status}).` };
  } catch {
    return { ok: false, message: `${file.name}: the upload failed. Try again.` };
  }
}

function uploadPhotos(files) {
  for (const file of files) {
    const key = `upload-${(uploadCount += 1)}`;
    insertBlocks([
      { type: "photo", attrs: { uploadKey: key, src: URL.createObjectURL(file), alt: "", caption: "", credit: "" } },
      { type: "paragraph" },
    ]);
    say(`Uploading ${file.name}…`);
    const job = sendPhoto(file).then((answer) => {
      const placed = findUpload(key);
      if (!placed) return;
      if (!answer.ok) {
        editor.view.dispatch(editor.state.tr.delete(placed.pos, placed.pos + placed.node.nodeSize));
        say(answer.message, "error");
        return;
      }
      const a = placed.node.attrs;
      editor.view.dispatch(editor.state.tr.setNodeMarkup(placed.pos, undefined, {
        ...a, uploadKey: null, mediaId: String(answer.id), src: answer.url,
        caption: a.caption || answer.caption, credit: a.credit || answer.credit, alt: a.alt || answer.alt,
      }));
      refreshFeatured();
      say(answer.credit || answer.caption ? `${file.name} added; caption and credit were read from the photo.` : `${file.name} added. Give it alt text, a caption and a credit.`);
    });
    uploads.add(job);
    job.finally(() => uploads.delete(job));
  }
}

$("ed-upload").addEventListener("change", (event) => {
  uploadPhotos([...event.target.files]);
  event.target.value = "";
});

async function openLibrary() {
  $("ed-library").hidden = false;
  $("ed-library-search").focus();
  await searchLibrary("");
}
async function searchLibrary(query) {
  const answer = await call(`/wp-admin/media-library.json?s=${encodeURIComponent(query)}`, null, "GET");
  const grid = $("ed-library-grid");
  grid.replaceChildren();
  for (const item of answer.photos || []) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    const img = document.createElement("img");
    img.src = item.thumbnail;
    img.alt = "";
    button.append(img, document.createTextNode(item.alt || item.title || `Photo ${item.id}`));
    button.addEventListener("click", () => {
      $("ed-library").hidden = true;
      insertPhoto(item);
    });
    li.append(button);
    grid.append(li);
  }
}
let librarySearch;
$("ed-library-search").addEventListener("input", (e) => {
  clearTimeout(librarySearch);
  librarySearch = setTimeout(() => searchLibrary(e.target.value), 250);
});
$("ed-library-close").addEventListener("click", () => ($("ed-library").hidden = true));

function photosInBody() {
  const out = [];
  editor?.state.doc.descendants((node) => {
    if (node.type.name === "photo") out.push(node.attrs);
  });
  return out;
}

function refreshFeatured() {
  const select = $("ed-featured");
  const have = new Set([...select.options].map((o) => o.value));
  for (const photo of photosInBody()) {
    if (have.has(String(photo.mediaId))) continue;
    const o = document.createElement("option");
    o.value = photo.mediaId;
    o.textContent = photo.alt || `Photo ${photo.mediaId}`;
    select.append(o);
  }
}

// --- tags and categories --------------------------------------------------------------------------

const tags = [...state.tags];
function drawTags() {
  const list = $("ed-tag-list");
  list.replaceChildren();
  for (const name of tags) {
    const li = document.createElement("li");
    li.textContent = name + " ";
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "×";
    remove.setAttribute("aria-label", `Remove tag ${name}`);
    remove.addEventListener("click", () => {
      tags.splice(tags.indexOf(name), 1);
      drawTags();
      changed();
    });
    li.append(remove);
    list.append(li);
  }
}
drawTags();
refreshFeatured();
$("ed-tag-input").addEventListener("keydown", (event) => {
  if (event.key !== "Enter" && event.key !== ",") return;
  event.preventDefault();
  const name = event.target.value.trim();
  if (name && !tags.some((t) => t.toLowerCase() === name.toLowerCase())) {
    tags.push(name);
    drawTags();
    changed();
  }
  event.target.value = "";
});
$("ed-tag-input").addEventListener("input", async (event) => {
  const q = event.target.value.trim();
  if (q.length < 2) return;
  const answer = await call(`/wp-admin/editor/tags?q=${encodeURIComponent(q)}`, null, "GET");
  const list = $("ed-tag-options");
  list.replaceChildren(...(answer.tags || []).map((t) => Object.assign(document.createElement("option"), { value: t })));
});

$("ed-add-category")?.addEventListener("click", async () => {
  const name = $("ed-new-category").value.trim();
  if (!name) return;
  const answer = await call("/wp-admin/editor/category", { name });
  if (!answer.ok) return say(answer.message, "error");
  const li = document.createElement("li");
  li.innerHTML = '<label><input type="checkbox" name="category" checked> </label>';
  li.querySelector("input").value = answer.id;
  li.querySelector("label").append(answer.name);
  const existing = document.querySelector(`#ed-cats input[value="${answer.id}"]`);
  if (existing) existing.checked = true;
  else $("ed-cats").append(li);
  $("ed-new-category").value = "";
  changed();
});

// --- the address ----------------------------------------------------------------------------------

let slugTouched = !!state.slug;
const slugify = (text) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, "").trim().replace(/[\s-]+/g, "-").slice(0, 190);
$("ed-title").addEventListener("input", () => {
  if (!slugTouched) $("ed-slug").value = slugify($("ed-title").value);
  const t = $("ed-title");
  t.style.height = "auto";
  t.style.height = `${t.scrollHeight}px`;
});
$("ed-slug").addEventListener("input", () => (slugTouched = true));
$("ed-title").addEventListener("keydown", (e) => {
  if (e.key === "Enter") {
    e.preventDefault();
    $("ed-dek").focus();
  }
});

// --- the primary button ---------------------------------------------------------------------------

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
function siteNow() {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date()).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
const isLive = () => ["publish", "future", "private"].includes(state.status);
function primaryLabel() {
  if (!canPublish) return "Submit for review";
  if (isLive()) return "Update";
  const when = $("ed-date").value;
  if (when && when > siteNow()) {
    const [d, t] = when.split("T");
    const [y, m, day] = d.split("-");
    return `Schedule for ${Number(day)} ${MONTHS[Number(m) - 1]} ${y} ${t} (${zone})`;
  }
  return "Publish";
}
function drawButtons() {
  $("ed-primary").textContent = primaryLabel();
  $("ed-save-draft").hidden = isLive();
  $("ed-status-name").textContent = { draft: "Draft", pending: "Pending review", publish: "Published", future: "Scheduled", private: "Private" }[state.status] || "Draft";
  $("ed-corrections").hidden = state.status !== "publish";
}
$("ed-date").addEventListener("input", () => {
  drawButtons();
  changed();
});
drawButtons();

// --- collecting and saving ------------------------------------------------------------------------

function collect() {
  return {
    id: state.id,
    post_type: state.post_type,
    version: state.version,
    title: $("ed-title").value,
    subtitle: $("ed-dek").value,
    slug: $("ed-slug").value,
    body: rawMode ? $("ed-raw").value : editor.getHTML(),
    body_format: rawMode ? state.body_format : "html",
    excerpt: $("ed-excerpt").value,
    date: $("ed-date").value,
    categories: [...document.querySelectorAll('#ed-cats input[name="category"]:checked')].map((i) => Number(i.value)),
    tags,
    featured_image: $("ed-featured").value || null,
    comments_open: $("ed-comments").checked,
    sticky: $("ed-sticky")?.checked || false,
    password: $("ed-password").value,
    visibility: document.querySelector('input[name="visibility"]:checked')?.value || "public",
    author: $("ed-author") ? Number($("ed-author").value) : null,
  };
}

let dirty = false;
let generation = 0;
let autosaveTimer = null;
const backupKey = () => `byline-editor:${state.id || "new"}`;
function changed() {
  dirty = true;
  generation += 1;
  clearTimeout(autosaveTimer);
  autosaveTimer = setTimeout(runAutosave, AUTOSAVE_AFTER_MS);
  try {
    localStorage.setItem(backupKey(), JSON.stringify({ at: Date.now(), data: collect() }));
  } catch {
    /* private mode or full storage: the server autosave still runs */
  }
}
for (const id of ["ed-title", "ed-dek", "ed-slug", "ed-excerpt", "ed-password"]) $(id).addEventListener("input", changed);
for (const radio of document.querySelectorAll('input[name="visibility"]')) radio.addEventListener("change", changed);
for (const id of ["ed-comments", "ed-featured", "ed-author", "ed-sticky"]) $(id)?.addEventListener("change", changed);
$("ed-cats").addEventListener("change", changed);

function adopt(answer) {
  const firstSave = !state.id;
  state.id = answer.id;
  if (answer.status) state.status = answer.status;
  if (answer.version) state.version = answer.version;
  if (answer.slug && !$("ed-slug").value) $("ed-slug").value = answer.slug;
  if (answer.slug) {
    $("ed-slug").value = answer.slug;
    slugTouched = true;
  }
  if (answer.date && isLive()) {
    $("ed-date").value = answer.date;
    state.date = answer.date;
  }
  if (answer.edit_url && firstSave) history.replaceState(null, "", answer.edit_url);
  if (answer.view_url !== undefined) {
    $("ed-view").hidden = !answer.view_url;
    $("ed-view-link").href = answer.view_url || "#";
  }
  drawButtons();
}

let saving = false;
async function save(action) {
  if (saving) return;
  saving = true;
  clearTimeout(autosaveTimer);
  const seen = generation;
  say(action === "draft" ? "Saving…" : "Saving and publishing…");
  if (uploads.size) {
    say("Waiting for photos to finish uploading…");
    await Promise.all([...uploads]);
  }
  const answer = await call("/wp-admin/post.php", { ...collect(), action });
  saving = false;
  if (!answer.ok) {
    say(answer.message || "Could not save.", "error");
    return;
  }
  adopt(answer);
  if (seen === generation) dirty = false;
  localStorage.removeItem(backupKey());
  say(answer.message);
}

function missingAlt() {
  return photosInBody().filter((p) => !p.alt.trim()).length;
}
function primary() {
  const action = !canPublish ? "pending" : isLive() ? "update" : "publish";
  const missing = action === "pending" ? 0 : missingAlt();
  if (missing) {
    $("ed-alt-text").textContent = `${missing} photo${missing > 1 ? "s have" : " has"} no alt text: readers who cannot see ${missing > 1 ? "them" : "it"} will not know what ${missing > 1 ? "they show" : "it shows"}.`;
    $("ed-alt-warning").hidden = false;
    $("ed-alt-warning").dataset.action = action;
    $("ed-publish-anyway").textContent = action === "update" ? "Update anyway" : "Publish anyway";
    $("ed-publish-anyway").focus();
    return;
  }
  save(action);
}
$("ed-primary").addEventListener("click", primary);
$("ed-publish-anyway").addEventListener("click", () => {
  $("ed-alt-warning").hidden = true;
  save($("ed-alt-warning").dataset.action);
});
$("ed-alt-fix").addEventListener("click", () => {
  $("ed-alt-warning").hidden = true;
  const empty = [...document.querySelectorAll(".ed-figure input")].find((i) => i.closest("label").textContent.startsWith("Alt text") && !i.value.trim());
  empty?.focus();
});
$("ed-save-draft").addEventListener("click", () => save(state.status === "pending" && !canPublish ? "pending" : "draft"));
function saveDraftOrUpdate() {
  if (isLive()) primary();
  else save("draft");
}

async function runAutosave() {
  if (!dirty || saving) return;
  if (uploads.size) {
    autosaveTimer = setTimeout(runAutosave, AUTOSAVE_AFTER_MS);
    return;
  }
  const data = collect();
  if (!state.id && !data.title.trim() && !(editor ? editor.getText().trim() : data.body.trim())) return;
  const seen = generation;
  const answer = await call("/wp-admin/editor/autosave", data);
  if (!answer.ok) {
    say(answer.message, "error");
    return;
  }
  if (!state.id) adopt(answer);
  if (seen === generation) dirty = false;
  say(answer.message);
}

window.addEventListener("beforeunload", (event) => {
  if (!dirty) return;
  event.preventDefault();
  event.returnValue = "";
});

$("preview-form").addEventListener("submit", (event) => {
  if (uploads.size) {
    event.preventDefault();
    say("Photos are still uploading; preview again in a moment.", "error");
    return;
  }
  $("preview-form").elements.state.value = JSON.stringify(collect());
  $("preview-form").elements.csrfmiddlewaretoken.value = csrfToken();
  dirty = false; // what the preview shows is kept as the autosave
});

// --- corrections ----------------------------------------------------------------------------------

// One form adds a correction or edits one (form.dataset.editing holds its id); a withdrawal asks
// first. Every answer brings the list as stored, earlier versions included.
function openCorrectionForm(item) {
  const form = $("ed-correction-form");
  form.hidden = false;
  form.dataset.editing = item ? item.dataset.id : "";
  $("ed-correction-editing").hidden = !item;
  $("ed-correction-editing").textContent = item ? "Editing a published correction: readers will see it marked “Updated”, and its history keeps the earlier text." : "";
  $("ed-correction-date").value = item ? item.dataset.date : siteNow();
  $("ed-correction-text").value = item ? item.dataset.text : "";
  $("ed-correction-text").focus();
}
function closeCorrectionForm() {
  $("ed-correction-form").hidden = true;
  $("ed-correction-form").dataset.editing = "";
  $("ed-correction-text").value = "";
}
function showCorrections(answer, focusId) {
  $("ed-correction-list").innerHTML = answer.list_html;
  say(answer.message);
  const item = focusId && $(`ed-correction-${focusId}`);
  if (item) item.querySelector("button, summary")?.focus();
}
$("ed-add-correction").addEventListener("click", () => openCorrectionForm(null));
$("ed-cancel-correction").addEventListener("click", () => {
  closeCorrectionForm();
  $("ed-add-correction").focus();
});
$("ed-save-correction").addEventListener("click", async () => {
  const editing = $("ed-correction-form").dataset.editing;
  const body = { id: state.id, date: $("ed-correction-date").value, text: $("ed-correction-text").value };
  if (editing) body.correction = editing;
  const answer = await call("/wp-admin/editor/correction", body);
  if (!answer.ok) return say(answer.message, "error");
  closeCorrectionForm();
  showCorrections(answer, answer.id);
});
$("ed-correction-list").addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-correction]");
  if (!button) return;
  const item = button.closest("li[data-id]");
  if (button.dataset.correction === "edit") return openCorrectionForm(item);
  if (!window.confirm("Withdraw this correction? It stays on the post, struck through and marked “Withdrawn”.")) return;
  const answer = await call("/wp-admin/editor/correction", { id: state.id, correction: item.dataset.id, withdraw: true });
  if (!answer.ok) return say(answer.message, "error");
  showCorrections(answer, answer.id);
});

// --- autosave offer, lock, Press This -------------------------------------------------------------

if (offer) {
  $("ed-autosave-offer").hidden = false;
  $("ed-autosave-when").textContent = offer.when;
  $("ed-restore-autosave").addEventListener("click", () => {
    $("ed-title").value = offer.title || $("ed-title").value;
    $("ed-dek").value = offer.subtitle;
    $("ed-excerpt").value = offer.excerpt;
    if (rawMode) $("ed-raw").value = offer.body;
    else editor.commands.setContent(offer.body, true);
    $("ed-autosave-offer").hidden = true;
    changed();
    say(isLive() ? "Autosave restored. Nothing public changes until you press Update." : "Autosave restored. Save to keep it.");
  });
  $("ed-discard-autosave").addEventListener("click", async () => {
    await call("/wp-admin/editor/discard-autosave", { id: state.id });
    $("ed-autosave-offer").hidden = true;
  });
}

$("ed-take-over")?.addEventListener("click", async () => {
  const answer = await call("/wp-admin/editor/take-over", { id: state.id });
  if (answer.ok) $("ed-lock").hidden = true;
  say(answer.message);
});

// The post lock lapses after 150 s without a save; an open editor keeps it with a beat a minute.
const HEARTBEAT_MS = 60_000;
setInterval(async () => {
  if (state.id === null) return;
  const answer = await call("/wp-admin/editor/heartbeat", { id: state.id });
  if (answer.status === 423) say(answer.message, "error");
}, HEARTBEAT_MS);

const site = root.dataset.site.replace(/\/$/, "");
$("ed-press-this").href = `javascript:(function(){location.href='${site}/wp-admin/post-new.php?clip_url='+encodeURIComponent(location.href)+'&clip_title='+encodeURIComponent(document.title)+'&clip_text='+encodeURIComponent(String(getSelection()))})()`;

if (state.id === null && new URLSearchParams(location.search).get("clip_url")) changed();
