// A small stand-in for a browser, enough to run the console page's script under node:
// elements with children, text, attributes, listeners and the few selectors the page uses.
// Prints what a person would see, as JSON. Two scenarios:
//   node console_dom.js server BASE_URL HISTORY   the page served at BASE_URL, its calls going
//                                                 to that server (test_http_serve.py)
//   node console_dom.js fake PAGE_FILE            the page from a file, its calls answered by a
//                                                 recorder (multi-select, new session)
"use strict";
const [MODE, SOURCE, HISTORY] = process.argv.slice(2);

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
const calls = [];  // what the page sent, in the fake scenario
const MULTI = { text: "2025、2026年，哪几年交了？", multi_select: true, sources: [], options: [
  { label: "2025年", value: "year:2025" }, { label: "2026年", value: "year:2026" },
  { label: "都交了", value: "years:all" }] };
function fakeFetch(url, init) {
  const body = init && init.body ? JSON.parse(init.body) : null;
  calls.push({ method: init.method, url, body });
  const reply = { text: "<b>" + (body ? body.message : "") + "</b>", options: [], sources: [] };
  const data = init.method === "DELETE" ? { forgotten: true } : { replies: body.message === "start" ? [MULTI] : [reply] };
  return Promise.resolve({ ok: true, status: 200, json: () => Promise.resolve(data) });
}
globalThis.fetch = MODE === "server" ? (url, init) => realFetch(SOURCE + url, init) : fakeFetch;

const sleep = ms => new Promise(r => setTimeout(r, ms));
async function until(test, what) {
  for (let i = 0; i < 300; i++) { if (test()) return; await sleep(50); }
  throw new Error("timed out waiting for " + what);
}
const text = id => document.getElementById(id).textContent;

async function load() {
  const page = MODE === "server" ? await (await realFetch(SOURCE + "/")).text()
                                 : require("fs").readFileSync(SOURCE, "utf8");
  for (const [, tag, id] of page.matchAll(/<(\w+)[^>]*\sid="([^"]+)"/g)) {
    ids[id] = new Element(tag, id);
    body.append(ids[id]);
  }
  ids["calc-years"].append(new Element("tbody"));
  const script = page.split("<script>")[1].split("</script>")[0];
  new Function(script)();
  document.getElementById("today").value = "2026-03-01";
}
const buttons = () => body.querySelectorAll("#chat-log .options button");
const button = label => buttons().filter(b => !b.disabled).find(b => b.textContent === label);

async function againstTheServer() {
  const seen = {};

  // 政策检索
  document.getElementById("search-q").value = "断保两年要等多久";
  document.getElementById("search-form").fire("submit");
  await until(() => body.querySelectorAll("#search-results .hit").length > 0, "search hits");
  seen.search = text("search-results");
  seen.marked = body.querySelectorAll("#search-results mark").map(m => m.textContent);

  // 对话: the history told whole in one message gives the answer, then its 依据 option
  document.getElementById("chat-input").value = HISTORY;
  document.getElementById("chat-form").fire("submit");
  await until(() => button("依据"), "the answer's options");
  button("依据").fire("click");
  await until(() => text("chat-log").includes("逐年封顶线"), "the steps of the answer");
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
  return seen;
}

async function withTheRecorder() {
  const seen = {};
  const session = text("chat-session");
  document.getElementById("chat-input").value = "start";
  document.getElementById("chat-form").fire("submit");
  await until(() => button("确认"), "the multi-select options");
  button("2026年").fire("click");
  button("2025年").fire("click");
  button("2025年").fire("click");  // a second tap unticks
  seen.afterUntick = buttons().filter(b => b.classList.contains("on")).map(b => b.textContent);
  button("2025年").fire("click");  // and a third ticks again
  seen.ticked = buttons().filter(b => b.classList.contains("on")).map(b => b.textContent);
  button("确认").fire("click");
  await until(() => calls.length === 2 && text("chat-log").includes("</b>"), "the confirmed years");
  seen.disabledAfterwards = buttons().every(b => b.disabled);
  document.getElementById("chat-input").value = "start";
  document.getElementById("chat-form").fire("submit");
  await until(() => button("都交了"), "the options again");
  button("都交了").fire("click");
  await until(() => calls.length === 4, "the direct option");
  seen.log = text("chat-log");
  document.getElementById("chat-new").fire("click");
  await until(() => calls.length === 5 && text("chat-session") !== session, "a new session");
  seen.calls = calls;
  seen.oldSession = session;
  seen.newSession = text("chat-session");
  seen.logAfterwards = text("chat-log");
  return seen;
}

(async () => {
  await load();
  const seen = MODE === "server" ? await againstTheServer() : await withTheRecorder();
  process.stdout.write(JSON.stringify(seen));
})().catch(e => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
