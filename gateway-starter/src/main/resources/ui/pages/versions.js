// A deployment's versions: history, diff between any two, roll back after a confirmation dialog.
import {api} from '../api.js';
import {h, replace, fmt, errorBox, field, toast} from '../dom.js';

function show(v) {
  return v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v, null, 1);
}

function diffTable(d) {
  if (!d.changes || d.changes.length === 0) return h('p', {class: 'muted', text: `${d.from} and ${d.to} are the same.`});
  return h('div', {class: 'table-wrap'}, h('table', {class: 'diff'},
    h('caption', {text: `Changes from ${d.from} to ${d.to}`}),
    h('thead', {}, h('tr', {}, ['Key path', 'Change', d.from, d.to].map((t) => h('th', {scope: 'col', text: t})))),
    h('tbody', {}, d.changes.map((c) => h('tr', {class: c.kind},
      h('td', {}, h('code', {text: c.path})), h('td', {text: c.kind}),
      h('td', {}, h('pre', {class: 'old', text: show(c.old)})), h('td', {}, h('pre', {class: 'new', text: show(c.new)})))))));
}

/** Asks to confirm in a modal dialog; resolves to true when confirmed. */
function confirmDialog(title, text, action) {
  return new Promise((resolve) => {
    const dialog = h('dialog', {class: 'confirm', 'aria-labelledby': 'dlg-title'},
      h('form', {method: 'dialog'},
        h('h2', {id: 'dlg-title', text: title}), h('p', {text}),
        h('div', {class: 'row end'},
          h('button', {value: 'cancel', class: 'secondary', text: 'Cancel'}),
          h('button', {value: 'ok', class: 'danger', text: action}))));
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector('button[value=cancel]').focus();
  });
}

export async function versions(key, detail, reload) {
  const list = [...detail.versions].reverse();
  const opts = (sel) => list.map((v) => h('option', {value: v.number, text: `${v.version} — ${v.message || ''}`, selected: v.number === sel}));
  const latest = list[0].number;
  const from = h('select', {name: 'from'}, opts(list.length > 1 ? list[1].number : latest));
  const to = h('select', {name: 'to'}, opts(latest));
  const out = h('div', {'aria-live': 'polite'});
  const diffForm = h('form', {class: 'row', 'aria-label': 'Compare versions'}, field('From', from), field('To', to),
    h('button', {type: 'submit', class: 'secondary', text: 'Compare'}));
  async function compare() {
    try {
      replace(out, diffTable(await api(`/v2/admin/deployments/${encodeURIComponent(key)}/diff?from=${from.value}&to=${to.value}`)));
    } catch (err) {
      replace(out, errorBox(err));
    }
  }
  diffForm.addEventListener('submit', (e) => {
    e.preventDefault();
    compare();
  });
  const rows = list.map((v) => h('tr', {},
    h('th', {scope: 'row'}, h('code', {text: v.version}), v.number === latest ? ' (current)' : ''),
    h('td', {text: fmt.time(v.created_at)}), h('td', {text: v.author || ''}), h('td', {class: 'wrap', text: v.message || ''}),
    h('td', {}, v.number === latest ? null : h('button', {
      type: 'button', class: 'secondary small', text: `Roll back to ${v.version}`, 'data-version': v.version,
      on: {click: async () => {
        if (!await confirmDialog(`Roll back ${key}?`, `This publishes a copy of ${v.version} as a new version, served to the next calls.`, `Roll back to ${v.version}`)) return;
        try {
          const r = await api(`/v2/admin/deployments/${encodeURIComponent(key)}/rollback`, {method: 'POST', body: {version: v.number, author: 'panel'}});
          toast(`Rolled back: ${r.version} is a copy of ${v.version}.`);
          reload();
        } catch (err) {
          replace(out, errorBox(err));
        }
      }},
    }))));
  const table = h('div', {class: 'table-wrap'}, h('table', {},
    h('caption', {class: 'sr-only', text: 'Versions, newest first'}),
    h('thead', {}, h('tr', {}, ['Version', 'Published', 'Author', 'Message', ''].map((t) => h('th', {scope: 'col', text: t})))),
    h('tbody', {}, rows)));
  if (list.length > 1) compare();
  return h('div', {}, table, h('h2', {text: 'Compare'}), diffForm, out);
}
