import { t } from './i18n.js';

/**
 * Calls `refresh` every `ms` milliseconds while a page is shown. A failure
 * is shown in `error` until a later refresh succeeds. Returns the stop the
 * page's router calls when the page is left.
 * @param {number} ms
 * @param {() => Promise<unknown>} refresh
 * @param {HTMLElement} error
 * @returns {() => void}
 */
export function refreshEvery(ms, refresh, error) {
  const timer = setInterval(
    () =>
      refresh().then(
        () => (error.hidden = true),
        (e) => {
          error.textContent = `${t('error')}: ${e.message}`;
          error.hidden = false;
        },
      ),
    ms,
  );
  return () => clearInterval(timer);
}
