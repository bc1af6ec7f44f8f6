// DOM helpers: every piece of data goes in as text (textContent / attribute values), never as HTML.

/**
 * Creates an element. attrs: {class, text, hidden, on: {click: fn}, ...attributes}; children: nodes,
 * strings (become text nodes), arrays, null/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled') el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Removes every child of el, then appends children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A labelled form field: label + control (+ optional hint), ids wired for accessibility. */
let ids = 0;
export function field(label, control, hint) {
  const id = control.id || `f${++ids}`;
  control.id = id;
  const parts = [h('label', {for: id, text: label}), control];
  if (hint) {
    const hid = `${id}-hint`;
    control.setAttribute('aria-describedby', hid);
    parts.push(h('small', {id: hid, class: 'hint', text: hint}));
  }
  return h('div', {class: 'field'}, parts);
}

/** A definition list from [term, value] pairs; values that are null/undefined/'' are skipped. */
export function dl(pairs, cls = 'facts') {
  return h('dl', {class: cls}, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => h('div', {}, h('dt', {text: k}), h('dd', {}, v instanceof Node ? v : String(v)))));
}

export const fmt = {
  time(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return d.toLocaleString(undefined, {month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit'});
  },
  ms(n) {
    if (n === null || n === undefined) return '';
    return n >= 10000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;
  },
  tokens(i, o) {
    if (i === undefined && o === undefined) return '';
    return `${i ?? 0} / ${o ?? 0}`;
  },
  cost(c) {
    if (c === null || c === undefined) return '';
    const n = Number(c);
    if (n === 0) return '$0';
    return n < 0.0001 ? `$${n.toPrecision(2)}` : n < 0.01 ? `$${n.toFixed(5)}` : `$${n.toFixed(4)}`;
  },
  pct(x) {
    return x === null || x === undefined ? '' : `${(x * 100).toFixed(1)}%`;
  },
  num(n) {
    return n === null || n === undefined ? '' : Number(n).toLocaleString();
  },
};

/** A status badge. */
export function badge(text, kind) {
  return h('span', {class: `badge ${kind || String(text).toLowerCase()}`, text});
}

/** Shows a short message in the polite live region. */
export function toast(message) {
  const t = document.getElementById('toast');
  t.textContent = message;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 4000);
}

/** An error box for an ApiError or any Error. */
export function errorBox(err) {
  return h('div', {class: 'error', role: 'alert'},
    h('strong', {text: err.status ? `Error ${err.status}` : 'Error'}), ' ', err.message || String(err));
}

/** Parses "a=1, b=2" or one pair a line into an object; returns null when a part has no "=". */
export function parsePairs(text) {
  const out = {};
  for (const part of String(text || '').split(/[\n,]/)) {
    const p = part.trim();
    if (!p) continue;
    const i = p.indexOf('=');
    if (i <= 0) return null;
    out[p.slice(0, i).trim()] = p.slice(i + 1).trim();
  }
  return out;
}

/** "a=1, b=2" from an object. */
export function pairsText(obj) {
  return Object.entries(obj || {}).map(([k, v]) => `${k}=${v}`).join(', ');
}
