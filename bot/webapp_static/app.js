// Nhắc Việc dashboard: plain JS, no build step. Every figure comes from the server, which
// checks Telegram's initData on each request; this page keeps nothing but the initData.
"use strict";

const L = JSON.parse(document.getElementById("labels").textContent);
const CATEGORIES = ["done_on_time", "done_late", "in_progress", "overdue", "no_deadline"];
const PAGE = 50;
const hash = new URLSearchParams(location.hash.slice(1));
const tg = () => (window.Telegram && window.Telegram.WebApp) || null;
const initData = () => (tg() && tg().initData) || hash.get("tgWebAppData") || "";
const state = { tab: "units", offset: 0, filters: {}, office: false };
const $ = (selector) => document.querySelector(selector);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "on") for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function applyTheme(params) {
  for (const [key, value] of Object.entries(params || {})) {
    document.documentElement.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), value);
  }
}

function say(text) { $("#message").textContent = text || ""; }
function day(iso) { return iso ? iso.split("-").reverse().join("/") : ""; }

class Refused extends Error {}

async function api(path, body) {
  const response = await fetch(path, {
    method: body === undefined ? "GET" : "POST",
    headers: { "Authorization": "tma " + initData(), "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
  });
  if (response.status === 401 || response.status === 403) {
    const { error } = await response.json().catch(() => ({}));
    $("#main").hidden = true;
    say(error === "not_registered" ? L.not_registered : L.auth_failed);
    throw new Refused(error);
  }
  if (response.status === 404) throw new Error(L.not_found);
  if (!response.ok) throw new Error(L.error);
  return response.json();
}

function query(extra) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...state.filters, ...extra })) {
    if (value !== "" && value !== null && value !== undefined) params.set(key, value);
  }
  return params.toString();
}

function options(select, items, allLabel) {
  select.replaceChildren(el("option", { value: "" }, allLabel),
    ...items.map((item) => el("option", { value: item.id }, item.name)));
}

function totals(counts) {
  $("#totals").replaceChildren(
    el("div", { class: "card", "data-cat": "total" },
      el("span", { class: "num" }, counts.total), el("span", { class: "name" }, L.total)),
    ...CATEGORIES.map((cat) => el("div", { class: "card", "data-cat": cat },
      el("span", { class: "num" }, counts[cat]), el("span", { class: "name" }, L.categories[cat]))),
    el("div", { class: "card", "data-cat": "extended" },
      el("span", { class: "num" }, counts.extended), el("span", { class: "name" }, L.extended)));
}

function countCells(counts) {
  return [el("td", { "data-cat": "total" }, counts.total),
    ...CATEGORIES.map((cat) => el("td", { "data-cat": cat, class: cat === "overdue" && counts[cat] ? "overdue" : null }, counts[cat]))];
}

function countHead(first) {
  return el("thead", {}, el("tr", {}, el("th", {}, first), el("th", {}, L.col_total),
    ...CATEGORIES.map((cat) => el("th", { title: L.categories[cat] }, L.categories[cat]))));
}

function pager(data) {
  const pages = Math.max(1, Math.ceil(data.total_rows / PAGE));
  const page = Math.floor(data.offset / PAGE) + 1;
  const go = (offset) => () => { state.offset = offset; load(); };
  $("#pager").replaceChildren(
    el("button", { type: "button", class: "secondary", disabled: page <= 1, on: { click: go(data.offset - PAGE) } }, L.prev),
    el("span", { class: "hint", id: "page" }, L.page.replace("{page}", page).replace("{pages}", pages)),
    el("button", { type: "button", class: "secondary", disabled: page >= pages, on: { click: go(data.offset + PAGE) } }, L.next));
}

const views = {
  async units() {
    const data = await api("api/units?" + query({ offset: state.offset, limit: PAGE }));
    totals(data.total);
    pager(data);
    const pick = (id) => () => { setFilter("unit", id); };
    return el("table", { id: "units" }, countHead(L.col_unit), el("tbody", {},
      data.rows.map((row) => el("tr", { "data-unit-id": row.id, on: { click: pick(row.id) } },
        el("td", { class: "text" }, row.name), countCells(row.counts)))));
  },
  async dispatches() {
    const data = await api("api/dispatches?" + query({ offset: state.offset, limit: PAGE }));
    pager(data);
    const pick = (id) => () => { setFilter("dispatch", id); };
    return el("table", { id: "dispatches" }, countHead(L.col_dispatch), el("tbody", {},
      data.rows.map((row) => el("tr", { "data-dispatch-id": row.id, on: { click: pick(row.id) } },
        el("td", { class: "text", title: row.subject || "" }, row.name), countCells(row.counts)))));
  },
  async overdue() {
    const data = await api("api/overdue?" + query({ offset: state.offset, limit: PAGE }));
    pager(data);
    if (!data.rows.length) return el("p", { class: "hint" }, L.empty);
    return el("table", { id: "overdue" },
      el("thead", {}, el("tr", {}, el("th", {}, L.col_unit), el("th", {}, L.col_task), el("th", {}, L.col_due),
        el("th", {}, L.col_days), el("th", {}, L.col_head))),
      el("tbody", {}, data.rows.map((row) => el("tr", { "data-id": row.id, on: { click: () => detail(row.id) } },
        el("td", { class: "text" }, row.unit),
        el("td", { class: "text" }, (row.dispatch ? row.dispatch + " · " : "") + row.ref + ". " + row.text.slice(0, 120)),
        el("td", {}, day(row.due_on)), el("td", { class: "overdue" }, row.days),
        el("td", { class: "text" }, row.heads.join(", "))))));
  },
  async trend() {
    const data = await api("api/trend?" + query({}));
    $("#pager").replaceChildren();
    const top = Math.max(1, ...data.rows.map((r) => r.done_on_time + r.done_late));
    const bar = (r) => el("div", { class: "bar", title: `${day(r.week_of)}: ${r.done_on_time} / ${r.done_late}` },
      el("span", { class: "on", style: `height:${(r.done_on_time / top) * 130}px` }),
      el("span", { class: "late", style: `height:${(r.done_late / top) * 130}px` }));
    return el("div", { id: "trend" },
      el("div", { class: "bars" }, data.rows.map(bar)),
      el("div", { class: "axis" }, data.rows.map((r) => el("span", {}, day(r.week_of).slice(0, 5)))),
      el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, L.col_week), el("th", {}, L.categories.done_on_time),
        el("th", {}, L.categories.done_late), el("th", {}, L.col_came_due))),
      el("tbody", {}, data.rows.map((r) => el("tr", {}, el("td", {}, day(r.week_of)), el("td", {}, r.done_on_time),
        el("td", {}, r.done_late), el("td", {}, r.came_due))))));
  },
};

async function load() {
  for (const button of document.querySelectorAll("#tabs button")) {
    button.setAttribute("aria-pressed", button.dataset.tab === state.tab);
  }
  try {
    if (state.tab !== "units") {
      const data = await api("api/units?" + query({ limit: 1 }));
      totals(data.total);
    }
    const view = await views[state.tab]();
    $("#view").replaceChildren(el("div", { class: "view" }, view));
    say("");
  } catch (error) {
    if (!(error instanceof Refused)) say(error.message);
  }
}

function setFilter(name, value) {
  const form = $("#filters");
  if (form.elements[name]) form.elements[name].value = value;
  readFilters();
  state.tab = "overdue";
  load();
}

function readFilters() {
  const form = $("#filters");
  state.filters = Object.fromEntries(["dispatch", "unit", "group", "status", "from", "to"]
    .map((name) => [name, form.elements[name].value]));
  state.offset = 0;
}

async function act(path, body) {
  try {
    const result = await api(path, body);
    if (tg() && tg().HapticFeedback) tg().HapticFeedback.notificationOccurred(result.ok ? "success" : "error");
    $("#detail").close();
    await load();
    say(result.message);  // after load(), which clears the line
  } catch (error) {
    if (!(error instanceof Refused)) say(error.message);
  }
}

async function detail(id) {
  let task;
  try { task = await api("api/task/" + id); } catch (error) {
    if (!(error instanceof Refused)) say(error.message);
    return;
  }
  const dialog = $("#detail");
  const extState = { pending: L.ext_pending, approved: L.ext_approved, rejected: L.ext_rejected, cancelled: L.ext_cancelled };
  const actions = el("div", { class: "actions" });
  if (task.can_act) {
    for (const ext of task.extensions.filter((e) => e.status === "pending")) {
      actions.append(
        el("button", { type: "button", id: "approve", on: { click: () => act("api/extension/" + ext.request_id, { approve: true }) } }, L.approve),
        el("button", { type: "button", class: "secondary", id: "reject", on: { click: () => act("api/extension/" + ext.request_id, { approve: false }) } }, L.reject));
    }
    if (task.done) {
      const reason = el("input", { type: "text", placeholder: L.return_reason, maxlength: 500 });
      actions.append(reason, el("button", { type: "button", id: "return", on: { click: () => act(`api/assignment/${id}/return`, { reason: reason.value }) } }, L.return));
    } else {
      const on = el("input", { type: "date", value: task.due_on || "" });
      actions.append(on, el("button", { type: "button", id: "deadline", on: { click: () => act(`api/assignment/${id}/deadline`, { on: on.value }) } }, L.set_deadline));
    }
  }
  dialog.replaceChildren(
    el("h2", {}, `#${task.id} · ${task.ref}`),
    el("p", {}, task.text),
    el("p", { class: "hint" }, `${task.dispatch} · ${task.unit}`),
    el("p", {}, `${L.status}: ${L.categories[task.status]} · ${L.col_due}: ${day(task.due_on)}`
      + (task.original_due_on ? ` (${day(task.original_due_on)})` : "")),
    task.note ? el("p", {}, `${L.note}: ${task.note}`) : null,
    actions,
    el("h3", {}, L.history),
    el("ul", {}, task.events.map((e) => el("li", {}, `${e.at}: ${e.label}` + (e.who ? ` — ${e.who}` : ""),
      e.note ? el("div", { class: "hint" }, e.note) : null))),
    task.extensions.length ? el("h3", {}, L.extensions) : null,
    el("ul", {}, task.extensions.map((e) => el("li", {}, `${L.proposed} ${day(e.proposed_on)} — ${extState[e.status] || e.status}`,
      e.reason ? el("div", { class: "hint" }, e.reason) : null))),
    task.attachments.length ? el("h3", {}, L.attachments) : null,
    el("ul", {}, task.attachments.map((a) => el("li", {}, a.file_name || "—", a.sent_by ? ` — ${a.sent_by}` : ""))),
    el("button", { type: "button", class: "secondary", on: { click: () => dialog.close() } }, L.close));
  dialog.showModal();
}

async function start() {
  applyTheme(JSON.parse(hash.get("tgWebAppThemeParams") || "{}"));
  for (const node of document.querySelectorAll("[data-label]")) node.textContent = L[node.dataset.label];
  say(L.loading);
  if (tg()) { tg().ready(); tg().expand(); tg().onEvent("themeChanged", () => applyTheme(tg().themeParams)); }
  if (!initData()) { say(L.auth_failed); return; }
  let me, choices;
  try {
    [me, choices] = await Promise.all([api("api/me"), api("api/choices")]);
  } catch (error) {
    if (!(error instanceof Refused)) say(error.message);
    return;
  }
  state.office = me.office;
  $("#who").textContent = `${me.name} · ${me.office ? L.scope_office : me.unit}`;
  const form = $("#filters");
  options(form.elements.dispatch, choices.dispatches, L.all);
  options(form.elements.unit, choices.units, L.all);
  options(form.elements.group, choices.groups, L.all);
  options(form.elements.status, CATEGORIES.map((cat) => ({ id: cat, name: L.categories[cat] })), L.all);
  for (const node of document.querySelectorAll("[data-office]")) node.hidden = !me.office;
  form.addEventListener("submit", (event) => { event.preventDefault(); readFilters(); load(); });
  for (const button of document.querySelectorAll("#tabs button")) {
    button.addEventListener("click", () => { state.tab = button.dataset.tab; state.offset = 0; load(); });
  }
  const report = $("#report");
  report.hidden = !me.office;
  report.addEventListener("click", () => act("api/report",
    { dispatch: state.filters.dispatch ? Number(state.filters.dispatch) : null }));
  $("#main").hidden = false;
  await load();
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  document.body.dataset.ready = "1";
}

start();
