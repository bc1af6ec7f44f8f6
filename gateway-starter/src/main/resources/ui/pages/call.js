// One call: messages and reply (as text), attempts on a timeline, usage, cost, metadata, feedback.
import {api} from '../api.js';
import {h, replace, dl, fmt, badge, errorBox, field, toast} from '../dom.js';

/** Labels each attempt first / retry (same target again) / fallback (next target). */
function kinds(attempts) {
  return attempts.map((a, i) => {
    if (i === 0) return 'first';
    const p = attempts[i - 1];
    return p.provider === a.provider && p.model === a.model ? 'retry' : 'fallback';
  });
}

function timeline(attempts) {
  if (!attempts || attempts.length === 0) return h('p', {class: 'muted', text: 'No attempts were recorded.'});
  const longest = Math.max(1, ...attempts.map((a) => a.latency_ms || 0));
  const k = kinds(attempts);
  return h('ol', {class: 'timeline', 'aria-label': 'Attempts in order'}, attempts.map((a, i) => {
    const outcome = a.outcome || '';
    return h('li', {class: `attempt ${outcome}`},
      h('div', {class: 'attempt-head'},
        h('span', {class: 'attempt-n', text: `#${i + 1}`}),
        h('span', {class: 'kind', text: k[i]}),
        h('strong', {text: `${a.provider || ''}/${a.model || ''}`}),
        badge(outcome.replace('_', ' '), outcome),
        a.status ? h('span', {class: 'muted', text: `HTTP ${a.status}`}) : null,
        h('span', {class: 'muted', text: fmt.ms(a.latency_ms)})),
      h('div', {class: 'bar', role: 'presentation'},
        h('span', {class: `fill ${outcome}`, 'data-w': String(Math.max(2, Math.round(100 * (a.latency_ms || 0) / longest)))})),
      a.error ? h('pre', {class: 'attempt-error', text: a.error}) : null);
  }));
}

function messages(list) {
  if (!list || list.length === 0) return h('p', {class: 'muted', text: 'Not logged (content logging is off, or the call had no messages).'});
  return h('div', {class: 'messages'}, list.map((m) => h('div', {class: `msg ${m.role}`},
    h('div', {class: 'role', text: m.role}), h('pre', {text: m.content == null ? '' : String(m.content)}))));
}

function feedbackList(items) {
  if (!items || items.length === 0) return h('p', {class: 'muted', text: 'No feedback yet.'});
  return h('ul', {class: 'feedback'}, items.map((f) => h('li', {},
    f.thumbs ? badge(f.thumbs === 'up' ? 'thumbs up' : 'thumbs down', f.thumbs === 'up' ? 'success' : 'error') : null,
    f.score !== undefined && f.score !== null ? h('span', {text: ` score ${f.score}`}) : null,
    f.comment ? h('q', {text: f.comment}) : null,
    (f.tags || []).length ? h('span', {class: 'muted', text: ` [${f.tags.join(', ')}]`}) : null,
    h('span', {class: 'muted small', text: ` ${f.source || ''} ${fmt.time(f.created_at)}`}))));
}

function feedbackForm(id, onSaved) {
  const thumbs = h('select', {name: 'thumbs'}, [['', '—'], ['up', 'Thumbs up'], ['down', 'Thumbs down']]
    .map(([v, t]) => h('option', {value: v, text: t})));
  const score = h('input', {name: 'score', type: 'number', step: 'any', inputmode: 'decimal'});
  const comment = h('textarea', {name: 'comment', rows: '2', maxlength: '4000'});
  const out = h('div', {'aria-live': 'polite'});
  const form = h('form', {class: 'card', 'aria-label': 'Add feedback'},
    h('div', {class: 'grid'}, field('Thumbs', thumbs), field('Score', score)), field('Comment', comment), out,
    h('button', {type: 'submit', class: 'secondary', text: 'Add feedback'}));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {call_id: id};
    if (thumbs.value) body.thumbs = thumbs.value;
    if (score.value) body.score = Number(score.value);
    if (comment.value.trim()) body.comment = comment.value.trim();
    try {
      await api('/v2/feedback', {method: 'POST', body});
      form.reset();
      replace(out);
      toast('Feedback saved.');
      onSaved();
    } catch (err) {
      replace(out, errorBox(err));
    }
  });
  return form;
}

export async function render(main, [id]) {
  const r = await api(`/v1/logs/${encodeURIComponent(id)}`);
  const feedback = h('div');
  async function loadFeedback(fresh) {
    try {
      const again = fresh ? await api(`/v1/logs/${encodeURIComponent(id)}`) : r;
      replace(feedback, feedbackList(again.feedback || []));
    } catch (e) {
      replace(feedback, errorBox(e));
    }
  }
  const head = h('div', {class: 'page-head'},
    h('h1', {}, 'Call ', h('code', {text: r.id})),
    badge(r.status || '', r.status));
  replace(main,
    h('p', {}, h('a', {href: '#/logs', text: '← Logs'})),
    head,
    r.status === 'error' ? h('div', {class: 'error', role: 'note'}, h('strong', {text: r.error_type || 'error'}), ' ', r.error_message || '') : null,
    h('section', {'aria-labelledby': 'facts'}, h('h2', {id: 'facts', class: 'sr-only', text: 'Summary'}), dl([
      ['Started', fmt.time(r.started_at)],
      ['Deployment', r.deployment], ['Variant', r.variant], ['Version', r.version],
      ['Provider/model', [r.provider, r.model].filter(Boolean).join('/')],
      ['Response model', r.response_model],
      ['Latency', fmt.ms(r.latency_ms)], ['Time to first token', fmt.ms(r.time_to_first_token_ms)],
      ['Tokens in / out', fmt.tokens(r.input_tokens, r.output_tokens)], ['Cached tokens', r.cached_tokens],
      ['Cost', fmt.cost(r.cost_usd)], ['Finish reason', r.finish_reason], ['Streaming', r.streaming ? 'yes' : 'no'],
      ['Origin', r.origin], ['Trace id', r.trace_id ? h('code', {text: r.trace_id}) : null], ['Span id', r.span_id],
    ])),
    h('section', {'aria-labelledby': 'att'}, h('h2', {id: 'att', text: `Attempts (${(r.attempts || []).length})`}), timeline(r.attempts)),
    h('section', {'aria-labelledby': 'msgs'}, h('h2', {id: 'msgs', text: 'Messages'}), messages(r.request_messages)),
    h('section', {'aria-labelledby': 'reply'}, h('h2', {id: 'reply', text: 'Reply'}),
      r.reply != null ? h('div', {class: 'msg assistant'}, h('pre', {text: r.reply})) : h('p', {class: 'muted', text: 'No reply logged.'})),
    h('section', {'aria-labelledby': 'meta'}, h('h2', {id: 'meta', text: 'Metadata and context'}),
      Object.keys(r.metadata || {}).length || Object.keys(r.context || {}).length
        ? h('div', {class: 'grid'},
          dl(Object.entries(r.metadata || {}).map(([k, v]) => [`metadata.${k}`, v])),
          dl(Object.entries(r.context || {}).map(([k, v]) => [`context.${k}`, v])))
        : h('p', {class: 'muted', text: 'None.'})),
    h('section', {'aria-labelledby': 'fb'}, h('h2', {id: 'fb', text: 'Feedback'}), feedback, feedbackForm(r.id, () => loadFeedback(true))));
  for (const fill of main.querySelectorAll('.fill[data-w]')) fill.style.width = `${fill.dataset.w}%`;
  await loadFeedback(false);
}
