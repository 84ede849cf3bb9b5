import { api, withQuery } from '../api.js';
import { h } from '../dom.js';
import { formatDate, t } from '../i18n.js';

/** The audit log, newest first, filtered by action, token and target. */
export async function auditView(view, { identity }) {
  view.append(h('h1', {}, t('nav.audit')));
  if (identity.role !== 'admin') {
    view.append(h('p', { class: 'muted' }, t('audit.adminOnly')));
    return undefined;
  }
  const action = h('input', { id: 'audit-action', placeholder: `${t('audit.action')} (chat.*)` });
  const actor = h('input', { id: 'audit-actor', placeholder: t('audit.actor') });
  const target = h('input', { id: 'audit-target', placeholder: t('audit.target') });
  const rows = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, t('more'));
  let cursor = null;
  const load = async (reset) => {
    const page = await api(
      withQuery('/api/audit', {
        action: action.value.trim(),
        actor: actor.value.trim(),
        target: target.value.trim(),
        cursor: reset ? null : cursor,
        limit: 50,
      }),
    );
    if (reset) rows.replaceChildren();
    for (const e of page.items) {
      rows.append(
        h(
          'tr',
          { class: e.outcome === 'ok' ? '' : 'failed' },
          h('td', {}, formatDate(e.at)),
          h('td', {}, `${e.actor.label} (${e.actor.tokenId}, ${e.actor.role})`),
          h('td', {}, e.action),
          h('td', {}, e.target),
          h('td', {}, `${e.ip}${e.userAgent ? ` · ${e.userAgent}` : ''}`),
          h('td', {}, `${e.outcome} ${e.statusCode}`),
          h('td', { class: 'text' }, JSON.stringify(e.details)),
        ),
      );
    }
    cursor = page.nextCursor;
    more.hidden = cursor === null;
  };
  const form = h('form', { class: 'row' }, action, actor, target, h('button', { type: 'submit' }, t('audit.filter')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load(true);
  });
  more.addEventListener('click', () => load(false));
  view.append(
    form,
    h(
      'table',
      { id: 'audit' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['audit.when', 'audit.actor', 'audit.action', 'audit.target', 'audit.from', 'audit.outcome', ''].map((k) =>
            h('th', {}, k === '' ? '' : t(k)),
          ),
        ),
      ),
      rows,
    ),
    more,
  );
  await load(true);
  return undefined;
}
