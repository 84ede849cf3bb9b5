import { api, session, sessionIdentity } from './api.js';
import { h, replace } from './dom.js';
import { lang, setLang, t } from './i18n.js';
import { alertsView } from './views/alerts.js';
import { auditView } from './views/audit.js';
import { chatView } from './views/chat.js';
import { chatsView } from './views/chats.js';
import { clusterView } from './views/cluster.js';
import { overviewView } from './views/overview.js';
import { personasView } from './views/personas.js';
import { pluginsView } from './views/plugins.js';
import { schedulerView } from './views/scheduler.js';
import { experimentsView } from './views/experiments.js';
import { tokensView } from './views/tokens.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const langButton = document.getElementById('lang');
const logoutButton = document.getElementById('logout');

/** The signed-in caller ({ tokenId, label, role, via }), or null. */
let identity = null;
/** Whether `/api/cluster` said this is a cluster: only then is its page in the navigation. */
let clusterEnabled = false;
/** Stops the current view's polling and charts. */
let cleanup = () => {};
/** Bumped on every navigation, so a view that finishes loading after the user moved on is dropped. */
let generation = 0;

const routes = [
  { pattern: /^#\/overview$/, view: overviewView },
  { pattern: /^#\/chats$/, view: chatsView },
  { pattern: /^#\/chats\/(-?\d+)$/, view: chatView },
  { pattern: /^#\/personas(?:\/(-?\d+))?$/, view: personasView },
  { pattern: /^#\/plugins(?:\/([a-z0-9_-]+))?$/, view: pluginsView },
  { pattern: /^#\/scheduler$/, view: schedulerView },
  { pattern: /^#\/experiments$/, view: experimentsView },
  { pattern: /^#\/cluster$/, view: clusterView },
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
    ...[
      'overview',
      'chats',
      'personas',
      'plugins',
      'scheduler',
      'experiments',
      ...(clusterEnabled ? ['cluster'] : []),
      'alerts',
      'audit',
      'tokens',
    ].map((name) =>
      h(
        'a',
        { href: `#/${name}`, class: location.hash.startsWith(`#/${name}`) ? 'active' : '', dataset: { nav: name } },
        t(`nav.${name}`),
      ),
    ),
  );
}

/** Why the server sent the browser back from a login (`?login_error=…`), read once. */
function takeLoginError() {
  const params = new URLSearchParams(location.search);
  const reason = params.get('login_error');
  if (reason === null) return null;
  window.history.replaceState(null, '', `${location.pathname}${location.hash}`);
  return reason;
}

/**
 * The login methods besides a token: a link to the identity provider, and
 * the Telegram Login Widget — telegram.org's script, added only when the
 * server offers it (the content security policy lets it in only then).
 */
async function loginMethods(into) {
  let methods;
  try {
    const res = await fetch('/auth/methods');
    methods = await res.json();
  } catch {
    return;
  }
  if (methods.oidc)
    into.append(h('a', { class: 'button', id: 'login-oidc', href: '/auth/oidc/start' }, t('login.oidc')));
  if (methods.telegram !== null) {
    const widget = h('div', { id: 'login-telegram' });
    const script = document.createElement('script');
    script.async = true;
    script.src = 'https://telegram.org/js/telegram-widget.js?22';
    script.dataset.telegramLogin = methods.telegram.bot;
    script.dataset.size = 'large';
    script.dataset.authUrl = methods.telegram.authUrl;
    widget.append(script);
    into.append(widget);
  }
  if (methods.oidc || methods.telegram !== null) into.append(h('p', { class: 'muted' }, t('login.or')));
  into.dataset.loaded = 'true';
}

function renderLogin(failed) {
  cleanup();
  cleanup = () => {};
  renderChrome();
  const refusal = takeLoginError();
  const others = h('div', { class: 'login-methods', id: 'login-methods' });
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
    refusal === null
      ? null
      : h('p', { class: 'error', id: 'login-refused', dataset: { reason: refusal } }, t(`login.refused.${refusal}`)),
    others,
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
  loginMethods(others);
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

/** Asks once, after sign-in, whether this is a cluster (a failed answer: not one). */
async function learnCluster() {
  clusterEnabled = await api('/api/cluster').then(
    (c) => c.enabled === true,
    () => false,
  );
}

async function start() {
  if (session.token === null) {
    identity = await sessionIdentity().catch(() => null);
    if (identity === null) {
      renderLogin(false);
      return;
    }
    await learnCluster();
    if (!routes.some((r) => r.pattern.test(location.hash))) location.hash = '#/overview';
    await route();
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
  await learnCluster();
  if (!routes.some((r) => r.pattern.test(location.hash))) location.hash = '#/overview';
  await route();
}

langButton.addEventListener('click', () => {
  setLang(lang === 'ru' ? 'en' : 'ru');
  if (identity === null) renderLogin(false);
  else route();
});
logoutButton.addEventListener('click', async () => {
  if (identity?.via === 'session') await api('/api/session/logout', { method: 'POST' }).catch(() => undefined);
  session.token = null;
  session.csrf = null;
  identity = null;
  renderLogin(false);
});
window.addEventListener('hashchange', route);
window.addEventListener('lekha:logout', () => {
  // The view whose call was refused must not paint its error over the login form.
  generation++;
  identity = null;
  renderLogin(true);
});
start();
