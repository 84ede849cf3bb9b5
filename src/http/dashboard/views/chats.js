import { api, withQuery } from '../api.js';
import { h, num } from '../dom.js';
import { formatDate, t } from '../i18n.js';

/** Chats by last activity, with a search box and "more" paging. */
export async function chatsView(view) {
  const search = h('input', {
    type: 'search',
    id: 'chat-search',
    placeholder: t('chats.search'),
    'aria-label': t('chats.search'),
  });
  const body = h('tbody');
  const more = h('button', { type: 'button', id: 'chats-more', hidden: true }, t('more'));
  const empty = h('p', { class: 'muted', hidden: true }, t('chats.empty'));
  const error = h('p', { class: 'error', hidden: true });
  view.append(
    h('h1', {}, t('nav.chats')),
    search,
    h(
      'table',
      { id: 'chats' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['chats.title', 'chats.type', 'chats.mode', 'chats.members', 'chats.today', 'chats.last'].map((k) =>
            h('th', {}, t(k)),
          ),
        ),
      ),
      body,
    ),
    empty,
    error,
    more,
  );

  let cursor = null;
  let generation = 0;
  const load = async (reset) => {
    const mine = reset ? ++generation : generation;
    let page;
    try {
      page = await api(
        withQuery('/api/chats', { query: search.value.trim(), cursor: reset ? null : cursor, limit: 50 }),
      );
      error.hidden = true;
    } catch (e) {
      error.textContent = `${t('error')}: ${e.message}`;
      error.hidden = false;
      return;
    }
    if (mine !== generation) return; // a newer search replaced this one
    if (reset) body.replaceChildren();
    for (const c of page.items) {
      body.append(
        h(
          'tr',
          { class: 'link', dataset: { chatId: String(c.id) }, onclick: () => (location.hash = `#/chats/${c.id}`) },
          h('td', {}, h('a', { href: `#/chats/${c.id}` }, c.title)),
          h('td', {}, c.type),
          h('td', {}, h('span', { class: `mode mode-${c.mode}` }, t(`mode.${c.mode}`))),
          h('td', { class: 'num' }, num(c.members, 0)),
          h('td', { class: 'num' }, num(c.messagesToday, 0)),
          h('td', {}, formatDate(c.lastActivityAt)),
        ),
      );
    }
    cursor = page.nextCursor;
    more.hidden = cursor === null;
    empty.hidden = body.children.length > 0;
  };

  let debounce = null;
  search.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => load(true), 250);
  });
  more.addEventListener('click', () => load(false));
  await load(true);
  return () => clearTimeout(debounce);
}
