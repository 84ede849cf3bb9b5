import { api } from '../api.js';
import { h, num, replace, table } from '../dom.js';
import { formatDate, t } from '../i18n.js';

const MINUTE = 60_000;

/** What the create form starts with: two variants, the control first. */
const EXAMPLE_VARIANTS = JSON.stringify(
  [
    { name: 'control', share: 1 },
    { name: 'short', share: 1, overrides: { replyLength: 'short' } },
  ],
  null,
  2,
);

const pct = (x) => `${num(x * 100, 1)} %`;

/**
 * A/B experiments: the list with pause, resume and stop (admins), a form to
 * start one (admins), and the readout of the one picked: per variant its
 * success rate with the 95 % interval drawn as a bar, mean score, replies
 * against the minimum sample, and the server's verdict — a winner is named
 * only when the readout names one.
 */
export async function experimentsView(view, { identity }) {
  const isAdmin = identity.role === 'admin';
  const error = h('p', { class: 'error', hidden: true, id: 'experiments-error' });
  const list = h('div');
  const readout = h('div', { id: 'experiment-readout' });
  view.append(
    h('h1', {}, t('nav.experiments')),
    h('p', { class: 'hint' }, t('experiments.hint')),
    error,
    h('div', { class: 'panel' }, h('h2', {}, t('experiments.list')), list),
    isAdmin ? createForm() : '',
    h('div', { class: 'panel' }, h('h2', {}, t('experiments.readout')), readout),
  );

  const fail = (e) => {
    error.textContent = `${t('error')}: ${e.message}`;
    error.hidden = false;
  };
  let shown = null;

  const setStatus = (id, status) => async () => {
    if (status === 'stopped' && !window.confirm(t('experiments.stopConfirm'))) return;
    try {
      await api(`/api/experiments/${id}`, { method: 'PATCH', body: { status } });
      error.hidden = true;
    } catch (e) {
      fail(e);
    }
    await loadList().catch(fail);
    if (shown === id) await showReadout(id).catch(fail);
  };
  const button = (label, onclick, data) => h('button', { type: 'button', onclick, dataset: data }, label);

  const loadList = async () => {
    const { experiments } = await api('/api/experiments');
    if (experiments.length === 0) {
      replace(list, h('p', { class: 'muted', id: 'experiments-none' }, t('experiments.none')));
      return;
    }
    replace(
      list,
      table(
        [
          'id',
          t('experiments.name'),
          t('experiments.unit'),
          t('experiments.variants'),
          t('alerts.state'),
          t('experiments.created'),
          '',
        ],
        experiments.map((e) =>
          h(
            'tr',
            { dataset: { experiment: String(e.id), status: e.status } },
            [
              String(e.id),
              e.name,
              t(`experiments.unit.${e.unit}`),
              e.variants.map((v) => `${v.name} (${num(v.share, 2)})`).join(', '),
              h('span', { class: `status-${e.status}` }, t(`experiments.status.${e.status}`)),
              formatDate(new Date(e.createdAtMs).toISOString()),
              h(
                'span',
                {},
                button(t('experiments.show'), () => showReadout(e.id).catch(fail), { show: String(e.id) }),
                isAdmin && e.status === 'running'
                  ? button(t('experiments.pause'), setStatus(e.id, 'paused'), { pause: String(e.id) })
                  : '',
                isAdmin && e.status === 'paused'
                  ? button(t('experiments.resume'), setStatus(e.id, 'running'), { resume: String(e.id) })
                  : '',
                isAdmin && e.status !== 'stopped'
                  ? button(t('experiments.stop'), setStatus(e.id, 'stopped'), { stop: String(e.id) })
                  : '',
              ),
            ].map((cell) => h('td', {}, cell)),
          ),
        ),
        { id: 'experiments-list' },
      ),
    );
    if (shown === null) {
      const live = experiments.find((e) => e.status !== 'stopped') ?? experiments[0];
      await showReadout(live.id);
    }
  };

  const showReadout = async (id) => {
    shown = id;
    const body = await api(`/api/experiments/${id}/readout`);
    replace(readout, readoutOf(body));
  };

  function createForm() {
    const field = (label, input) => h('label', {}, label, input);
    const name = h('input', { name: 'name', required: true, maxlength: '100' });
    const unit = h(
      'select',
      { name: 'unit' },
      h('option', { value: 'chat' }, t('experiments.unit.chat')),
      h('option', { value: 'member' }, t('experiments.unit.member')),
    );
    const variants = h('textarea', { name: 'variants', rows: '8', spellcheck: 'false' }, EXAMPLE_VARIANTS);
    const effect = h('input', { name: 'minimumEffect', type: 'number', min: '0.01', max: '0.99', step: '0.01' });
    effect.value = '0.1';
    const windowMin = h('input', { name: 'scoreWindowMin', type: 'number', min: '1', max: '1440', step: '1' });
    windowMin.value = '10';
    const form = h(
      'form',
      { id: 'experiment-create', class: 'panel' },
      h('h2', {}, t('experiments.create')),
      field(t('experiments.name'), name),
      field(t('experiments.unit'), unit),
      field(t('experiments.variantsJson'), variants),
      h('p', { class: 'hint' }, t('experiments.variantsHint')),
      field(t('experiments.minimumEffect'), effect),
      field(t('experiments.scoreWindow'), windowMin),
      h('button', { type: 'submit' }, t('experiments.start')),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      let parsed;
      try {
        parsed = JSON.parse(variants.value);
      } catch {
        fail(new Error(t('experiments.variantsNotJson')));
        return;
      }
      try {
        const created = await api('/api/experiments', {
          method: 'POST',
          body: {
            name: name.value,
            unit: unit.value,
            variants: parsed,
            minimumEffect: Number(effect.value),
            scoreWindowMs: Math.round(Number(windowMin.value) * MINUTE),
          },
        });
        error.hidden = true;
        name.value = '';
        shown = created.id;
        await loadList();
        await showReadout(created.id);
      } catch (e) {
        fail(e);
      }
    });
    return form;
  }

  await loadList();
  // Readouts change as replies settle: refreshed now and then, not on every tick.
  const timer = setInterval(() => {
    if (shown !== null) showReadout(shown).then(() => (error.hidden = true), fail);
  }, 30_000);
  return () => clearInterval(timer);
}

/** The readout of one experiment: its verdict, then a row per variant with its interval bar. */
function readoutOf({ experiment, readout }) {
  const minimum = readout.minimumSamplePerVariant;
  const rows = readout.variants.map((v, i) => {
    const comparison = readout.comparisons.find((c) => c.variant === v.name);
    return h(
      'tr',
      { dataset: { variant: v.name } },
      h('td', {}, v.name, i === 0 ? h('span', { class: 'muted' }, ` · ${t('experiments.control')}`) : ''),
      h(
        'td',
        { class: 'sample', dataset: { replies: String(v.replies), minimum: String(minimum) } },
        `${num(v.replies, 0)} / ${num(minimum, 0)}`,
      ),
      h('td', {}, pct(v.successRate), h('div', { class: 'muted' }, `${pct(v.successCi[0])} – ${pct(v.successCi[1])}`)),
      h('td', {}, ciBar(v.successRate, v.successCi)),
      h(
        'td',
        {},
        `${num(v.meanScore, 2)}`,
        h('div', { class: 'muted' }, `± ${num((v.meanScoreCi[1] - v.meanScoreCi[0]) / 2, 2)}`),
      ),
      h('td', {}, pct(v.ignoredRate)),
      h(
        'td',
        {},
        comparison === undefined
          ? '—'
          : `${comparison.difference >= 0 ? '+' : ''}${num(comparison.difference * 100, 1)} pp, ${comparison.pValue < 0.001 ? 'p < 0.001' : `p = ${num(comparison.pValue, 3)}`}`,
      ),
    );
  });
  return [
    h('h3', {}, `#${experiment.id} ${experiment.name} · ${t(`experiments.status.${experiment.status}`)}`),
    h(
      'p',
      { id: 'experiment-verdict', class: `verdict verdict-${readout.verdict.kind}` },
      verdictText(readout.verdict),
    ),
    table(
      [
        t('experiments.variant'),
        t('experiments.sample'),
        t('experiments.successRate'),
        t('experiments.interval'),
        t('experiments.meanScore'),
        t('experiments.ignored'),
        t('experiments.vsControl'),
      ],
      rows,
      { id: 'experiment-variants', class: 'readout' },
    ),
    h(
      'p',
      { class: 'hint' },
      t('experiments.method')
        .replace('{alpha}', num(readout.alpha, 3))
        .replace('{power}', pct(readout.power))
        .replace('{effect}', pct(experiment.minimumEffect))
        .replace('{window}', num(experiment.scoreWindowMs / MINUTE, 0)),
    ),
  ];
}

/** What the verdict says, in words: a winner only when the readout names one. */
function verdictText(verdict) {
  if (verdict.kind === 'winner') return t('experiments.verdict.winner').replace('{variant}', verdict.variant);
  if (verdict.kind === 'no_difference') return t('experiments.verdict.noDifference');
  return t('experiments.verdict.collecting').replace('{needed}', num(verdict.needed, 0));
}

/** A 0–100 % track with the interval as a band and the rate as a mark. */
function ciBar(rate, [low, high]) {
  const at = (x) => `${Math.max(0, Math.min(100, x * 100)).toFixed(2)}%`;
  // Positioned through the CSSOM: the content security policy refuses inline style attributes.
  const band = h('div', { class: 'ci-band' });
  band.style.left = at(low);
  band.style.width = at(high - low);
  const mark = h('div', { class: 'ci-mark' });
  mark.style.left = at(rate);
  return h(
    'div',
    { class: 'ci-bar', dataset: { low: String(low), high: String(high), rate: String(rate) } },
    band,
    mark,
  );
}
