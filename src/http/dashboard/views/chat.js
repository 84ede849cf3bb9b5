import { ApiError, api, withQuery } from '../api.js';
import { hourBars } from '../charts.js';
import { h, num, table } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { settingControl } from '../setting-control.js';

const modes = ['silent', 'normal', 'active'];
const languages = ['auto', 'ru', 'uk', 'en'];

/** Saves a streamed export as a file (the download needs the bearer header, so a plain link cannot do it). */
async function download(path, filename) {
  const res = await api(path, { raw: true });
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * An admin's GDPR buttons for one member: their data from every chat as a
 * JSON file, and their erasure everywhere (after a confirmation naming what
 * goes). `done` is told once the member is erased.
 */
function memberPrivacyButtons(member, done) {
  const status = h('span', { class: 'muted' });
  const failed = (e) => {
    status.textContent = `${t('error')}: ${e instanceof ApiError ? e.message : String(e)}`;
  };
  const exportButton = h(
    'button',
    {
      type: 'button',
      class: 'member-export',
      onclick: () => download(`/api/users/${member.userId}/data`, `lekha-user-${member.userId}.json`).catch(failed),
    },
    t('member.export'),
  );
  const eraseButton = h(
    'button',
    {
      type: 'button',
      class: 'member-erase danger',
      onclick: async () => {
        if (!window.confirm(t('member.eraseConfirm').replace('{name}', member.displayName))) return;
        eraseButton.disabled = true;
        try {
          const erased = await api(`/api/users/${member.userId}`, { method: 'DELETE' });
          status.textContent = `${t('member.erased')} (${erased.pseudonym})`;
          done();
        } catch (e) {
          eraseButton.disabled = false;
          failed(e);
        }
      },
    },
    t('member.erase'),
  );
  return h('span', { class: 'row' }, exportButton, eraseButton, status);
}

function modeSection(chatId, summary, identity) {
  const badge = h(
    'span',
    { id: 'chat-mode', class: `mode mode-${summary.mode}`, dataset: { mode: summary.mode } },
    t(`mode.${summary.mode}`),
  );
  const { select, apply, status } = settingControl({
    id: 'mode',
    label: t('chat.mode'),
    options: modes.map((m) => [m, t(`mode.${m}`)]),
    current: summary.mode,
    identity,
    submit: async (mode) => {
      const { settings } = await api(`/api/chats/${chatId}/mode`, { method: 'POST', body: { mode } });
      badge.textContent = t(`mode.${settings.mode}`);
      badge.className = `mode mode-${settings.mode}`;
      badge.dataset.mode = settings.mode;
      return t('chat.applied') + t(`mode.${settings.mode}`);
    },
  });
  return h(
    'div',
    { class: 'panel' },
    h('h2', {}, t('chat.mode')),
    h('p', {}, badge, ' ', select, ' ', apply, ' ', status),
  );
}

/** The language the bot answers in without being told by the message (auto: the one it is spoken to in). */
function languageSection(chatId, current, identity) {
  const { select, apply, status } = settingControl({
    id: 'language',
    label: t('chat.language'),
    options: languages.map((l) => [l, t(`language.${l}`)]),
    current,
    identity,
    submit: async (language) => {
      const { settings } = await api(`/api/chats/${chatId}/settings`, { method: 'PATCH', body: { language } });
      return t('chat.languageApplied') + t(`language.${settings.language}`);
    },
  });
  return h('div', { class: 'panel' }, h('h2', {}, t('chat.language')), h('p', {}, select, ' ', apply, ' ', status));
}

function pairsTable(id, pairs, nameOf) {
  if (pairs.length === 0) return h('p', { id, class: 'muted' }, t('chat.none'));
  return table(
    [t('col.pair'), t('col.score')],
    pairs.map((p) => [`${nameOf(p.a)} ↔ ${nameOf(p.b)}`, num(p.score, 2)]),
    { id },
  );
}

function messageSearch(chatId) {
  const q = h('input', { type: 'search', id: 'msg-q', placeholder: t('chat.q') });
  const from = h('input', { type: 'datetime-local', id: 'msg-from', 'aria-label': t('chat.from') });
  const to = h('input', { type: 'datetime-local', id: 'msg-to', 'aria-label': t('chat.to') });
  const user = h('input', { type: 'number', id: 'msg-user', placeholder: t('chat.user') });
  const results = h('tbody');
  const more = h('button', { type: 'button', hidden: true, id: 'msg-more' }, t('more'));
  const error = h('p', { class: 'error', hidden: true });
  let cursor = null;
  const iso = (input) => (input.value === '' ? undefined : new Date(input.value).toISOString());
  const run = async (reset) => {
    try {
      const page = await api(
        withQuery(`/api/chats/${chatId}/messages`, {
          q: q.value.trim(),
          from: iso(from),
          to: iso(to),
          user: user.value,
          cursor: reset ? null : cursor,
          limit: 50,
        }),
      );
      if (reset) results.replaceChildren();
      for (const m of page.items) {
        results.append(
          h('tr', {}, h('td', {}, formatDate(m.date)), h('td', {}, m.displayName), h('td', { class: 'text' }, m.text)),
        );
      }
      cursor = page.nextCursor;
      more.hidden = cursor === null;
      error.hidden = true;
    } catch (e) {
      error.textContent = `${t('error')}: ${e.message}`;
      error.hidden = false;
    }
  };
  const form = h(
    'form',
    { class: 'row', id: 'msg-search' },
    q,
    from,
    to,
    user,
    h('button', { type: 'submit' }, t('chat.search')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run(true);
  });
  more.addEventListener('click', () => run(false));
  return {
    el: h(
      'div',
      { class: 'panel' },
      h('h2', {}, t('chat.messages')),
      form,
      error,
      h(
        'table',
        { id: 'messages' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, t('col.date')), h('th', {}, t('col.author')), h('th', {}, t('col.text'))),
        ),
        results,
      ),
      more,
    ),
    run,
  };
}

/** One chat: mode switch, reply language, activity, members, allies/conflicts, words, message search, export. */
export async function chatView(view, { identity, params }) {
  const chatId = params[0];
  const [{ chat, report, source }, members, settings] = await Promise.all([
    api(`/api/chats/${chatId}`),
    api(withQuery(`/api/chats/${chatId}/users`, { limit: 100 })),
    // A chat the bot has no state for yet has no settings: it has the defaults.
    api(`/api/chats/${chatId}/settings`).then(
      (r) => r.settings,
      (e) => (e instanceof ApiError && e.status === 404 ? { language: 'auto' } : Promise.reject(e)),
    ),
  ]);
  const names = new Map(members.items.map((m) => [m.userId, m.displayName]));
  for (const m of report?.topMembers ?? []) names.set(m.userId, m.displayName);
  const nameOf = (id) => names.get(id) ?? String(id);

  view.append(
    h('h1', { id: 'chat-title' }, chat.title),
    h(
      'p',
      { class: 'muted' },
      `${chat.type} · id ${chat.id} · `,
      h('span', { id: 'chat-source' }, t(`chat.source.${source}`)),
    ),
    modeSection(chat.id, chat, identity),
    languageSection(chat.id, settings.language, identity),
  );
  if (report !== null) {
    // The report comes from the actor and knows the mode it applies right now.
    const badge = view.querySelector('#chat-mode');
    badge.textContent = t(`mode.${report.mode}`);
    badge.className = `mode mode-${report.mode}`;
    badge.dataset.mode = report.mode;
    view.querySelector('#mode-select').value = report.mode;
  }

  let bars = null;
  if (report !== null) {
    bars = hourBars(t('chart.activity'), report.activityByHour, '#2f6fde');
    bars.el.id = 'chat-activity';
    view.append(
      h(
        'div',
        { class: 'grid2' },
        h(
          'div',
          { class: 'panel' },
          bars.el,
          h(
            'p',
            {},
            `${t('chat.mood')}: `,
            h('strong', { id: 'chat-mood' }, report.mood.label),
            ` (${num(report.mood.score, 2)})`,
          ),
        ),
        h(
          'div',
          { class: 'panel' },
          h('h2', {}, t('chat.topWords')),
          table(
            [t('col.word'), t('col.count')],
            report.topWords.map((w) => [w.word, num(w.count, 0)]),
            { id: 'top-words' },
          ),
        ),
        h('div', { class: 'panel' }, h('h2', {}, t('chat.allies')), pairsTable('allies', report.allies, nameOf)),
        h(
          'div',
          { class: 'panel' },
          h('h2', {}, t('chat.conflicts')),
          pairsTable('conflicts', report.conflicts, nameOf),
        ),
      ),
    );
  }

  view.append(
    h(
      'div',
      { class: 'panel' },
      h('h2', {}, t('chat.members')),
      table(
        [
          t('col.name'),
          t('col.username'),
          t('col.messages'),
          t('col.lastSeen'),
          ...(identity.role === 'admin' ? [t('col.privacy')] : []),
        ],
        members.items.map((m) => {
          const cells = [m.displayName, m.username ?? '', num(m.messages, 0), formatDate(m.lastSeenAt)];
          if (identity.role !== 'admin') return cells;
          const row = h('tr', { dataset: { userId: String(m.userId) } });
          row.append(
            ...[...cells, memberPrivacyButtons(m, () => row.classList.add('erased'))].map((c) => h('td', {}, c)),
          );
          return row;
        }),
        { id: 'members' },
      ),
    ),
  );
  const search = messageSearch(chat.id);
  view.append(search.el);

  if (identity.role === 'admin') {
    const status = h('span', { class: 'muted' });
    const buttons = ['messages', 'members', 'analytics'].flatMap((kind) =>
      ['csv', 'json'].map((format) =>
        h(
          'button',
          {
            type: 'button',
            onclick: () =>
              download(
                withQuery('/api/export', { chat: chat.id, kind, format }),
                `lekha-${kind}-${chat.id}.${format}`,
              ).catch((e) => {
                status.textContent = `${t('error')}: ${e instanceof ApiError ? e.message : String(e)}`;
              }),
          },
          `${kind} .${format}`,
        ),
      ),
    );
    view.append(h('div', { class: 'panel' }, h('h2', {}, t('chat.export')), h('p', { class: 'row' }, buttons, status)));
  }

  view.addEventListener('lekha:mounted', () => {
    bars?.mount();
    search.run(true);
  });
  return undefined;
}
