// Tiny SVG charts drawn by our own code: no library, no inline style (the CSP forbids it), scaled
// by viewBox so they stay readable on a phone. Every chart has a text title for screen readers.

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  for (const child of children) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return element;
}

/** A round upper bound for an axis: 0, 1, 2, 2.5, 5 × 10^n. */
function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/**
 * Columns, one per day: `points` = [{label, value}]. Negative days (refunds) go below the axis.
 * `width` is the pixel width it will be shown at, so text keeps its real size on a phone too.
 */
export function columnChart(points, { title, format = String, width = 640 } = {}) {
  const height = Math.round(Math.min(260, Math.max(180, width * 0.35))), left = 44, right = 8, top = 12, bottom = 28;
  const max = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const min = Math.min(0, ...points.map((p) => p.value));
  const span = max - min || 1;
  const y = (value) => top + (max - value) * (height - top - bottom) / span;
  const slot = (width - left - right) / Math.max(points.length, 1);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart', 'aria-label': title });
  chart.append(svg('title', {}, title));
  for (const tick of [0, 0.5, 1]) {
    const value = min + span * tick;
    chart.append(svg('line', { x1: left, x2: width - right, y1: y(value), y2: y(value), class: 'grid' }));
    chart.append(svg('text', { x: left - 6, y: y(value) + 4, 'text-anchor': 'end', class: 'axis' }, compact.format(value)));
  }
  points.forEach((point, index) => {
    const x = left + index * slot + slot * 0.15;
    const top = y(Math.max(point.value, 0)), base = y(Math.min(point.value, 0));
    const bar = svg('rect', { x, y: top, width: Math.max(slot * 0.7, 1), height: Math.max(base - top, point.value === 0 ? 0 : 1),
      class: point.value < 0 ? 'bar negative' : 'bar' });
    bar.append(svg('title', {}, `${point.label}: ${format(point.value)}`));
    chart.append(bar);
    const every = Math.ceil(points.length / Math.max(2, Math.floor(width / 80)));
    if (index % every === 0) {
      chart.append(svg('text', { x: x + slot * 0.35, y: height - 8, 'text-anchor': 'middle', class: 'axis' }, point.label.slice(5)));
    }
  });
  return chart;
}

/** Horizontal bars with labels: `rows` = [{label, value, note}]. */
export function barList(rows, { title, format = String, width = 640 } = {}) {
  const rowHeight = 30, labelWidth = Math.round(width * 0.42), maxLabel = Math.floor(labelWidth / 7.5);
  const height = Math.max(rows.length, 1) * rowHeight + 8;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart', 'aria-label': title });
  chart.append(svg('title', {}, title));
  if (!rows.length) chart.append(svg('text', { x: 8, y: 20, class: 'axis' }, 'Nothing in this period'));
  rows.forEach((row, index) => {
    const y = 4 + index * rowHeight;
    const label = row.label.length > maxLabel ? `${row.label.slice(0, maxLabel - 1)}…` : row.label;
    chart.append(svg('text', { x: 0, y: y + 19, class: 'label' }, label));
    const barWidth = Math.max((width - labelWidth - Math.min(150, width * 0.3)) * row.value / max, 2);
    const bar = svg('rect', { x: labelWidth, y: y + 6, width: barWidth, height: rowHeight - 12, class: 'bar' });
    bar.append(svg('title', {}, `${row.label}: ${row.note ?? format(row.value)}`));
    chart.append(bar);
    chart.append(svg('text', { x: labelWidth + barWidth + 6, y: y + 19, class: 'axis' }, row.note ?? format(row.value)));
  });
  return chart;
}
