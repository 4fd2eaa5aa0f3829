// Charts as SVG written here. A bar chart is a table whose second column draws the bar, so the
// figures are always there as text (screen readers, copy, print) and the bars only show them.
import { h, s, scrollRegion } from './dom.js';
import { number, t } from './i18n.js';

/** One bar: the value's share of max as an SVG rect (and an optional marker, e.g. p90). */
export function bar(value, max, marker) {
  const w = max > 0 && value > 0 ? Math.max(0.5, (100 * value) / max) : 0;
  const m = marker != null && max > 0 ? Math.min(100, (100 * marker) / max) : null;
  return s('svg', { class: 'bar', width: '100%', height: '16', 'aria-hidden': 'true', focusable: 'false' },
    s('rect', { class: 'bar-track', x: '0', y: '2', width: '100%', height: '12', rx: '2' }),
    w > 0 ? s('rect', { class: 'bar-fill', x: '0', y: '2', width: `${w.toFixed(2)}%`, height: '12', rx: '2' }) : null,
    m != null ? s('rect', { class: 'bar-marker', x: `${Math.max(0, m - 0.6).toFixed(2)}%`, y: '0', width: '1.2%', height: '16' }) : null);
}

/**
 * A bar chart table: rows {code, label, value, marker?, cells: [further cells]}; headers name the
 * label column, the value column and the further ones.
 */
export function barTable({ id, caption, headers, rows, max, format = (v) => number(v, 1), marker, hideCaption }) {
  const top = max ?? Math.max(0, ...rows.map((r) => Math.max(r.value ?? 0, r.marker ?? 0)));
  return scrollRegion(caption,
    h('table', { class: 'chart', id: id || null },
      h('caption', { class: hideCaption ? 'visually-hidden' : null }, caption),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, headers[0]),
        h('th', { scope: 'col', class: 'bar-col' }, h('span', { class: 'visually-hidden' }, t('chartBar'))),
        headers.slice(1).map((x) => h('th', { scope: 'col', class: 'num' }, x)))),
      h('tbody', null, rows.map((r) => h('tr', { 'data-code': r.code ?? null },
        h('th', { scope: 'row' }, r.label),
        h('td', { class: 'bar-col' }, bar(r.value ?? 0, top, marker ? r.marker : null)),
        h('td', { class: 'num', 'data-value': r.value ?? '' }, format(r.value)),
        (r.cells || []).map((c) => h('td', { class: 'num' }, c)))))));
}

/**
 * An indicator's measurements over time as a line, with its baseline and target as lines; the
 * figures are in the table beside it, so the drawing is one image with a summary.
 */
export function indicatorChart(indicator, measurements, summary) {
  const W = 600, H = 220, L = 56, R = 16, T = 16, B = 36;
  const values = measurements.map((m) => m.value);
  const all = [indicator.baseline, indicator.target, ...values].filter((v) => v != null);
  let lo = Math.min(...all), hi = Math.max(...all);
  if (lo === hi) { lo -= 1; hi += 1; }
  const pad = (hi - lo) * 0.08;
  lo -= pad; hi += pad;
  const times = measurements.map((m) => Date.parse(`${m.on}T00:00:00Z`));
  const t0 = times.length ? Math.min(...times) : 0, t1 = times.length ? Math.max(...times) : 1;
  const x = (tm) => (t1 === t0 ? L + (W - L - R) / 2 : L + ((tm - t0) / (t1 - t0)) * (W - L - R));
  const y = (v) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
  const hline = (v, cls, text) => v == null ? null : s('g', { class: cls },
    s('line', { x1: L, x2: W - R, y1: y(v).toFixed(1), y2: y(v).toFixed(1) }),
    s('text', { x: W - R, y: (y(v) - 5).toFixed(1), 'text-anchor': 'end' }, `${text}: ${number(v, 2)}`));
  const points = measurements.map((m, i) => `${x(times[i]).toFixed(1)},${y(m.value).toFixed(1)}`).join(' ');
  return s('svg', { class: 'indicator-chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary, focusable: 'false' },
    s('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }),
    s('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }),
    s('text', { class: 'tick', x: L - 6, y: y(hi - pad) + 4, 'text-anchor': 'end' }, number(hi - pad, 1)),
    s('text', { class: 'tick', x: L - 6, y: y(lo + pad) + 4, 'text-anchor': 'end' }, number(lo + pad, 1)),
    hline(indicator.baseline, 'baseline', t('baseline')),
    hline(indicator.target, 'target', t('target')),
    measurements.length > 1 ? s('polyline', { class: 'series', points }) : null,
    measurements.map((m, i) => s('circle', { class: 'point', cx: x(times[i]).toFixed(1), cy: y(m.value).toFixed(1), r: 5 })),
    measurements.length ? [
      s('text', { class: 'tick', x: L, y: H - 12, 'text-anchor': 'start' }, measurements[0].on),
      measurements.length > 1 ? s('text', { class: 'tick', x: W - R, y: H - 12, 'text-anchor': 'end' }, measurements[measurements.length - 1].on) : null,
    ] : null);
}
