// Deployments: every configured deployment with the version it serves, and what the store knows of it.
import {api} from '../api.js';
import {h, replace, fmt, errorBox, badge} from '../dom.js';

export async function render(main) {
  const [models, store] = await Promise.all([
    api('/v1/models'),
    api('/v2/admin/deployments').catch((e) => ({error: e, data: []})),
  ]);
  const stored = new Map((store.data || []).map((d) => [d.key, d]));
  const keys = new Set(models.data.filter((m) => m.switchboard && m.switchboard.kind === 'deployment').map((m) => m.id));
  for (const k of stored.keys()) keys.add(k);
  const serving = new Map(models.data.filter((m) => m.switchboard && m.switchboard.kind === 'deployment').map((m) => [m.id, m.switchboard]));
  const rows = [...keys].sort().map((k) => {
    const s = stored.get(k);
    const live = serving.get(k);
    return h('tr', {},
      h('th', {scope: 'row'}, h('a', {href: `#/deployments/${encodeURIComponent(k)}`, text: k})),
      h('td', {}, h('code', {text: live ? live.version : s ? s.version : ''})),
      h('td', {}, s ? badge('store', 'info') : badge('files', 'muted')),
      h('td', {text: live ? live.default_variant || '' : ''}),
      h('td', {text: s ? `${s.author || ''} ${fmt.time(s.created_at)}` : ''}),
      h('td', {class: 'wrap', text: s ? s.message || '' : ''}));
  });
  replace(main,
    h('div', {class: 'page-head'}, h('h1', {text: 'Deployments'})),
    store.error ? errorBox(store.error) : null,
    rows.length === 0 ? h('p', {class: 'muted', text: 'No deployments are configured.'}) : h('div', {class: 'table-wrap'},
      h('table', {},
        h('caption', {class: 'sr-only', text: 'Deployments'}),
        h('thead', {}, h('tr', {}, ['Key', 'Serving', 'Source', 'Default variant', 'Last change', 'Message'].map((t) => h('th', {scope: 'col', text: t})))),
        h('tbody', {}, rows))));
}
