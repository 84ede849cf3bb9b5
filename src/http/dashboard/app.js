import { api, session } from './api.js';
import { h, replace } from './dom.js';
import { lang, setLang, t } from './i18n.js';
import { alertsView } from './views/alerts.js';
import { auditView } from './views/audit.js';
import { chatView } from './views/chat.js';
import { chatsView } from './views/chats.js';
import { overviewView } from './views/overview.js';
import { pluginsView } from './views/plugins.js';
import { schedulerView } from './views/scheduler.js';
import { tokensView } from './views/tokens.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const langButton = document.getElementById('lang');
const logoutButton = document.getElementById('logout');

/** The signed-in token's identity ({ tokenId, label, role }), or null. */
let identity = null;
/** Stops the current view's polling and charts. */
let cleanup = () => {};
/** Bumped on every navigation, so a view that finishes loading after the user moved on is dropped. */
let generation = 0;

const routes = [
  { pattern: /^#\/overview$/, view: overviewView },
  { pattern: /^#\/chats$/, view: chatsView },
  { pattern: /^#\/chats\/(-?\d+)$/, view: chatView },
  { pattern: /^#\/plugins(?:\/([a-z0-9_-]+))?$/, view: pluginsView },
  { pattern: /^#\/scheduler$/, view: schedulerView },
  { pattern: /^#\/alerts$/, view: alertsView },
  { pattern: /^#\/audit$/, view: auditView },
  { pattern: /^#\/tokens$/, view: tokensView },
];

function renderChrome() {
  setLang(lang);
  langButton.textContent = t('lang.switch');
  logoutButton.textContent = t('logout');
  logoutButton.hidden = identity === null;
  nav.hidden = identity === null;
  who.textContent = identity === null ? '' : `${identity.label} · ${t(`role.${identity.role}`)}`;
  replace(
    nav,
    ...['overview', 'chats', 'plugins', 'scheduler', 'alerts', 'audit', 'tokens'].map((name) =>
      h(
        'a',
        { href: `#/${name}`, class: location.hash.startsWith(`#/${name}`) ? 'active' : '', dataset: { nav: name } },
        t(`nav.${name}`),
      ),
    ),
  );
}

function renderLogin(failed) {
  cleanup();
  cleanup = () => {};
  renderChrome();
  const input = h('input', {
    type: 'password',
    id: 'token',
    name: 'token',
    autocomplete: 'off',
    required: true,
    'aria-label': t('login.token'),
  });
  const form = h(
    'form',
    { class: 'login', id: 'login' },
    h('h1', {}, t('login.title')),
    h('label', { for: 'token' }, t('login.token')),
    input,
    h('button', { type: 'submit' }, t('login.submit')),
    failed ? h('p', { class: 'error', id: 'login-error' }, t('login.failed')) : null,
    h('p', { class: 'muted' }, t('login.hint')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    session.token = input.value.trim();
    await start();
  });
  replace(main, form);
  input.focus();
}

async function route() {
  if (identity === null) return;
  const mine = ++generation;
  cleanup();
  cleanup = () => {};
  if (!routes.some((r) => r.pattern.test(location.hash))) {
    location.hash = '#/overview';
    return;
  }
  renderChrome();
  for (const r of routes) {
    const match = r.pattern.exec(location.hash);
    if (match === null) continue;
    replace(main, h('p', { class: 'muted' }, t('loading')));
    const view = h('section', { class: 'view' });
    try {
      const stop = (await r.view(view, { identity, params: match.slice(1) })) ?? (() => {});
      if (mine !== generation) {
        stop();
        return;
      }
      cleanup = stop;
      replace(main, view);
      view.dispatchEvent(new Event('lekha:mounted'));
    } catch (error) {
      if (mine === generation) replace(main, h('p', { class: 'error' }, `${t('error')}: ${error.message}`));
    }
    return;
  }
}

async function start() {
  if (session.token === null) {
    renderLogin(false);
    return;
  }
  try {
    identity = await api('/api/me');
  } catch {
    identity = null;
    session.token = null;
    renderLogin(true);
    return;
  }
  if (!routes.some((r) => r.pattern.test(location.hash))) location.hash = '#/overview';
  await route();
}

langButton.addEventListener('click', () => {
  setLang(lang === 'ru' ? 'en' : 'ru');
  if (identity === null) renderLogin(false);
  else route();
});
logoutButton.addEventListener('click', () => {
  session.token = null;
  identity = null;
  renderLogin(false);
});
window.addEventListener('hashchange', route);
window.addEventListener('lekha:logout', () => {
  identity = null;
  renderLogin(true);
});
start();
