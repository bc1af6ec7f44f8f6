// Sign-in: the admin key is sent once and exchanged for an HttpOnly session cookie.
import {api} from '../api.js';
import {h, replace, field, errorBox} from '../dom.js';

export function render(main, onSignedIn) {
  const key = h('input', {type: 'password', name: 'key', required: true, autocomplete: 'current-password', spellcheck: 'false'});
  const status = h('div', {'aria-live': 'assertive'});
  const form = h('form', {class: 'card narrow', 'aria-labelledby': 'login-title'},
    h('h1', {id: 'login-title', text: 'Sign in'}),
    h('p', {class: 'muted', text: 'Enter one of the gateway\'s admin keys (gateway.admin_keys). It is exchanged for a session cookie and not stored in the page.'}),
    field('Admin key', key),
    status,
    h('button', {type: 'submit', class: 'primary', text: 'Sign in'}));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(status);
    try {
      const s = await api('/ui/api/session', {method: 'POST', body: {key: key.value}});
      key.value = '';
      onSignedIn(s);
    } catch (err) {
      replace(status, errorBox(err));
      key.select();
    }
  });
  replace(main, form);
  key.focus();
}
