// Edit and publish a new version: a JSON editor; the gateway validates, and an error names the key path.
import {api} from '../api.js';
import {h, replace, field, toast} from '../dom.js';

/** The [start, end) of the key named last in a path such as variants.main.model, in JSON text; null if not found. */
export function locate(text, path) {
  const segs = path.replace(/^definition\.?/, '').split(/\.|\[\d+\]/).filter(Boolean);
  let at = 0;
  let found = null;
  for (const s of segs) {
    const i = text.indexOf(JSON.stringify(s) + ':', at) >= 0 ? text.indexOf(JSON.stringify(s) + ':', at) : text.indexOf(JSON.stringify(s), at);
    if (i < 0) break;
    found = [i, i + JSON.stringify(s).length];
    at = found[1];
  }
  return found;
}

/** A starting definition for a deployment that is only in the files: its resolved default variant. */
async function fromConfig(key) {
  try {
    const c = await api('/v2/deployments/get_config', {method: 'POST', body: {key}});
    const def = {model: `${c.provider}/${c.model}`, messages: c.messages};
    if (c.parameters && Object.keys(c.parameters).length) def.parameters = c.parameters;
    return def;
  } catch {
    return {model: 'provider/model', messages: [{role: 'user', content: '{{question}}'}]};
  }
}

export async function editor(key, current, published) {
  const def = current || await fromConfig(key);
  const text = h('textarea', {id: 'definition', name: 'definition', rows: '22', spellcheck: 'false', class: 'code',
    'aria-describedby': 'definition-error definition-hint'});
  text.value = JSON.stringify(def, null, 2);
  const error = h('div', {id: 'definition-error', class: 'field-error', role: 'alert'});
  const author = h('input', {name: 'author', value: 'panel', maxlength: '200'});
  const message = h('input', {name: 'message', maxlength: '500', placeholder: 'What changed and why'});
  const form = h('form', {class: 'editor', 'aria-label': `Publish a new version of ${key}`},
    current ? null : h('p', {class: 'note', text: 'This deployment has no stored version: the text below is a starting point built from what it resolves to now. Check its messages (templates such as {{name}} are shown filled in).'}),
    h('div', {class: 'field'},
      h('label', {for: 'definition', text: 'Definition (JSON: the keys under deployments.' + key + ' in switchboard.yaml)'}),
      h('div', {class: 'with-error'}, text, error),
      h('small', {id: 'definition-hint', class: 'hint', text: 'model, messages, parameters, retry, fallbacks, timeout; or variants, default_variant and routing.'})),
    h('div', {class: 'grid'}, field('Author', author), field('Message', message)),
    h('button', {type: 'submit', class: 'primary', text: 'Publish new version'}));
  const clear = () => { text.removeAttribute('aria-invalid'); replace(error); };
  text.addEventListener('input', clear);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear();
    let parsed;
    try {
      parsed = JSON.parse(text.value);
    } catch (err) {
      text.setAttribute('aria-invalid', 'true');
      replace(error, h('strong', {text: 'Not valid JSON: '}), err.message, ' — nothing was saved.');
      return;
    }
    try {
      const v = await api(`/v2/admin/deployments/${encodeURIComponent(key)}/versions`, {method: 'POST',
        body: {definition: parsed, author: author.value || undefined, message: message.value || undefined}});
      toast(`Published ${v.version}.`);
      published(v);
    } catch (err) {
      text.setAttribute('aria-invalid', 'true');
      replace(error, err.param ? h('code', {class: 'param', text: err.param}) : null, ' ', err.message, ' — nothing was saved.');
      const at = err.param ? locate(text.value, err.param) : null;
      text.focus();
      if (at) text.setSelectionRange(at[0], at[1]);
    }
  });
  return form;
}
