const tokenKey = 'lekha.token';

/** The token lives in sessionStorage: it is gone when the tab closes. */
export const session = {
  get token() {
    return sessionStorage.getItem(tokenKey);
  },
  set token(value) {
    if (value === null) sessionStorage.removeItem(tokenKey);
    else sessionStorage.setItem(tokenKey, value);
  },
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

/**
 * Calls the admin API with the session's token. A 401 ends the session
 * (the page shows the login form again).
 */
export async function api(path, { method = 'GET', body, raw = false } = {}) {
  const headers = { authorization: `Bearer ${session.token ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
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
      window.dispatchEvent(new Event('lekha:logout'));
    }
    throw new ApiError(res.status, code, message, issues);
  }
  return raw ? res : res.json();
}

/** Builds `path?query` from the defined, non-empty values of `params`. */
export function withQuery(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? path : `${path}?${s}`;
}
