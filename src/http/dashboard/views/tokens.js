import { api } from '../api.js';
import { h, replace, table } from '../dom.js';
import { formatDate, t } from '../i18n.js';

/** The live login sessions, each revocable (the admin's own marked). */
function sessionsSection() {
  const list = h('div', { id: 'sessions' });
  const refresh = async () => {
    const { items } = await api('/api/sessions');
    replace(
      list,
      items.length === 0
        ? h('p', { class: 'muted' }, t('sessions.none'))
        : table(
            [
              t('sessions.who'),
              t('tokens.role'),
              t('sessions.method'),
              'IP',
              t('sessions.lastSeen'),
              t('sessions.expires'),
              '',
            ],
            items.map((s) => [
              s.label,
              t(`role.${s.role}`),
              s.method,
              s.ip,
              formatDate(s.lastSeenAt),
              formatDate(s.expiresAt),
              s.current
                ? h('span', { class: 'muted' }, t('sessions.current'))
                : h(
                    'button',
                    {
                      type: 'button',
                      dataset: { session: s.id },
                      onclick: async () => (await api(`/api/sessions/${s.id}`, { method: 'DELETE' }), refresh()),
                    },
                    t('tokens.revoke'),
                  ),
            ]),
            { id: 'sessions-table' },
          ),
    );
  };
  return { element: h('div', {}, h('h2', {}, t('sessions.title')), list), refresh };
}

/** Telegram users allowed to sign in with the widget: grant a role, change it, remove it. */
function telegramAdminsSection() {
  const list = h('div');
  const userId = h('input', {
    id: 'telegram-user-id',
    type: 'number',
    min: 1,
    required: true,
    placeholder: t('telegramAdmins.userId'),
  });
  const label = h('input', { id: 'telegram-label', placeholder: t('tokens.label'), required: true, maxlength: 100 });
  const role = h(
    'select',
    { id: 'telegram-role' },
    ['viewer', 'operator', 'admin'].map((r) => h('option', { value: r }, t(`role.${r}`))),
  );
  const form = h(
    'form',
    { class: 'row', id: 'telegram-admin-form' },
    userId,
    label,
    role,
    h('button', { type: 'submit' }, t('telegramAdmins.grant')),
  );
  const refresh = async () => {
    const { items } = await api('/api/telegram-admins');
    replace(
      list,
      table(
        [t('telegramAdmins.userId'), t('tokens.label'), t('tokens.role'), t('telegramAdmins.granted'), ''],
        items.map((g) => [
          String(g.telegramUserId),
          g.label,
          t(`role.${g.role}`),
          formatDate(g.grantedAt),
          h(
            'button',
            {
              type: 'button',
              onclick: async () => (
                await api(`/api/telegram-admins/${g.telegramUserId}`, { method: 'DELETE' }),
                refresh()
              ),
            },
            t('telegramAdmins.remove'),
          ),
        ]),
        { id: 'telegram-admins' },
      ),
    );
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await api(`/api/telegram-admins/${Number(userId.value)}`, {
      method: 'PUT',
      body: { role: role.value, label: label.value.trim() },
    });
    userId.value = '';
    label.value = '';
    await refresh();
  });
  return {
    element: h(
      'div',
      {},
      h('h2', {}, t('telegramAdmins.title')),
      h('p', { class: 'muted' }, t('telegramAdmins.hint')),
      form,
      list,
    ),
    refresh,
  };
}

/** Admin's token management: list, create (secret shown once), revoke; login sessions and Telegram admins. */
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
  const sessions = sessionsSection();
  const telegramAdmins = telegramAdminsSection();
  view.append(form, shown, list, sessions.element, telegramAdmins.element);
  await Promise.all([refresh(), sessions.refresh(), telegramAdmins.refresh()]);
  return undefined;
}
