// Small helpers to build the DOM without innerHTML (no markup injection from data) and to format
// what people read: money, dates, statuses.

/** h('button.primary#save', {onclick}, 'Save') — tag with optional classes and id, attributes/properties, children. */
export function h(spec, attributes = {}, ...children) {
  const tokens = spec.split(/(?=[.#])/);
  const tag = /^[.#]/.test(tokens[0]) ? 'div' : tokens.shift();
  const element = document.createElement(tag);
  const classes = tokens.filter((t) => t[0] === '.').map((t) => t.slice(1));
  const id = tokens.find((t) => t[0] === '#');
  if (classes.length) element.className = classes.join(' ');
  if (id) element.id = id.slice(1);
  if (attributes === null || typeof attributes !== 'object' || attributes instanceof Node || Array.isArray(attributes)) {
    children.unshift(attributes);
    attributes = {};
  }
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key in element && !key.includes('-') && key !== 'list') element[key] = value;
    else element.setAttribute(key, value === true ? '' : value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function mount(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

export function money(amount, currency = 'USD') {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
  } catch {
    return `${Number(amount).toFixed(2)} ${currency}`;
  }
}

/// A cart or order line's name with the variant's option values: "Tee — M / Red".
export function lineName(item) {
  const values = (item.options || []).map((option) => option.value);
  return values.length ? `${item.name} — ${values.join(' / ')}` : item.name;
}

export function dateTime(text) {
  if (!text) return '—';
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toLocaleString();
}

export function statusBadge(status) {
  return h(`span.badge.status-${status}`, status);
}

/** A labelled form field: label + input (or select/textarea) with the same id. */
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h('div.field', h('label', { htmlFor: id }, label), control, hint ? h('small.hint', hint) : null);
}

export function options(values, selected) {
  return values.map(([value, label]) => h('option', { value, selected: String(value) === String(selected ?? '') }, label));
}

/** Pager: « Previous · Page 2 of 9 · Next » for a `pagination` object. */
export function pager(pagination, go) {
  if (!pagination || pagination.totalPages <= 1) return null;
  return h('nav.pager', { 'aria-label': 'Pages' },
    h('button', { type: 'button', disabled: !pagination.hasPrev, onclick: () => go(pagination.page - 1) }, '« Previous'),
    h('span', `Page ${pagination.page} of ${pagination.totalPages} (${pagination.total})`),
    h('button', { type: 'button', disabled: !pagination.hasNext, onclick: () => go(pagination.page + 1) }, 'Next »'));
}

/** The route after '#': '#/products/abc?x=1' → { parts: ['products', 'abc'], params: URLSearchParams }. */
export function currentRoute() {
  const [path, search] = (location.hash.replace(/^#\/?/, '') || '').split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(search || '') };
}

export function go(path) {
  if (location.hash === `#${path}`) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = path;
}

/** The smallest rendition of an uploaded picture at least `width` wide (or the largest there is). */
function renditionFor(image, width) {
  return image.renditions.find((r) => r.width >= width) || image.renditions[image.renditions.length - 1];
}

/** An <img> of an uploaded picture: `width` picks its src, `sizes` lets the browser pick from all renditions. */
export function picture(image, width, sizes, extra = {}) {
  return h('img', { src: renditionFor(image, width).url, srcset: image.srcset, sizes, alt: image.alt, width: image.width,
    height: image.height, ...extra });
}
