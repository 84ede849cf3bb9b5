import uPlot from '/vendor/uplot/uPlot.esm.js';
import { h } from './dom.js';

const hourMs = 3_600_000;

function widthOf(el) {
  return Math.max(280, el.clientWidth - 16);
}

/**
 * A time-series chart of one figure over the last hour, fed point by point.
 * The container carries `data-points` (points in the window),
 * `data-values` (those with a value, not a gap) and `data-last` so people
 * (and the browser test) can see it move.
 */
export class LiveChart {
  constructor(title, color) {
    this.xs = [];
    this.ys = [];
    this.el = h(
      'figure',
      { class: 'chart', dataset: { points: '0', values: '0', last: '' } },
      h('figcaption', {}, title),
    );
    this.plot = null;
    this.color = color;
    this.title = title;
  }

  /** Creates the plot once the element is in the page (uPlot needs its width). */
  mount() {
    this.plot = new uPlot(
      {
        width: widthOf(this.el),
        height: 180,
        legend: { show: false },
        scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(1, max * 1.1, min)] } },
        series: [{}, { label: this.title, stroke: this.color, fill: `${this.color}22`, width: 2, spanGaps: true }],
        axes: [{}, { size: 50 }],
      },
      [this.xs, this.ys],
      this.el,
    );
    return this;
  }

  /** Replaces the data with `ts` (ms since the epoch) and `values`. */
  setData(ts, values) {
    this.xs = ts.map((t) => t / 1000);
    this.ys = [...values];
    this.redraw();
  }

  /** Adds one point and drops those older than an hour. */
  push(t, value) {
    if (this.xs.length > 0 && t / 1000 <= this.xs[this.xs.length - 1]) return;
    this.xs.push(t / 1000);
    this.ys.push(value);
    const cutoff = (t - hourMs) / 1000;
    while (this.xs.length > 0 && this.xs[0] < cutoff) {
      this.xs.shift();
      this.ys.shift();
    }
    this.redraw();
  }

  resize() {
    this.plot?.setSize({ width: widthOf(this.el), height: 180 });
  }

  destroy() {
    this.plot?.destroy();
    this.plot = null;
  }

  redraw() {
    this.el.dataset.points = String(this.xs.length);
    this.el.dataset.values = String(this.ys.filter((y) => y !== null && y !== undefined).length);
    const last = this.ys[this.ys.length - 1];
    this.el.dataset.last = last === null || last === undefined ? '' : String(last);
    this.plot?.setData([this.xs, this.ys]);
  }
}

/** Bars of messages per hour of the day (UTC). */
export function hourBars(title, counts, color) {
  const el = h(
    'figure',
    { class: 'chart', dataset: { total: String(counts.reduce((a, b) => a + b, 0)) } },
    h('figcaption', {}, title),
  );
  const xs = counts.map((_, i) => i);
  const mount = () =>
    new uPlot(
      {
        width: widthOf(el),
        height: 160,
        legend: { show: false },
        scales: {
          x: { time: false, range: [-0.5, 23.5] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
        },
        series: [
          {},
          { stroke: color, fill: `${color}88`, paths: uPlot.paths.bars({ size: [0.7, 40] }), points: { show: false } },
        ],
        axes: [
          { splits: () => [0, 3, 6, 9, 12, 15, 18, 21], values: (_u, ticks) => ticks.map((v) => `${v}:00`) },
          { size: 40 },
        ],
      },
      [xs, counts],
      el,
    );
  return { el, mount };
}
