import { api } from '../api.js';
import { h, num, replace, table } from '../dom.js';
import { refreshEvery } from '../refresh.js';
import { t } from '../i18n.js';
import { settingsForm } from '../settings-form.js';

const path = (name) => `/api/plugins/${encodeURIComponent(name)}`;
const chatPath = (chatId, name) => `/api/chats/${chatId}/plugins/${encodeURIComponent(name)}`;

/** Plugins: the list with switches and figures, one plugin's settings, commands and jobs, and the plugins of one chat. */
export async function pluginsView(view, { identity, params }) {
  const canChange = identity.role !== 'viewer';
  const error = h('p', { class: 'error', hidden: true, id: 'plugins-error' });
  const list = h('div');
  const detail = h('div', { id: 'plugin-detail' });
  const perChat = h('div');
  view.append(h('h1', {}, t('nav.plugins')), error, list, detail, perChat);
  let selected = params[0] ?? null;

  const fail = (e) => {
    error.textContent = `${t('error')}: ${e.message}`;
    error.hidden = false;
  };

  const renderList = (plugins) => {
    replace(
      list,
      table(
        [
          t('plugins.name'),
          t('plugins.version'),
          t('plugins.kind'),
          t('plugins.description'),
          t('plugins.source'),
          t('plugins.enabled'),
          t('plugins.breaker'),
          t('plugins.calls'),
          t('plugins.failures'),
          'p50, ms',
          'p99, ms',
        ],
        plugins.map((p) =>
          h(
            'tr',
            { dataset: { plugin: p.name }, class: p.name === selected ? 'selected' : '' },
            h('td', {}, h('a', { href: `#/plugins/${encodeURIComponent(p.name)}` }, p.name)),
            h('td', {}, p.version),
            h('td', {}, t(`plugins.kind.${p.kind}`)),
            h(
              'td',
              {},
              p.description,
              p.unavailable
                ? h(
                    'div',
                    { class: 'error', dataset: { needsConfig: p.name } },
                    `${t('plugins.unavailable')}: ${p.unavailable}`,
                  )
                : null,
            ),
            h('td', {}, p.source),
            h(
              'td',
              {},
              h('input', {
                type: 'checkbox',
                checked: p.enabled,
                disabled: !canChange,
                'aria-label': `${t('plugins.enabled')}: ${p.name}`,
                dataset: { toggle: p.name },
                onchange: (event) => toggle(p.name, event.target.checked),
              }),
            ),
            h('td', {}, h('span', { class: `breaker breaker-${p.breaker}`, dataset: { breaker: p.name } }, p.breaker)),
            h('td', { class: 'num' }, num(p.stats.calls, 0)),
            h('td', { class: 'num' }, num(p.stats.failures, 0)),
            h('td', { class: 'num' }, num(p.stats.latencyMs.p50, 1)),
            h('td', { class: 'num' }, num(p.stats.latencyMs.p99, 1)),
          ),
        ),
        { id: 'plugins' },
      ),
      canChange ? null : h('p', { class: 'muted' }, t('plugins.noControl')),
    );
  };

  const renderDetail = (p) => {
    if (p === undefined) {
      replace(detail);
      return;
    }
    replace(
      detail,
      h(
        'div',
        { class: 'panel' },
        h('h2', {}, `${p.name} ${p.version}`),
        h('p', { class: 'muted' }, p.description),
        h('h3', {}, t('plugins.settings')),
        settingsForm(p.settingsSchema, p.settings, {
          id: 'plugin-settings',
          disabled: !canChange,
          onSubmit: async (settings) => {
            const { plugin } = await api(`${path(p.name)}/settings`, { method: 'PUT', body: { settings } });
            await refresh();
            return plugin;
          },
        }),
        h('h3', {}, t('plugins.commands')),
        p.commands.length === 0
          ? h('p', { class: 'muted' }, t('chat.none'))
          : table(
              [t('plugins.command'), t('plugins.args'), t('plugins.description'), t('plugins.notes')],
              p.commands.map((c) => [
                `/${c.name}`,
                c.args ?? '',
                c.description,
                [c.tool ? t('plugins.tool') : '', c.adminOnly ? t('plugins.adminOnly') : ''].filter(Boolean).join(', '),
              ]),
              { id: 'plugin-commands' },
            ),
        h('h3', {}, t('plugins.jobs')),
        p.jobs.length === 0
          ? h('p', { class: 'muted' }, t('chat.none'))
          : table(
              [t('plugins.job'), t('plugins.schedule')],
              p.jobs.map((j) => [j.name, j.schedule]),
              { id: 'plugin-jobs' },
            ),
      ),
    );
  };

  let plugins = [];
  const refresh = async () => {
    ({ items: plugins } = await api('/api/plugins'));
    renderList(plugins);
  };
  const toggle = async (name, enabled) => {
    try {
      await api(`${path(name)}/enabled`, { method: 'PUT', body: { enabled } });
      error.hidden = true;
    } catch (e) {
      fail(e);
    }
    await refresh().catch(fail);
  };

  await refresh();
  renderDetail(plugins.find((p) => p.name === selected));
  perChat.append(chatSection(canChange, () => plugins));
  return refreshEvery(5000, refresh, error);
}

/** Pick a chat: its plugins with on / off / default, and the chat's own settings of one. */
function chatSection(canChange, plugins) {
  const chatId = h('input', {
    type: 'number',
    id: 'chat-plugins-id',
    placeholder: t('plugins.chatId'),
    'aria-label': t('plugins.chatId'),
    required: true,
  });
  const body = h('div');
  const overrides = h('div', { id: 'chat-plugin-overrides' });
  const error = h('p', { class: 'error', hidden: true, id: 'chat-plugins-error' });
  let current = null;

  const load = async () => {
    try {
      const { items } = await api(`/api/chats/${current}/plugins`);
      error.hidden = true;
      render(items);
    } catch (e) {
      replace(body);
      error.textContent = `${t('error')}: ${e.message}`;
      error.hidden = false;
    }
  };
  const set = (name, enabled) => async () => {
    try {
      await api(`${chatPath(current, name)}/enabled`, { method: 'PUT', body: { enabled } });
    } catch (e) {
      error.textContent = `${t('error')}: ${e.message}`;
      error.hidden = false;
    }
    await load();
  };
  const editOverrides = (item) => {
    const schema = plugins().find((p) => p.name === item.name)?.settingsSchema ?? {};
    replace(
      overrides,
      h('h3', {}, `${t('plugins.overridesOf')} ${item.name}`),
      settingsForm(schema, item.overrides, {
        id: 'chat-plugin-settings',
        disabled: !canChange,
        onSubmit: async (settings) => {
          await api(`${chatPath(current, item.name)}/settings`, { method: 'PUT', body: { settings } });
          await load();
        },
      }),
    );
  };
  const button = (label, onclick, data) =>
    h('button', { type: 'button', disabled: !canChange, onclick, dataset: data }, label);
  const render = (items) =>
    replace(
      body,
      table(
        [t('plugins.name'), t('plugins.inChat'), t('plugins.chosen'), t('plugins.overrides'), ''],
        items.map((p) =>
          h(
            'tr',
            { dataset: { chatPlugin: p.name } },
            h('td', {}, p.name),
            h('td', { dataset: { state: p.enabled ? 'on' : 'off' } }, p.enabled ? t('plugins.on') : t('plugins.off')),
            h('td', {}, p.chosen ? t('plugins.chosenYes') : t('plugins.default')),
            h('td', {}, Object.keys(p.overrides).join(', ') || '—'),
            h(
              'td',
              { class: 'row' },
              button(t('plugins.on'), set(p.name, true), { chatOn: p.name }),
              button(t('plugins.off'), set(p.name, false), { chatOff: p.name }),
              button(t('plugins.default'), set(p.name, null), { chatDefault: p.name }),
              h(
                'button',
                { type: 'button', onclick: () => editOverrides(p), dataset: { chatSettings: p.name } },
                t('plugins.settings'),
              ),
            ),
          ),
        ),
        { id: 'chat-plugins' },
      ),
    );

  const form = h(
    'form',
    { class: 'row', id: 'chat-plugins-form' },
    chatId,
    h('button', { type: 'submit' }, t('plugins.loadChat')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    current = Number(chatId.value);
    replace(overrides);
    load();
  });
  return h('div', { class: 'panel' }, h('h2', {}, t('plugins.perChat')), form, error, body, overrides);
}
