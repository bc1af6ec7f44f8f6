// Overview: requests, error rate, latency, tokens and cost over time per deployment / model / provider
// (uPlot, from the uplot WebJar), and providers with their circuit-breaker state and recent error rate.
import {api, query} from '../api.js';
import {h, replace, field, fmt, badge, errorBox} from '../dom.js';

const UPLOT = '/ui/webjars/uplot/1.6.30/dist/';
const COLORS = ['#2457c5', '#d9480f', '#2b8a3e', '#ae3ec9', '#e8590c', '#0b7285', '#c2255c', '#5f3dc4', '#66a80f', '#495057'];
const RANGES = {'1h': [36e5, '1m'], '24h': [864e5, '1h'], '7d': [6048e5, '1h'], '30d': [2592e6, '1d']};

let uPlotModule = null;
async function loadUplot() {
  if (!document.querySelector('link[data-uplot]')) {
    document.head.append(h('link', {rel: 'stylesheet', href: `${UPLOT}uPlot.min.css`, 'data-uplot': ''}));
  }
  uPlotModule = uPlotModule || (await import(`${UPLOT}uPlot.esm.js`)).default;
  return uPlotModule;
}

/** {x: [unix seconds…], groups: [name…], value(group, i)} from stats rows. */
function series(rows) {
  const xs = [...new Set(rows.map((r) => Date.parse(r.bucket_start) / 1000))].sort((a, b) => a - b);
  const groups = [...new Set(rows.map((r) => r.group ?? '(none)'))].sort();
  const at = new Map(rows.map((r) => [`${r.group ?? '(none)'}|${Date.parse(r.bucket_start) / 1000}`, r]));
  return {xs, groups, row: (g, x) => at.get(`${g}|${x}`)};
}

function chart(uPlot, el, title, s, pick, unit, charts, xRange, yMax = 0) {
  const data = [s.xs, ...s.groups.map((g) => s.xs.map((x) => {
    const r = s.row(g, x);
    return r ? pick(r) : null;
  }))];
  const box = h('figure', {class: 'chart'}, h('figcaption', {text: title}));
  el.append(box);
  const opts = {
    width: Math.max(280, box.clientWidth - 8), height: 220,
    scales: {x: {time: true, range: () => xRange}, y: {range: (u, min, max) => [0, Math.max(yMax, (max || 0) * 1.1, 1e-9)]}},
    series: [{}, ...s.groups.map((g, i) => ({label: g, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true,
      points: {show: s.xs.length <= 48, size: 5}, value: (u, v) => (v == null ? '—' : unit(v))}))],
    axes: [{}, {values: (u, vals) => vals.map((v) => unit(v)), size: 86}],
  };
  const plot = new uPlot(opts, data, box);
  box.setAttribute('aria-label', `${title}: ${s.groups.length} series over ${s.xs.length} time buckets`);
  box.setAttribute('role', 'img');
  charts.push(plot);
}

function totals(rows) {
  const by = new Map();
  for (const r of rows) {
    const g = r.group ?? '(none)';
    const t = by.get(g) || {requests: 0, errors: 0, tokens: 0, cost: 0, p50: 0, p95: 0, p99: 0};
    t.requests += r.requests; t.errors += r.errors; t.tokens += (r.input_tokens || 0) + (r.output_tokens || 0); t.cost += r.cost_usd || 0;
    for (const p of ['p50', 'p95', 'p99']) t[p] += (r.latency_ms[p] || 0) * r.requests;
    by.set(g, t);
  }
  return [...by.entries()].map(([g, t]) => ({group: g, ...t,
    p50: t.p50 / t.requests, p95: t.p95 / t.requests, p99: t.p99 / t.requests}));
}

async function providers() {
  const [health, recent] = await Promise.all([
    api('/health').catch((e) => e.status === 503 ? {providers: {}} : Promise.reject(e)),
    api(`/v1/stats${query({group_by: 'provider', bucket: '1m', from: new Date(Date.now() - 9e5).toISOString()})}`).catch(() => ({data: []})),
  ]);
  const rates = new Map(totals(recent.data).map((t) => [t.group, t]));
  return h('div', {class: 'table-wrap'}, h('table', {class: 'providers'},
    h('caption', {text: 'Providers: circuit breakers and the last 15 minutes'}),
    h('thead', {}, h('tr', {}, ['Provider', 'Type', 'Circuit breaker', 'Requests', 'Error rate'].map((t) => h('th', {scope: 'col', text: t})))),
    h('tbody', {}, Object.entries(health.providers || {}).map(([name, p]) => {
      const t = rates.get(name);
      const state = p.circuit_breaker || 'n/a';
      return h('tr', {}, h('th', {scope: 'row', text: name}), h('td', {text: p.type || ''}),
        h('td', {}, badge(state, state === 'CLOSED' ? 'success' : state === 'OPEN' ? 'error' : 'warn')),
        h('td', {class: 'num', text: t ? fmt.num(t.requests) : '0'}),
        h('td', {class: 'num', text: t ? fmt.pct(t.errors / t.requests) : '—'}));
    }))));
}

export async function render(main, params, q) {
  const range = RANGES[q.get('range')] ? q.get('range') : '24h';
  const groupBy = ['deployment', 'model', 'provider'].includes(q.get('group_by')) ? q.get('group_by') : 'deployment';
  const sel = (name, options, value) => h('select', {name}, options.map(([v, t]) => h('option', {value: v, text: t, selected: v === value})));
  const controls = h('form', {class: 'row', 'aria-label': 'Chart options'},
    field('Range', sel('range', [['1h', 'Last hour'], ['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['30d', 'Last 30 days']], range)),
    field('Per', sel('group_by', [['deployment', 'Deployment'], ['model', 'Model'], ['provider', 'Provider']], groupBy)));
  controls.addEventListener('change', () => {
    const d = new FormData(controls);
    window.location.hash = `#/overview?range=${d.get('range')}&group_by=${d.get('group_by')}`;
  });
  const cards = h('div', {class: 'stats-cards'});
  const charts = h('div', {class: 'charts'});
  const summary = h('div');
  const provs = h('section', {'aria-labelledby': 'prov'}, h('h2', {id: 'prov', text: 'Providers'}));
  replace(main, h('div', {class: 'page-head'}, h('h1', {text: 'Overview'})), controls, cards, charts, summary, provs);
  const plots = [];
  const [ms, bucket] = RANGES[range];
  const [stats, uPlot] = await Promise.all([
    api(`/v1/stats${query({group_by: groupBy, bucket, from: new Date(Date.now() - ms).toISOString()})}`),
    loadUplot(),
    providers().then((t) => provs.append(t), (e) => provs.append(errorBox(e))),
  ]);
  const rows = stats.data || [];
  const t = totals(rows);
  const all = t.reduce((a, x) => ({requests: a.requests + x.requests, errors: a.errors + x.errors, tokens: a.tokens + x.tokens, cost: a.cost + x.cost}),
    {requests: 0, errors: 0, tokens: 0, cost: 0});
  replace(cards, [['Requests', fmt.num(all.requests)], ['Error rate', all.requests ? fmt.pct(all.errors / all.requests) : '—'],
    ['Tokens', fmt.num(all.tokens)], ['Cost', fmt.cost(all.cost)]]
    .map(([k, v]) => h('div', {class: 'card stat'}, h('div', {class: 'muted', text: k}), h('div', {class: 'big', text: v}))));
  if (rows.length === 0) {
    charts.append(h('p', {class: 'muted', text: 'No calls in this range.'}));
    return () => {};
  }
  const s = series(rows);
  const x = [Math.floor((Date.now() - ms) / 1000), Math.ceil(Date.now() / 1000)];
  const n = (v) => fmt.num(Math.round(v));
  const c = (title, pick, unit, yMax) => chart(uPlot, charts, title, s, pick, unit, plots, x, yMax);
  c('Requests', (r) => r.requests, n, 1);
  c('Error rate', (r) => r.error_rate, (v) => fmt.pct(v), 0.05);
  c('Latency p50 (ms)', (r) => r.latency_ms.p50, n, 10);
  c('Latency p95 (ms)', (r) => r.latency_ms.p95, n, 10);
  c('Latency p99 (ms)', (r) => r.latency_ms.p99, n, 10);
  c('Tokens (in + out)', (r) => (r.input_tokens || 0) + (r.output_tokens || 0), n, 1);
  c('Cost (USD)', (r) => r.cost_usd || 0, (v) => fmt.cost(v), 1e-5);
  replace(summary, h('div', {class: 'table-wrap'}, h('table', {},
    h('caption', {text: `Per ${groupBy} (latency: request-weighted mean of bucket percentiles)`}),
    h('thead', {}, h('tr', {}, [groupBy, 'Requests', 'Error rate', 'p50', 'p95', 'p99', 'Tokens', 'Cost']
      .map((x, i) => h('th', {scope: 'col', class: i ? 'num' : null, text: x})))),
    h('tbody', {}, t.map((x) => h('tr', {}, h('th', {scope: 'row', text: x.group}),
      h('td', {class: 'num', text: fmt.num(x.requests)}), h('td', {class: 'num', text: fmt.pct(x.errors / x.requests)}),
      h('td', {class: 'num', text: fmt.ms(x.p50)}), h('td', {class: 'num', text: fmt.ms(x.p95)}), h('td', {class: 'num', text: fmt.ms(x.p99)}),
      h('td', {class: 'num', text: fmt.num(x.tokens)}), h('td', {class: 'num', text: fmt.cost(x.cost)})))))));
  const resize = () => plots.forEach((p) => p.setSize({width: Math.max(280, p.root.parentElement.clientWidth - 8), height: 220}));
  window.addEventListener('resize', resize);
  return () => {
    window.removeEventListener('resize', resize);
    plots.forEach((p) => p.destroy());
  };
}
