// Logs: the call log, newest first, with every /v1/logs filter, cursor paging and a live tail over SSE.
import {api, query} from '../api.js';
import {h, replace, field, fmt, badge, errorBox, parsePairs} from '../dom.js';

const FIELDS = ['q', 'deployment', 'variant', 'provider', 'model', 'status', 'origin', 'trace_id', 'min_latency_ms', 'feedback', 'min_score',
  'from', 'to'];
const RANGES = [['', 'Any time'], ['15m', 'Last 15 minutes'], ['1h', 'Last hour'], ['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['custom', 'Custom…']];
const RANGE_MS = {'15m': 9e5, '1h': 36e5, '24h': 864e5, '7d': 6048e5};

/** The /v1/logs parameters of the page's hash query. */
function filters(q) {
  const f = {};
  for (const k of FIELDS) if (q.get(k)) f[k] = q.get(k);
  const range = q.get('range');
  if (range && RANGE_MS[range]) f.from = new Date(Date.now() - RANGE_MS[range]).toISOString();
  for (const [k, v] of q) if (k.startsWith('metadata.')) f[k] = v;
  return f;
}

function row(r, fresh) {
  const model = [r.provider, r.model].filter(Boolean).join('/');
  return h('tr', {class: fresh ? 'fresh' : null, 'data-id': r.id},
    h('td', {}, h('a', {href: `#/calls/${encodeURIComponent(r.id)}`, text: fmt.time(r.started_at), title: r.started_at})),
    h('td', {text: r.deployment || ''}),
    h('td', {text: r.variant || ''}),
    h('td', {class: 'wrap', text: model}),
    h('td', {}, badge(r.status || '', r.status), r.attempt_count > 1 ? h('span', {class: 'muted small', text: ` ${r.attempt_count} attempts`}) : null),
    h('td', {class: 'num', text: fmt.ms(r.latency_ms)}),
    h('td', {class: 'num', text: fmt.tokens(r.input_tokens, r.output_tokens)}),
    h('td', {class: 'num', text: fmt.cost(r.cost_usd)}));
}

function form(q, deployments) {
  const input = (name, attrs = {}) => h('input', {name, value: q.get(name) || '', ...attrs});
  const select = (name, options) => h('select', {name},
    options.map(([v, label]) => h('option', {value: v, text: label, selected: (q.get(name) || '') === v})));
  const meta = [...q].filter(([k]) => k.startsWith('metadata.')).map(([k, v]) => `${k.slice(9)}=${v}`).join(', ');
  const range = select('range', RANGES);
  const custom = h('div', {class: 'row', hidden: q.get('range') !== 'custom'},
    field('From', input('from', {type: 'datetime-local', value: local(q.get('from'))})),
    field('To', input('to', {type: 'datetime-local', value: local(q.get('to'))})));
  range.addEventListener('change', () => { custom.hidden = range.value !== 'custom'; });
  const search = input('q', {id: 'q', type: 'search', placeholder: 'Search messages, replies and errors  ( / )', 'aria-label': 'Full-text search'});
  return h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter calls'},
    h('div', {class: 'row'}, search, field('Time', range), h('button', {type: 'submit', class: 'primary', text: 'Search'})),
    custom,
    h('details', {open: [...q.keys()].some((k) => k !== 'q' && k !== 'range') || null},
      h('summary', {text: 'More filters'}),
      h('div', {class: 'grid'},
        field('Deployment', select('deployment', [['', 'Any'], ...deployments.map((d) => [d, d])])),
        field('Variant', input('variant')),
        field('Provider', input('provider')),
        field('Model', input('model')),
        field('Status', select('status', [['', 'Any'], ['success', 'Success'], ['error', 'Error']])),
        field('Min latency (ms)', input('min_latency_ms', {type: 'number', min: '0', inputmode: 'numeric'})),
        field('Metadata', input('metadata', {value: meta, placeholder: 'ticket=42, team=billing'}), 'key=value pairs, all must match'),
        field('Feedback', select('feedback', [['', 'Any or none'], ['any', 'Has feedback'], ['none', 'No feedback'], ['up', 'Thumbs up'], ['down', 'Thumbs down']])),
        field('Min score', input('min_score', {type: 'number', step: 'any', inputmode: 'decimal'}), 'average feedback score'),
        field('Origin', input('origin')),
        field('Trace id', input('trace_id')))));
}

function local(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : new Date(d.getTime() - d.getTimezoneOffset() * 6e4).toISOString().slice(0, 16);
}

/** The hash query a submitted filter form stands for; null when the metadata text is malformed. */
function toHash(formEl) {
  const out = new URLSearchParams();
  const data = new FormData(formEl);
  const range = data.get('range');
  for (const [k, v] of data) {
    const val = String(v).trim();
    if (!val || k === 'metadata' || ((k === 'from' || k === 'to') && range !== 'custom')) continue;
    out.set(k, k === 'from' || k === 'to' ? new Date(val).toISOString() : val);
  }
  const meta = parsePairs(data.get('metadata'));
  if (meta === null) return null;
  for (const [k, v] of Object.entries(meta)) out.set(`metadata.${k}`, v);
  return out.toString();
}

export async function render(main, params, q) {
  const f = filters(q);
  const first = api(`/v1/logs${query({...f, limit: 50})}`); // in parallel with the deployments list
  first.catch(() => {});
  const deployments = await api('/v1/models').then((m) => m.data.filter((x) => x.switchboard && x.switchboard.kind === 'deployment').map((x) => x.id))
    .catch(() => []);
  const filterForm = form(q, deployments);
  const status = h('p', {class: 'muted', 'aria-live': 'polite'});
  const body = h('tbody');
  const more = h('button', {type: 'button', class: 'secondary', text: 'Load more', hidden: true});
  const live = h('input', {type: 'checkbox', id: 'live', checked: q.get('live') === '1'});
  const table = h('div', {class: 'table-wrap'}, h('table', {class: 'calls'},
    h('caption', {class: 'sr-only', text: 'Calls, newest first'}),
    h('thead', {}, h('tr', {}, ['Time', 'Deployment', 'Variant', 'Provider/model', 'Status', 'Latency', 'Tokens in/out', 'Cost']
      .map((t, i) => h('th', {scope: 'col', class: i >= 5 ? 'num' : null, text: t})))),
    body));
  replace(main,
    h('div', {class: 'page-head'}, h('h1', {text: 'Logs'}),
      h('label', {class: 'toggle', for: 'live'}, live, ' Live tail')),
    filterForm, status, table, h('div', {class: 'more'}, more));
  filterForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const hash = toHash(filterForm);
    if (hash === null) {
      status.textContent = 'Metadata must be key=value pairs separated by commas.';
      return;
    }
    const p = new URLSearchParams(hash);
    if (live.checked) p.set('live', '1');
    window.location.hash = `#/logs${p.toString() ? `?${p}` : ''}`;
  });

  let cursor = null;
  let shown = 0;
  async function page() {
    more.disabled = true;
    try {
      const r = await (cursor === null && shown === 0 ? first : api(`/v1/logs${query({...f, limit: 50, cursor})}`));
      r.data.forEach((rec) => body.append(row(rec, false)));
      shown += r.data.length;
      cursor = r.next_cursor;
      more.hidden = !r.has_more;
      status.textContent = shown === 0 ? 'No calls match.' : `${shown} call${shown === 1 ? '' : 's'} shown${r.has_more ? ', more available' : ''}.`;
    } catch (e) {
      replace(status, errorBox(e));
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', page);
  await page();

  let source = null;
  function tail(on) {
    if (source) { source.close(); source = null; }
    delete live.dataset.connected;
    if (!on) return;
    const {from, to, ...rest} = f; // new calls are newer than any range start; "to" would exclude them
    source = new EventSource(`/v1/logs/stream${query(rest)}`);
    source.onmessage = (ev) => {
      let rec;
      try { rec = JSON.parse(ev.data); } catch { return; }
      if (rec && rec.type === 'ping') live.dataset.connected = 'true'; // the stream is registered: tests wait for this
      if (!rec || !rec.id || rec.type === 'ping' || body.querySelector(`tr[data-id="${CSS.escape(rec.id)}"]`)) return;
      body.prepend(row(rec, true));
      shown += 1;
      status.textContent = `${shown} calls shown; new: ${rec.deployment || ''} ${rec.status || ''}.`;
    };
    source.onerror = () => { status.textContent = 'Live tail disconnected; retrying…'; };
  }
  live.addEventListener('change', () => tail(live.checked));
  tail(live.checked);
  return () => tail(false);
}

