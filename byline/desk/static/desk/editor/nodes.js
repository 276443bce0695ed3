// Byline's own blocks for the Tiptap editor that django-prose-editor ships: the photo figure,
// the clipping, the pull quote and the HTML block. Each block's fields are real, labelled inputs
// in the page, so they work with the keyboard and a screen reader.
import { Node, mergeAttributes } from "../../django_prose_editor/editor.js";

function field(labelText, input) {
  const label = document.createElement("label");
  label.className = "ed-field";
  const span = document.createElement("span");
  span.textContent = labelText;
  label.append(span, input);
  return label;
}

function input(value, type = "text") {
  const el = document.createElement("input");
  el.type = type;
  el.value = value || "";
  return el;
}

function select(options, value) {
  const el = document.createElement("select");
  for (const [v, text] of options) {
    const o = document.createElement("option");
    o.value = v;
    o.textContent = text;
    el.append(o);
  }
  el.value = value;
  return el;
}

// An atom block's NodeView whose inputs write back into the node's attributes.
function formView(buildFields) {
  return ({ node, getPos, editor }) => {
    const dom = document.createElement("div");
    let current = node;
    const set = (name, value) => {
      const pos = getPos();
      if (typeof pos !== "number") return;
      editor.view.dispatch(
        editor.view.state.tr.setNodeMarkup(pos, undefined, { ...current.attrs, [name]: value }),
      );
    };
    const inputs = buildFields(dom, node, set);
    return {
      dom,
      stopEvent: (event) => event.target !== dom && dom.contains(event.target) && !(event.target instanceof HTMLImageElement),
      ignoreMutation: () => true,
      update(updated) {
        if (updated.type !== node.type) return false;
        current = updated;
        for (const [name, el] of Object.entries(inputs)) {
          if (document.activeElement !== el && el.value !== (updated.attrs[name] || "")) el.value = updated.attrs[name] || "";
        }
        if (inputs._refresh) inputs._refresh(updated);
        return true;
      },
    };
  };
}

const data = (name) => ({
  default: "",
  parseHTML: (el) => el.getAttribute(`data-${name}`) || "",
  renderHTML: () => ({}),
});

export const Figure = Node.create({
  name: "photo",
  group: "block",
  atom: true,
  draggable: true,
  addAttributes() {
    return {
      mediaId: { default: null, parseHTML: (el) => el.getAttribute("data-media-id"), renderHTML: () => ({}) },
      uploadKey: { default: null, parseHTML: () => null, renderHTML: () => ({}) },
      src: { default: "", parseHTML: (el) => el.querySelector("img")?.getAttribute("src") || "", renderHTML: () => ({}) },
      alt: data("alt"),
      caption: data("caption"),
      credit: data("credit"),
      size: { ...data("size"), default: "column" },
      align: { ...data("align"), default: "center" },
    };
  },
  parseHTML() {
    return [{ tag: "figure[data-media-id]", priority: 100 }];
  },
  renderHTML({ node }) {
    const a = node.attrs;
    return [
      "figure",
      {
        "data-media-id": a.mediaId,
        "data-size": a.size,
        "data-align": a.align,
        "data-alt": a.alt,
        "data-caption": a.caption,
        "data-credit": a.credit,
      },
      ["img", { src: a.src, alt: a.alt }],
    ];
  },
  addNodeView() {
    return formView((dom, node, set) => {
      dom.className = "ed-figure";
      dom.setAttribute("data-size", node.attrs.size);
      const img = document.createElement("img");
      img.src = node.attrs.src;
      img.alt = "";
      const fields = document.createElement("div");
      fields.className = "ed-figure-fields";
      const alt = input(node.attrs.alt);
      const caption = input(node.attrs.caption);
      const credit = input(node.attrs.credit);
      const size = select([["column", "Column"], ["wide", "Wide"], ["full", "Full width"]], node.attrs.size);
      const align = select([["center", "Centre"], ["left", "Left"], ["right", "Right"]], node.attrs.align);
      for (const [name, el] of Object.entries({ alt, caption, credit, size, align })) {
        el.addEventListener(el.tagName === "SELECT" ? "change" : "input", () => set(name, el.value));
      }
      const warn = document.createElement("p");
      warn.className = "ed-figure-warn";
      warn.textContent = "Describe the photo for readers who cannot see it.";
      const refresh = (n) => {
        warn.hidden = !!n.attrs.alt;
        if (img.getAttribute("src") !== n.attrs.src) img.src = n.attrs.src;
        dom.classList.toggle("ed-uploading", !n.attrs.mediaId);
        dom.setAttribute("data-size", n.attrs.size);
      };
      refresh(node);
      fields.append(
        field("Alt text", alt),
        warn,
        field("Caption", caption),
        field("Credit", credit),
        field("Size", size),
        field("Alignment", align),
      );
      dom.append(img, fields);
      return { alt, caption, credit, size, align, _refresh: refresh };
    });
  },
});

const CLIPPING_FIELDS = [
  ["url", "Source URL", "url"],
  ["publication", "Publication", "text"],
  ["headline", "Headline", "text"],
  ["byline", "Byline", "text"],
  ["date", "Publication date", "date"],
  ["dateline", "Dateline", "text"],
];

// Reads a clipping back from the public markup Byline stores (h-cite classes) or from the editor's data-*.
function clippingValue(el, name) {
  const own = el.getAttribute(`data-${name}`);
  if (own !== null) return own;
  const pick = (sel) => el.querySelector(sel);
  switch (name) {
    case "url":
      return el.getAttribute("cite") || pick(".u-url")?.getAttribute("href") || "";
    case "publication":
      return pick(".p-publication")?.textContent || "";
    case "headline":
      return pick(".p-name")?.textContent || "";
    case "byline":
      return pick(".p-author")?.textContent || "";
    case "date":
      return pick(".dt-published")?.getAttribute("datetime") || "";
    case "dateline":
      return pick(".clipping-dateline")?.textContent.replace(/\s*[—–-]\s*$/, "") || "";
    case "text": {
      const body = pick(".e-content") || el;
      return [...body.querySelectorAll("p")]
        .map((p) => [...p.childNodes].filter((n) => !n.classList?.contains("clipping-dateline")).map((n) => n.textContent).join("").trim())
        .join("\n\n");
    }
  }
  return "";
}

export function makeClipping({ lookup }) {
  return Node.create({
    name: "clipping",
    group: "block",
    atom: true,
    draggable: true,
    addAttributes() {
      const attrs = {};
      for (const name of ["url", "publication", "headline", "byline", "date", "dateline", "text"]) {
        attrs[name] = { default: "", parseHTML: (el) => clippingValue(el, name), renderHTML: () => ({}) };
      }
      return attrs;
    },
    parseHTML() {
      return [{ tag: "blockquote.clipping", priority: 100 }];
    },
    renderHTML({ node }) {
      const out = { class: "clipping", "data-clipping": "1" };
      for (const [k, v] of Object.entries(node.attrs)) out[`data-${k}`] = v;
      return ["blockquote", out, ["p", node.attrs.text]];
    },
    addNodeView() {
      return formView((dom, node, set) => {
        dom.className = "ed-clipping";
        const heading = document.createElement("p");
        heading.className = "ed-block-name";
        heading.textContent = "Clipping";
        dom.append(heading);
        const inputs = {};
        for (const [name, label, type] of CLIPPING_FIELDS) {
          const el = input(node.attrs[name], type);
          el.addEventListener("input", () => set(name, el.value));
          inputs[name] = el;
          dom.append(field(label, el));
        }
        const offer = document.createElement("div");
        offer.className = "ed-clipping-offer";
        offer.hidden = true;
        const fill = document.createElement("button");
        fill.type = "button";
        fill.textContent = "Fill the fields from this page";
        const said = document.createElement("span");
        said.setAttribute("role", "status");
        offer.append(fill, said);
        dom.append(offer);
        const text = document.createElement("textarea");
        text.rows = 4;
        text.value = node.attrs.text;
        text.addEventListener("input", () => set("text", text.value));
        inputs.text = text;
        dom.append(field("Quoted text", text));
        inputs.url.addEventListener("input", () => {
          offer.hidden = !/^https?:\/\/[^\s/]+/.test(inputs.url.value);
          said.textContent = "";
        });
        fill.addEventListener("click", async () => {
          said.textContent = "Reading the page…";
          const answer = await lookup(inputs.url.value);
          if (!answer.ok) {
            said.textContent = answer.message;
            return;
          }
          for (const [name, value] of Object.entries(answer.fields)) {
            if (inputs[name] && value && !inputs[name].value.trim()) {
              inputs[name].value = value;
              set(name, value);
            }
          }
          said.textContent = "Filled in the empty fields; check them.";
        });
        return inputs;
      });
    },
  });
}

export const PullQuote = Node.create({
  name: "pullQuote",
  group: "block",
  content: "paragraph+",
  defining: true,
  parseHTML() {
    return [{ tag: "blockquote.pullquote", priority: 90 }];
  },
  renderHTML({ HTMLAttributes }) {
    return ["blockquote", mergeAttributes(HTMLAttributes, { class: "pullquote" }), 0];
  },
  addCommands() {
    return { togglePullQuote: () => ({ commands }) => commands.toggleWrap(this.name) };
  },
});

export const HtmlBlock = Node.create({
  name: "htmlBlock",
  group: "block",
  atom: true,
  addAttributes() {
    return { html: { default: "", parseHTML: (el) => el.getAttribute("data-html") ?? el.innerHTML, renderHTML: () => ({}) } };
  },
  parseHTML() {
    return [{ tag: "div.html-block", priority: 100 }];
  },
  renderHTML({ node }) {
    return ["div", { class: "html-block", "data-html": node.attrs.html }];
  },
  addNodeView() {
    return formView((dom, node, set) => {
      dom.className = "ed-html";
      const text = document.createElement("textarea");
      text.rows = 4;
      text.value = node.attrs.html;
      text.spellcheck = false;
      text.addEventListener("input", () => set("html", text.value));
      dom.append(field("HTML block (embeds; cleaned to the allowed tags when saved)", text));
      return { html: text };
    });
  },
});
