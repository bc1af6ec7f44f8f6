// One deployment: its variants and routing, its versions (diff, roll back), an editor and a playground.
import {api} from '../api.js';
import {h, replace, dl, fmt, errorBox, badge} from '../dom.js';
import {go} from '../app.js';
import {editor} from './editor.js';
import {playground} from './playground.js';
import {versions} from './versions.js';

const TABS = [['definition', 'Definition'], ['versions', 'Versions'], ['edit', 'Edit'], ['playground', 'Playground']];

/** The variants of a definition: {name: variant}; a definition without "variants" is one variant. */
export function variantsOf(def) {
  if (!def) return {};
  if (def.variants && typeof def.variants === 'object') return def.variants;
  const {routing, default_variant: dv, ...one} = def;
  return {[dv || 'default']: one};
}

function variantCard(name, v, isDefault) {
  const policies = [];
  if (v.retry !== undefined) policies.push(['Retry', JSON.stringify(v.retry)]);
  if (v.fallbacks) policies.push(['Fallbacks', v.fallbacks.join(', ')]);
  if (v.timeout !== undefined) policies.push(['Timeout', String(v.timeout)]);
  return h('article', {class: 'card variant', 'aria-label': `Variant ${name}`},
    h('h3', {}, name, isDefault ? ' ' : null, isDefault ? badge('default', 'info') : null),
    dl([['Model', v.model], ...policies,
      ['Parameters', v.parameters ? h('code', {text: JSON.stringify(v.parameters)}) : null]]),
    (v.messages || []).map((m) => h('div', {class: `msg ${m.role}`}, h('div', {class: 'role', text: m.role}), h('pre', {text: m.content}))));
}

function ruleText(r) {
  if (r.split) return `split on ${r.split.key}: ${Object.entries(r.split.weights || {}).map(([k, w]) => `${k} ${w}%`).join(', ')}`;
  return `→ ${r.variant}`;
}

/** Polls /v1/models for a few seconds until the engine serves the stored version (after a publish or rollback). */
async function waitUntilServed(key, stored, current, show) {
  for (let i = 0; i < 20 && current !== stored; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const m = await api('/v1/models').catch(() => null);
    const s = m && (m.data.find((x) => x.id === key) || {}).switchboard;
    if (!s || !document.body.contains(document.querySelector('p.serving'))) return;
    current = s.version;
    show(current);
  }
}

function definitionView(key, def, served, stored) {
  const variants = variantsOf(def);
  const dflt = def.default_variant || Object.keys(variants)[0];
  const rules = def.routing || [];
  const serving = h('p', {class: 'serving', 'aria-live': 'polite'});
  const show = (version) => replace(serving, 'Serving version ', h('code', {text: version}),
    version !== stored ? h('span', {class: 'muted', text: ` (${stored} published; served from the next reload)`}) : null);
  if (served) {
    show(served.version);
    waitUntilServed(key, stored, served.version, show);
  }
  return h('div', {},
    served ? serving : null,
    h('h2', {text: 'Variants'}),
    h('div', {class: 'cards'}, Object.entries(variants).map(([n, v]) => variantCard(n, v, n === dflt))),
    h('h2', {text: 'Routing rules'}),
    rules.length === 0 ? h('p', {class: 'muted', text: 'No rules: every call uses the default variant.'})
      : h('ol', {class: 'rules'}, rules.map((r, i) => h('li', {},
        h('strong', {text: r.name || `rule-${i}`}), ' ',
        r.when ? h('code', {text: `when ${JSON.stringify(r.when)}`}) : h('span', {class: 'muted', text: 'always'}), ' ',
        h('span', {text: ruleText(r)})))));
}

export async function render(main, [key], q) {
  const tab = TABS.some(([t]) => t === q.get('tab')) ? q.get('tab') : 'definition';
  const [detail, models] = await Promise.all([
    api(`/v2/admin/deployments/${encodeURIComponent(key)}`).catch((e) => (e.status === 404 ? null : Promise.reject(e))),
    api('/v1/models'),
  ]);
  const served = (models.data.find((m) => m.id === key) || {}).switchboard;
  const nav = h('nav', {class: 'tabs', 'aria-label': 'Deployment views'}, TABS.map(([t, label]) =>
    h('a', {href: `#/deployments/${encodeURIComponent(key)}?tab=${t}`, 'aria-current': t === tab ? 'page' : null, id: `tab-${t}`, text: label})));
  const panel = h('section', {'aria-labelledby': `tab-${tab}`});
  replace(main,
    h('p', {}, h('a', {href: '#/deployments', text: '← Deployments'})),
    h('div', {class: 'page-head'}, h('h1', {}, 'Deployment ', h('code', {text: key})),
      detail ? h('span', {class: 'muted', text: `${detail.current.version} by ${detail.current.author || '?'} ${fmt.time(detail.current.created_at)}`}) : null),
    nav, panel);
  const reload = (t) => go(`#/deployments/${encodeURIComponent(key)}?tab=${t}`);
  const current = detail ? detail.current.definition : null;
  try {
    if (tab === 'definition') {
      replace(panel, current ? definitionView(key, current, served, detail.current.version)
        : h('div', {class: 'card'},
          h('p', {}, 'This deployment is defined in the configuration files',
            served ? ` (version ${served.version}, default variant ${served.default_variant})` : '', ' and has no version in the deployment store.'),
          h('p', {}, 'Publish a version in ', h('a', {href: `#/deployments/${encodeURIComponent(key)}?tab=edit`, text: 'Edit'}),
            ' to manage it here; the store\'s version then replaces the files\' definition.')));
    } else if (tab === 'versions') {
      replace(panel, detail ? await versions(key, detail, () => reload('versions'))
        : h('p', {class: 'muted', text: 'No versions in the deployment store yet.'}));
    } else if (tab === 'edit') {
      replace(panel, await editor(key, current, () => reload('definition')));
    } else {
      replace(panel, playground(key, current));
    }
  } catch (e) {
    replace(panel, errorBox(e));
  }
}
