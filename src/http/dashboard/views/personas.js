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

/** A button that retires a persona defined from the dashboard (admins), asking first. */
function retireButton(persona, done) {
  const button = h(
    'button',
    { type: 'button', class: 'danger', dataset: { retire: persona.name } },
    t('personas.retire'),
  );
  button.addEventListener('click', async () => {
    if (!window.confirm(t('personas.retireConfirm').replace('{name}', persona.name))) return;
    await done(() => api(`/api/personas/${encodeURIComponent(persona.name)}`, { method: 'DELETE' }));
  });
  return button;
}

function personasTable(personas, { isAdmin, change }) {
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
          p.source === 'dashboard'
            ? [' ', h('span', { class: 'badge', dataset: { source: 'dashboard' } }, t('personas.fromDashboard'))]
            : null,
          isAdmin && p.source === 'dashboard' ? [' ', retireButton(p, change)] : null,
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

/** A new persona, or a persona's new version: its persona-file fields as JSON (admins). */
const EXAMPLE_PERSONA = JSON.stringify(
  {
    name: 'Алёна',
    aliases: ['Алёна', 'Алена'],
    character: ['You are {name}, a gardener who knows every plant and likes a joke.'],
    styleRules: ['Short messages, plain words.'],
    replyLength: 'short',
  },
  null,
  2,
);

function defineForm(change) {
  const definition = h('textarea', { name: 'persona', rows: '10', spellcheck: 'false' }, EXAMPLE_PERSONA);
  const form = h(
    'form',
    { id: 'persona-define', class: 'panel' },
    h('h2', {}, t('personas.define')),
    h('p', { class: 'hint' }, t('personas.defineHint')),
    h('label', {}, t('personas.definition'), definition),
    h('button', { type: 'submit' }, t('personas.save')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let body;
    try {
      body = JSON.parse(definition.value);
    } catch {
      await change(() => Promise.reject(new Error(t('personas.notJson'))));
      return;
    }
    await change(async () => {
      const saved = await api('/api/personas', { method: 'POST', body });
      return t('personas.saved').replace('{id}', saved.id);
    });
  });
  return form;
}

/** Every persona the bot can take, and one chat's persona with a switch; admins define and retire personas. */
export async function personasView(view, { identity, params }) {
  const chatId = params[0];
  const isAdmin = identity.role === 'admin';
  const status = h('p', { id: 'persona-define-status', role: 'status' });
  const tableSlot = h('div', {});
  /** Runs a change, says how it went, and shows the personas as they are now. */
  const change = async (run) => {
    try {
      const said = await run();
      status.className = '';
      status.textContent = typeof said === 'string' ? said : t('personas.retired');
    } catch (e) {
      status.className = 'error';
      status.textContent = `${t('error')}: ${e.message}`;
      return;
    }
    const { personas: now } = await api('/api/personas');
    replace(tableSlot, personasTable(now, { isAdmin, change }));
  };
  const { personas } = await api('/api/personas');
  replace(tableSlot, personasTable(personas, { isAdmin, change }));
  const picker = chatPicker();
  view.append(
    h('h1', {}, t('nav.personas')),
    tableSlot,
    status,
    isAdmin ? defineForm(change) : null,
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
