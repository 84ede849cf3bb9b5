const tokenKey = 'lekha.token';

/**
 * How the page calls the API: a pasted token lives in sessionStorage (gone
 * when the tab closes) and goes as a bearer header; a login session lives
 * in an HttpOnly cookie the page never sees, and its state-changing calls
 * carry the CSRF token `GET /api/me` handed over (kept in memory only).
 */
export const session = {
  get token() {
    return sessionStorage.getItem(tokenKey);
  },
  set token(value) {
    if (value === null) sessionStorage.removeItem(tokenKey);
    else sessionStorage.setItem(tokenKey, value);
  },
  csrf: null,
};

/** An answer of the API that is not 2xx; `code` is the API's stable error code. */
export class ApiError extends Error {
  constructor(status, code, message, issues = []) {
    super(message);
    this.status = status;
    this.code = code;
    /** Each problem on its own (`units: must be one of …`), when the API listed them. */
    this.issues = issues;
  }
}

async function send(path, method, body) {
  const headers = {};
  if (session.token !== null) headers.authorization = `Bearer ${session.token}`;
  else if (method !== 'GET' && session.csrf !== null) headers['x-csrf-token'] = session.csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/**
 * Calls the admin API with the page's token or login session. A 401 ends
 * the session (the page shows the login form again). A refused CSRF token
 * (the server restarted, say) is renewed once and the call repeated.
 */
export async function api(path, { method = 'GET', body, raw = false } = {}) {
  let res = await send(path, method, body);
  if (res.status === 403 && session.token === null && method !== 'GET') {
    const refusal = await res
      .clone()
      .json()
      .catch(() => ({}));
    if (refusal.code === 'FST_CSRF_INVALID_TOKEN' || refusal.code === 'FST_CSRF_MISSING_SECRET') {
      const me = await fetch('/api/me', { credentials: 'same-origin' });
      if (me.ok) {
        session.csrf = (await me.json()).csrfToken;
        res = await send(path, method, body);
      }
    }
  }
  if (!res.ok) {
    let code = 'HTTP_' + res.status;
    let message = res.statusText;
    let issues = [];
    try {
      const err = await res.json();
      code = err.code ?? code;
      message = err.message ?? message;
      issues = Array.isArray(err.issues) ? err.issues : [];
    } catch {
      // Not a JSON error body (a proxy page, say): the status line says enough.
    }
    if (res.status === 401) {
      session.token = null;
      session.csrf = null;
      window.dispatchEvent(new Event('lekha:logout'));
    }
    throw new ApiError(res.status, code, message, issues);
  }
  return raw ? res : res.json();
}

/** The caller behind the login cookie, or null when there is no live session. */
export async function sessionIdentity() {
  const res = await fetch('/api/me', { credentials: 'same-origin' });
  if (!res.ok) return null;
  const me = await res.json();
  session.csrf = me.csrfToken;
  return me;
}

/** Builds `path?query` from the defined, non-empty values of `params`. */
export function withQuery(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? path : `${path}?${s}`;
}
