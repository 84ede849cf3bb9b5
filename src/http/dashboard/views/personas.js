import { ApiError, api, withQuery } from '../api.js';
import { h, replace, table } from '../dom.js';
import { t } from '../i18n.js';
import { settingControl } from '../setting-control.js';

/** What a persona's option says in the table, or `unset` when the persona leaves it open. */
const option = (kind, value, unset) =>
  value === null ? h('span', { class: 'muted' }, t(unset)) : t(`${kind}.${value}`);

/** `Вася (Вася@3)`, as `/persona` names a persona in a chat. */
const label = (persona) => `${persona.name} (${persona.id})`;

/** Character and style lines, folded: they are long, and the table is for comparing personas. */
function lines(persona) {
  const list = (items) =>
    h(
      'ul',
      {},
      items.map((line) => h('li', {}, line)),
    );
  return h(
    'details',
    { class: 'persona-lines' },
    h('summary', {}, t('personas.lines')),
    h('h3', {}, t('personas.character')),
    list(persona.character),
    persona.styleRules.length === 0 ? null : [h('h3', {}, t('personas.style')), list(persona.styleRules)],
  );
}

function personasTable(personas) {
  if (personas.length === 0) return h('p', { id: 'personas', class: 'muted' }, t('personas.none'));
  return table(
    ['name', 'version', 'aliases', 'language', 'replyLength', 'emoji', 'model', 'lines'].map((k) => t(`personas.${k}`)),
    personas.map((p) =>
      h(
        'tr',
        { dataset: { persona: p.name } },
        h(
          'td',
          {},
          h('strong', {}, p.name),
          p.default ? [' ', h('span', { class: 'badge', dataset: { default: 'true' } }, t('personas.default'))] : null,
        ),
        h('td', { class: 'num' }, String(p.version)),
        h('td', {}, p.aliases.join(', ')),
        h('td', {}, p.language === 'match' ? t('personas.language.match') : t(`language.${p.language}`)),
        h('td', {}, option('personas.replyLength', p.replyLength, 'personas.adaptive')),
        h('td', {}, option('personas.emoji', p.emoji, 'personas.byStyle')),
        h(
          'td',
          { dataset: { model: p.model ?? '' } },
          p.model === null ? h('span', { class: 'muted' }, t('personas.configuredModel')) : h('code', {}, p.model),
        ),
        h('td', {}, lines(p)),
      ),
    ),
    { id: 'personas' },
  );
}

/** A search box for a chat by title or id; picking one opens its persona below (`#/personas/<id>`). */
function chatPicker() {
  const search = h('input', {
    type: 'search',
    id: 'persona-chat-search',
    placeholder: t('chats.search'),
    'aria-label': t('chats.search'),
  });
  const results = h('ul', { id: 'persona-chat-results', class: 'picks' });
  const error = h('p', { class: 'error', hidden: true });
  let generation = 0;
  const find = async () => {
    const mine = ++generation;
    const query = search.value.trim();
    if (query === '') {
      results.replaceChildren();
      return;
    }
    let page;
    try {
      page = await api(withQuery('/api/chats', { query, limit: 10 }));
      error.hidden = true;
    } catch (e) {
      error.textContent = `${t('error')}: ${e.message}`;
      error.hidden = false;
      return;
    }
    if (mine !== generation) return; // a newer search replaced this one
    replace(
      results,
      page.items.length === 0
        ? h('li', { class: 'muted' }, t('chats.empty'))
        : page.items.map((c) =>
            h(
              'li',
              {},
              h('a', { href: `#/personas/${c.id}`, dataset: { chatId: String(c.id) } }, `${c.title} · ${c.id}`),
            ),
          ),
    );
  };
  let debounce = null;
  search.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(find, 250);
  });
  search.addEventListener('keydown', (event) => {
    // An id typed in full opens that chat at once.
    if (event.key === 'Enter' && /^-?\d+$/.test(search.value.trim()))
      location.hash = `#/personas/${search.value.trim()}`;
  });
  return { el: h('div', {}, search, results, error), stop: () => clearTimeout(debounce) };
}

/** The picked chat's persona, and for operators and admins a switch to another (or back to the default). */
async function chatPersona(chatId, personas, identity) {
  let chat;
  let settings;
  try {
    [{ chat }, settings] = await Promise.all([
      api(`/api/chats/${chatId}`),
      // A chat the bot has no state for yet has no settings: it follows the default persona.
      api(`/api/chats/${chatId}/settings`).then(
        (r) => r.settings,
        (e) => (e instanceof ApiError && e.status === 404 ? { persona: null } : Promise.reject(e)),
      ),
    ]);
  } catch (e) {
    const text = e instanceof ApiError && e.status === 404 ? t('personas.noChat') : e.message;
    return h('p', { class: 'error', id: 'persona-chat-error' }, `${t('error')}: ${text}`);
  }
  const fallback = personas.find((p) => p.default);
  const current = h('span', { id: 'persona-current' });
  const show = (name) => {
    const chosen = name === null ? undefined : personas.find((p) => p.name === name);
    current.dataset.persona = chosen?.name ?? fallback?.name ?? '';
    if (chosen !== undefined) current.textContent = label(chosen);
    else if (name === null)
      current.textContent = fallback === undefined ? '—' : `${label(fallback)}, ${t('personas.default')}`;
    else current.textContent = t('personas.missing').replace('{name}', name);
  };
  show(settings.persona);
  const { select, apply, status } = settingControl({
    id: 'persona',
    label: t('personas.chat'),
    options: [
      ['', t('personas.useDefault').replace('{name}', fallback?.name ?? '—')],
      ...personas.map((p) => [p.name, label(p)]),
    ],
    current: settings.persona ?? '',
    identity,
    denied: t('personas.noControl'),
    submit: async (name) => {
      const answer = await api(`/api/chats/${chat.id}/settings`, {
        method: 'PATCH',
        body: { persona: name === '' ? null : name },
      });
      show(answer.settings.persona);
      return t('personas.applied') + current.textContent;
    },
  });
  return h(
    'div',
    { id: 'persona-chat', dataset: { chatId: String(chat.id) } },
    h('h3', {}, h('a', { href: `#/chats/${chat.id}` }, chat.title), h('span', { class: 'muted' }, ` · id ${chat.id}`)),
    h('p', {}, t('personas.current'), current),
    h('p', {}, select, ' ', apply, ' ', status),
  );
}

/** Every persona the bot can take, and one chat's persona with a switch. */
export async function personasView(view, { identity, params }) {
  const chatId = params[0];
  const { personas } = await api('/api/personas');
  const picker = chatPicker();
  view.append(
    h('h1', {}, t('nav.personas')),
    personasTable(personas),
    h(
      'div',
      { class: 'panel' },
      h('h2', {}, t('personas.chat')),
      h('p', { class: 'muted' }, t('personas.pick')),
      picker.el,
      chatId === undefined ? null : await chatPersona(chatId, personas, identity),
    ),
  );
  return picker.stop;
}
