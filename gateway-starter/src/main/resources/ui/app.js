// The panel's shell: session, hash routes, navigation. Pages are ES modules loaded on first use;
// each exports render(main, params, query) and may return a cleanup function (closes streams, charts).
import {api, setSession} from './api.js';
import {h, replace, errorBox} from './dom.js';

const routes = [
  [/^#\/logs$/, 'logs', () => import('./pages/logs.js')],
  [/^#\/calls\/([^/]+)$/, 'logs', () => import('./pages/call.js')],
  [/^#\/deployments$/, 'deployments', () => import('./pages/deployments.js')],
  [/^#\/deployments\/([^/]+)$/, 'deployments', () => import('./pages/deployment.js')],
  [/^#\/overview$/, 'overview', () => import('./pages/overview.js')],
];

const main = document.getElementById('main');
let cleanup = null;
let signedIn = false;

/** Splits location.hash into the route part and its query. */
function location() {
  const raw = window.location.hash || '#/logs';
  const i = raw.indexOf('?');
  return {path: i < 0 ? raw : raw.slice(0, i), query: new URLSearchParams(i < 0 ? '' : raw.slice(i + 1))};
}

async function show() {
  if (cleanup) {
    try { cleanup(); } catch { /* a page's cleanup must not stop navigation */ }
    cleanup = null;
  }
  if (!signedIn) return;
  const {path, query} = location();
  const route = routes.find(([re]) => re.test(path));
  if (!route) {
    window.location.replace('#/logs');
    return;
  }
  const params = path.match(route[0]).slice(1).map(decodeURIComponent);
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === route[1]) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const token = (show.token = (show.token || 0) + 1);
  try {
    const page = await route[2]();
    if (token !== show.token) return;
    replace(main);
    cleanup = (await page.render(main, params, query)) || null;
  } catch (e) {
    if (token === show.token) replace(main, errorBox(e));
  }
}

/** Navigates to a hash route (same route: re-renders). */
export function go(hash) {
  if (window.location.hash === hash) show();
  else window.location.hash = hash;
}

function signedOut() {
  signedIn = false;
  setSession(null);
  document.getElementById('nav').hidden = true;
  document.getElementById('logout').hidden = true;
  if (cleanup) { try { cleanup(); } catch { /* ignore */ } cleanup = null; }
  import('./pages/login.js').then((m) => m.render(main, signedInWith));
}

function signedInWith(session) {
  signedIn = true;
  setSession(session.csrf_token, signedOut);
  document.getElementById('nav').hidden = false;
  document.getElementById('logout').hidden = false;
  show();
}

document.getElementById('logout').addEventListener('click', async () => {
  try {
    await api('/ui/api/session', {method: 'DELETE'});
  } finally {
    signedOut();
  }
});

window.addEventListener('hashchange', () => {
  show().then(() => main.focus({preventScroll: true}));
});

document.addEventListener('keydown', (e) => {
  const t = e.target;
  if (e.key === '/' && !(t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement)) {
    const search = document.getElementById('q');
    if (search) {
      e.preventDefault();
      search.focus();
    }
  }
});

api('/ui/api/session').then((s) => (s && s.authenticated ? signedInWith(s) : signedOut()))
  .catch((e) => replace(main, errorBox(e), h('p', {}, h('a', {href: '', text: 'Reload'}))));
