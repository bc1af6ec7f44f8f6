// Playground: run a deployment with inputs and context, and see which variant routing picked and why.
import {api} from '../api.js';
import {h, replace, field, dl, fmt, errorBox, parsePairs, badge} from '../dom.js';

function variablesIn(def) {
  const names = new Set();
  const walk = (v) => {
    if (typeof v === 'string') for (const m of v.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)) names.add(m[1]);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(def);
  return [...names];
}

export function playground(key, def) {
  const vars = def ? variablesIn(def) : [];
  const inputs = h('textarea', {name: 'inputs', rows: '3', placeholder: 'name=Ada, company=ACME'});
  inputs.value = vars.map((v) => `${v}=`).join(', ');
  const context = h('textarea', {name: 'context', rows: '2', placeholder: 'country=FR, plan=pro'});
  const message = h('textarea', {name: 'message', rows: '3', placeholder: 'Optional user message appended after the deployment\'s messages'});
  const out = h('div', {class: 'result', 'aria-live': 'polite'});
  const form = h('form', {class: 'playground', 'aria-label': `Run ${key}`},
    h('div', {class: 'grid'},
      field('Inputs', inputs, vars.length ? `Template variables: ${vars.join(', ')}` : 'key=value pairs for {{variables}}'),
      field('Context', context, 'key=value pairs that routing rules read')),
    field('User message', message),
    h('button', {type: 'submit', class: 'primary', text: 'Run'}));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const inp = parsePairs(inputs.value);
    const ctx = parsePairs(context.value);
    if (inp === null || ctx === null) {
      replace(out, errorBox(new Error('Inputs and context must be key=value pairs separated by commas.')));
      return;
    }
    for (const k of Object.keys(inp)) if (inp[k] === '') delete inp[k];
    const body = {key, inputs: inp, context: ctx};
    replace(out, h('p', {class: 'muted', text: 'Running…'}));
    try {
      const config = await api('/v2/deployments/get_config', {method: 'POST', body});
      const run = {...body, metadata: {source: 'playground'}};
      if (message.value.trim()) run.messages = [{role: 'user', content: message.value.trim()}];
      const r = await api('/v2/deployments/invoke', {method: 'POST', body: run});
      const why = config.routing || {};
      replace(out,
        h('div', {class: 'card'},
          h('h3', {}, 'Routing picked ', h('code', {class: 'picked-variant', text: r.variant}), ' ', badge(r.version, 'info')),
          h('p', {class: 'reason', text: why.reason || ''}),
          dl([['Rule', why.rule_name ? `${why.rule_name} (#${why.rule_index})` : why.rule_index === -1 ? 'none (default variant)' : null],
            ['Provider/model', `${r.provider}/${r.model}`], ['Latency', fmt.ms(r.latency_ms)],
            ['Attempts', (r.attempts || []).map((a) => `${a.provider}/${a.model} ${a.outcome}${a.status ? ` ${a.status}` : ''}`).join(' → ')],
            ['Tokens in / out', r.usage ? fmt.tokens(r.usage.prompt_tokens, r.usage.completion_tokens) : null],
            ['Call', h('a', {href: `#/calls/${encodeURIComponent(r.call_id)}`, text: r.call_id})]]),
          h('h4', {text: 'Reply'}), h('div', {class: 'msg assistant'}, h('pre', {class: 'reply', text: r.text || ''}))));
    } catch (err) {
      replace(out, errorBox(err));
    }
  });
  return h('div', {}, form, out);
}
