import { api } from '../api.js';
import { h, replace, table } from '../dom.js';
import { formatDate, t } from '../i18n.js';

/** Admin's token management: list, create (secret shown once), revoke. */
export async function tokensView(view, { identity }) {
  view.append(h('h1', {}, t('nav.tokens')));
  if (identity.role !== 'admin') {
    view.append(h('p', { class: 'muted' }, t('tokens.adminOnly')));
    return undefined;
  }
  const list = h('div');
  const shown = h('div');
  const label = h('input', { id: 'token-label', placeholder: t('tokens.label'), required: true, maxlength: 100 });
  const role = h(
    'select',
    { id: 'token-role' },
    ['viewer', 'operator', 'admin'].map((r) => h('option', { value: r }, t(`role.${r}`))),
  );
  const form = h('form', { class: 'row' }, label, role, h('button', { type: 'submit' }, t('tokens.create')));
  const refresh = async () => {
    const { items } = await api('/api/tokens');
    replace(
      list,
      table(
        ['id', t('tokens.label'), t('tokens.role'), t('tokens.created'), t('tokens.revoked'), ''],
        items.map((k) => [
          k.id,
          k.label,
          t(`role.${k.role}`),
          formatDate(k.createdAt),
          formatDate(k.revokedAt),
          k.revokedAt === null
            ? h(
                'button',
                {
                  type: 'button',
                  onclick: async () => (await api(`/api/tokens/${k.id}`, { method: 'DELETE' }), refresh()),
                },
                t('tokens.revoke'),
              )
            : '',
        ]),
        { id: 'tokens' },
      ),
    );
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const created = await api('/api/tokens', { method: 'POST', body: { role: role.value, label: label.value.trim() } });
    replace(shown, h('p', { class: 'ok' }, t('tokens.shown'), ' ', h('code', { id: 'new-token' }, created.token)));
    label.value = '';
    await refresh();
  });
  view.append(form, shown, list);
  await refresh();
  return undefined;
}
