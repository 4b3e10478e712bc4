// A small stand-in for a browser, enough to run the console page's script under node:
// elements with children, text, attributes, listeners and the few selectors the page uses.
// The page's own <script> is fetched from the running server and run against it; fetch goes
// to that server. Used by test_http_serve.py; prints what a person would see, as JSON.
"use strict";
const BASE = process.argv[2];

class Text { constructor(t) { this.data = t; } get textContent() { return this.data; } }

class Element {
  constructor(tag, id) {
    this.tagName = tag.toUpperCase(); this.id = id || ""; this.children = []; this.attrs = {};
    this.listeners = {}; this.parent = null; this.value = ""; this.hidden = false; this.checked = false;
    this.disabled = false; this.selected = false; this.scrollTop = 0; this.scrollHeight = 0; this.className = "";
    const self = this;
    this.classList = {
      add(c) { if (!self.classes().includes(c)) self.className = (self.className + " " + c).trim(); },
      remove(c) { self.className = self.classes().filter(x => x !== c).join(" "); },
      contains(c) { return self.classes().includes(c); },
    };
  }
  classes() { return this.className.split(/\s+/).filter(Boolean); }
  append(...nodes) {
    for (let n of nodes) {
      if (typeof n === "string") n = new Text(n);
      n.parent = this; this.children.push(n);
      if (this.tagName === "SELECT" && n.selected) this.value = n.attrs.value;
      if (this.tagName === "SELECT" && this.children.length === 1) this.value = n.attrs.value;
    }
  }
  get firstChild() { return this.children[0] || null; }
  removeChild(c) { this.children.splice(this.children.indexOf(c), 1); c.parent = null; }
  remove() { if (this.parent) this.parent.removeChild(this); }
  set textContent(t) { this.children = [new Text(String(t))]; }
  get textContent() { return this.children.map(c => c.textContent).join(""); }
  setAttribute(k, v) { this.attrs[k] = String(v); if (k === "id") this.id = String(v); }
  addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); }
  fire(type) { for (const fn of this.listeners[type] || []) fn({ preventDefault() {} }); }
  select() {}
  *walk() { for (const c of this.children) if (c instanceof Element) { yield c; yield* c.walk(); } }
  matches(simple) {
    if (simple.startsWith("#")) return this.id === simple.slice(1);
    if (simple.startsWith(".")) return this.classList.contains(simple.slice(1));
    return this.tagName === simple.toUpperCase();
  }
  querySelectorAll(selector) {
    const parts = selector.trim().split(/\s+/);
    const found = [];
    for (const node of this.walk()) {
      if (!node.matches(parts[parts.length - 1])) continue;
      let i = parts.length - 2;
      for (let up = node.parent; up && i >= 0; up = up.parent) if (up.matches && up.matches(parts[i])) i--;
      if (i < 0) found.push(node);
    }
    return found;
  }
  querySelector(selector) { return this.querySelectorAll(selector)[0] || null; }
}

const body = new Element("body");
const ids = {};
const document = {
  body,
  createElement: tag => new Element(tag),
  createTextNode: t => new Text(t),
  getElementById: id => ids[id] || null,  // only the elements the page's HTML has
  querySelector: s => body.querySelector(s),
  querySelectorAll: s => body.querySelectorAll(s),
  execCommand: () => true,
};
const storage = {};
Object.assign(globalThis, {
  document, window: { isSecureContext: false },
  localStorage: { getItem: k => storage[k] ?? null, setItem: (k, v) => { storage[k] = String(v); } },
});
const realFetch = globalThis.fetch;
globalThis.fetch = (url, init) => realFetch(BASE + url, init);

const sleep = ms => new Promise(r => setTimeout(r, ms));
async function until(test, what) {
  for (let i = 0; i < 300; i++) { if (test()) return; await sleep(50); }
  throw new Error("timed out waiting for " + what);
}
const text = id => document.getElementById(id).textContent;

(async () => {
  const page = await (await realFetch(BASE + "/")).text();
  for (const [, tag, id] of page.matchAll(/<(\w+)[^>]*\sid="([^"]+)"/g)) {
    ids[id] = new Element(tag, id);
    body.append(ids[id]);
  }
  ids["calc-years"].append(new Element("tbody"));
  const script = page.split("<script>")[1].split("</script>")[0];
  new Function(script)();
  document.getElementById("today").value = "2026-03-01";
  const seen = {};

  // 政策检索
  document.getElementById("search-q").value = "断保两年要等多久";
  document.getElementById("search-form").fire("submit");
  await until(() => body.querySelectorAll("#search-results .hit").length > 0, "search hits");
  seen.search = text("search-results");
  seen.marked = body.querySelectorAll("#search-results mark").map(m => m.textContent);

  // 对话: the history in one message, then the 对 option
  document.getElementById("chat-input").value = process.argv[3];
  document.getElementById("chat-form").fire("submit");
  await until(() => body.querySelectorAll("#chat-log .options button").length > 0, "the summary's options");
  const yes = body.querySelectorAll("#chat-log .options button").find(b => b.textContent === "对");
  yes.fire("click");
  await until(() => text("chat-log").includes("依据"), "the answer");
  seen.chat = text("chat-log");
  seen.session = text("chat-session");

  // 个人测算: 2025 and 2027 in Chongqing, 2026 not insured, paid on 2026-12-15
  const year = document.getElementById("calc-year");
  year.value = "2027"; year.fire("input");
  const selects = body.querySelectorAll("#calc-years select");
  seen.calcRows = selects.length;
  selects[1].value = "none"; selects[1].fire("change");
  document.getElementById("calc-paid").value = "2026-12-15";
  document.getElementById("calc-form").fire("submit");
  await until(() => text("calc-result").length > 0 || text("calc-error").length > 0, "the calculation");
  seen.calc = text("calc-result");
  seen.calcError = text("calc-error");

  // an impossible calculation shows the server's sentence
  selects[0].value = "elsewhere"; selects[0].fire("change");
  document.getElementById("calc-born").value = "2026-01-01";
  document.getElementById("calc-form").fire("submit");
  await until(() => text("calc-error").length > 0, "the error line");
  seen.calcRefused = text("calc-error");
  process.stdout.write(JSON.stringify(seen));
})().catch(e => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
