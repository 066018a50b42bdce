// The admin pages for what a checkout charges: shipping zones and their methods, tax rates and
// whether prices include tax, and promotions (automatic or with a code). Every rule lives in the
// API; these forms send what staff typed and show the API's refusal as it is.
import { query } from './api.js';
import { dateTime, field, go, h, money, options, pager } from './dom.js';

// "1000:4.90, 5000:9.90" ↔ [{upToGrams: 1000, price: 4.9}, …]: weight bands as staff type them.
function bandsText(bands) {
  return (bands || []).map((b) => `${b.upToGrams}:${b.price}`).join(', ');
}

function parseBands(text) {
  return text.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    const [grams, price] = part.split(':').map((s) => s.trim());
    return { upToGrams: Number(grams), price: Number(price) };
  });
}

const numberOrNull = (text) => (text.trim() === '' ? null : Number(text));

// One editable method row; `read()` gives the API's shape, or null when marked for removal.
function methodRow(method, zoneLabel) {
  const name = h('input', { value: method.name || '', maxLength: 100, 'aria-label': `Method name in ${zoneLabel}` });
  const type = h('select', { 'aria-label': `Rate type in ${zoneLabel}` }, options([['flat', 'flat'], ['weight', 'by weight']], method.type || 'flat'));
  const price = h('input', { value: method.price ?? '', inputMode: 'decimal', size: 7, 'aria-label': `Flat price in ${zoneLabel}` });
  const bands = h('input', { value: bandsText(method.bands), placeholder: 'grams:price, …', 'aria-label': `Weight bands in ${zoneLabel}` });
  const freeAbove = h('input', { value: method.freeAbove ?? '', inputMode: 'decimal', size: 7, 'aria-label': `Free above in ${zoneLabel}` });
  const remove = h('input', { type: 'checkbox', 'aria-label': `Remove this method from ${zoneLabel}` });
  const row = h('tr', h('td', name), h('td', type), h('td', price), h('td', bands), h('td', freeAbove), h('td', remove));
  row.read = () => {
    if (remove.checked || (!method.id && !name.value.trim())) return null;
    const body = { name: name.value.trim(), type: type.value, freeAbove: numberOrNull(freeAbove.value) };
    if (method.id) body.id = method.id;
    if (type.value === 'flat') body.price = numberOrNull(price.value);
    else body.bands = parseBands(bands.value);
    return body;
  };
  return row;
}

// A zone's form: name, countries and methods, with an empty row for a new method. New zones POST,
// existing ones PUT the whole zone (methods keep their ids, so orders keep pointing at them).
function zoneForm(ctx, zone) {
  const label = zone ? zone.name : 'the new zone';
  const name = h('input', { value: zone?.name || '', required: true, maxLength: 100 });
  const countries = h('input', { value: (zone?.countries || []).join(', '), required: true, placeholder: 'DE, AT, CH' });
  const rows = [...(zone?.methods || []).map((m) => methodRow(m, label)), methodRow({}, label)];
  const save = async (event) => {
    event.preventDefault();
    const body = {
      name: name.value.trim(),
      countries: countries.value.split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase()),
      methods: rows.map((r) => r.read()).filter(Boolean),
    };
    const done = await ctx.attempt(() => (zone ? ctx.api.put(`/shipping-zones/${zone.id}`, body) : ctx.api.post('/shipping-zones', body)));
    if (done) { ctx.notice(zone ? 'Zone saved' : 'Zone created'); go('/shipping'); }
  };
  const remove = zone && h('button.danger', { type: 'button', onclick: async () => {
    if (!confirm(`Delete the zone ${zone.name}? Its countries can no longer be shipped to.`)) return;
    if (await ctx.attempt(() => ctx.api.delete(`/shipping-zones/${zone.id}`)) !== undefined) go('/shipping');
  } }, 'Delete zone');
  return h('form.card.zone', { onsubmit: save, dataset: { zone: zone?.name || '' } },
    h('h2', zone ? zone.name : 'New zone'),
    h('div.toolbar', field('Zone name', name), field('Countries (ISO codes)', countries)),
    h('table', h('thead', h('tr', ['Method', 'Rate', `Flat price (${ctx.currency})`, 'Weight bands (grams:price)', 'Free above', 'Remove'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', rows)),
    h('div.toolbar', h('button.primary', { type: 'submit' }, zone ? 'Save zone' : 'Create zone'), remove));
}

export async function shippingView(ctx) {
  const { zones } = await ctx.api.get('/shipping-zones');
  ctx.page('Shipping', h('p.muted', 'A country belongs to one zone; the checkout offers that zone\'s methods. Leave the last row empty to add no method.'),
    zones.map((zone) => zoneForm(ctx, zone)), zoneForm(ctx, null));
}

// ---- tax -----------------------------------------------------------------------------------

function rateRow(ctx, rate) {
  const country = h('input', { value: rate?.country || '', required: true, maxLength: 2, size: 3, 'aria-label': 'Country' });
  const region = h('input', { value: rate?.region || '', maxLength: 100, size: 8, 'aria-label': 'Region' });
  const name = h('input', { value: rate?.name || '', required: true, maxLength: 100, 'aria-label': 'Tax name' });
  const percent = h('input', { value: rate?.rate ?? '', required: true, inputMode: 'decimal', size: 6, 'aria-label': 'Rate (%)' });
  const body = () => ({ country: country.value.trim().toUpperCase(), region: region.value.trim() || null, name: name.value.trim(), rate: Number(percent.value) });
  const save = h('button', { type: 'button', onclick: async () => {
    const done = await ctx.attempt(() => (rate ? ctx.api.put(`/tax-rates/${rate.id}`, body()) : ctx.api.post('/tax-rates', body())));
    if (done) { ctx.notice(rate ? 'Tax rate saved' : 'Tax rate added'); go('/tax'); }
  } }, rate ? 'Save' : 'Add rate');
  const remove = rate && h('button.danger', { type: 'button', onclick: async () => {
    if (!confirm(`Delete ${rate.name} (${rate.country})?`)) return;
    if (await ctx.attempt(() => ctx.api.delete(`/tax-rates/${rate.id}`)) !== undefined) go('/tax');
  } }, 'Delete');
  return h('tr', h('td', country), h('td', region), h('td', name), h('td', percent), h('td.actions', save, remove));
}

export async function taxView(ctx) {
  const [{ taxRates }, { settings }] = await Promise.all([ctx.api.get('/tax-rates'), ctx.api.get('/settings')]);
  const included = h('input#prices-include-tax', { type: 'checkbox',
    checked: (settings.find((s) => s.key === 'tax.pricesIncludeTax') || {}).value === true });
  const inclusion = h('form.card', { onsubmit: async (event) => {
    event.preventDefault();
    if (await ctx.attempt(() => ctx.api.put('/settings/tax.pricesIncludeTax', { value: included.checked }))) ctx.notice('Saved');
  } }, h('div.field.check', included, h('label', { htmlFor: included.id }, 'Catalog prices include tax (tax is taken out of them, not added)')),
  h('button', { type: 'submit' }, 'Save'));
  ctx.page('Tax', inclusion,
    h('table', h('thead', h('tr', ['Country', 'Region', 'Name', 'Rate (%)', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', taxRates.map((rate) => rateRow(ctx, rate)), rateRow(ctx, null))));
}

// ---- promotions ----------------------------------------------------------------------------

// Date inputs are in the browser's time; the API takes ISO 8601.
const isoOrNull = (local) => (local ? new Date(local).toISOString() : null);

// The API's shape of a discount from its listing, for a PUT that changes one thing (active).
function discountBody(d, changes) {
  return { code: d.code, name: d.name, type: d.type, value: d.value, appliesTo: d.appliesTo, productIds: d.productIds, categoryIds: d.categoryIds,
    minimumSubtotal: d.minimumSubtotal, startsAt: d.startsAt, endsAt: d.endsAt, usageLimit: d.usageLimit, perCustomerLimit: d.perCustomerLimit,
    active: d.active, ...changes };
}

function promotionForm(ctx, categories) {
  const code = h('input#promotion-code', { maxLength: 64, placeholder: 'empty: applies by itself' });
  const name = h('input#promotion-name', { required: true, maxLength: 100 });
  const type = h('select#promotion-type', options([['percentage', 'percent off'], ['fixed', `${ctx.currency} off`]], 'percentage'));
  const value = h('input#promotion-value', { required: true, inputMode: 'decimal', size: 7 });
  const appliesTo = h('select#promotion-applies', options([['order', 'the whole order'], ['categories', 'products in categories'],
    ['products', 'chosen products']], 'order'));
  const chosen = h('select#promotion-categories', { multiple: true, size: Math.min(5, Math.max(2, categories.length)) },
    options(categories.map((c) => [c.id, c.name])));
  const skus = h('input#promotion-skus', { size: 24, placeholder: 'TEE, MUG-2 (product or variant SKUs)' });
  const minimum = h('input#promotion-minimum', { inputMode: 'decimal', size: 7, placeholder: '0' });
  const starts = h('input#promotion-starts', { type: 'datetime-local' });
  const ends = h('input#promotion-ends', { type: 'datetime-local' });
  const limit = h('input#promotion-limit', { type: 'number', min: 1, placeholder: 'unlimited' });
  const perCustomer = h('input#promotion-per-customer', { type: 'number', min: 1, placeholder: 'unlimited' });
  return h('form.card', { onsubmit: async (event) => {
    event.preventDefault();
    const body = {
      code: code.value.trim() || null, name: name.value.trim(), type: type.value, value: Number(value.value), appliesTo: appliesTo.value,
      minimumSubtotal: numberOrNull(minimum.value) ?? 0, startsAt: isoOrNull(starts.value), endsAt: isoOrNull(ends.value),
      usageLimit: numberOrNull(limit.value), perCustomerLimit: numberOrNull(perCustomer.value), active: true,
    };
    if (appliesTo.value === 'categories') body.categoryIds = [...chosen.selectedOptions].map((o) => o.value);
    const created = await ctx.attempt(async () => {
      if (appliesTo.value === 'products') body.productIds = await productIdsBySku(ctx, skus.value);
      return ctx.api.post('/discounts', body);
    });
    if (created) { ctx.notice('Promotion created'); go('/promotions'); }
  } }, h('h2', 'New promotion'),
  h('div.toolbar', field('Code', code), field('Name', name), field('Discount', type), field('Amount', value)),
  h('div.toolbar', field('Applies to', appliesTo), field('Categories', chosen), field('Products (SKUs)', skus),
    field(`Minimum subtotal (${ctx.currency})`, minimum)),
  h('div.toolbar', field('Starts', starts), field('Ends', ends), field('Total uses', limit), field('Uses per customer', perCustomer)),
  h('button.primary', { type: 'submit' }, 'Create promotion'));
}

/// "TEE, MUG-2" → the ids of the products with those SKUs (a variant's SKU names its product), found
/// through the catalog's search; an SKU no product has stops the form with its name.
async function productIdsBySku(ctx, text) {
  const wanted = [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
  if (!wanted.length) throw new Error('Products (SKUs): name at least one SKU');
  const ids = [];
  for (const sku of wanted) {
    const { products } = await ctx.api.get(`/products${query({ search: sku, limit: 20 })}`);
    const same = (candidate) => candidate.toLowerCase() === sku.toLowerCase();
    const product = products.find((p) => same(p.sku) || p.variants.some((v) => same(v.sku)));
    if (!product) throw new Error(`Products (SKUs): no product has the SKU ${sku}`);
    if (!ids.includes(product.id)) ids.push(product.id);
  }
  return ids;
}

function describe(ctx, d) {
  const amount = d.type === 'percentage' ? `${d.value} %` : money(d.value, ctx.currency);
  const scope = d.appliesTo === 'order' ? 'order' : `${d.appliesTo} (${(d.productIds || d.categoryIds || []).length})`;
  return `${amount} off ${scope}${Number(d.minimumSubtotal) > 0 ? `, from ${money(d.minimumSubtotal, ctx.currency)}` : ''}`;
}

export async function promotionsView(ctx, params) {
  const pageNumber = Number(params.get('page')) || 1;
  const [listing, { categories }] = await Promise.all([ctx.api.get(`/discounts?limit=50&page=${pageNumber}`), ctx.api.get('/categories')]);
  const rows = listing.discounts.map((d) => h('tr', { dataset: { code: d.code || '' } },
    h('td', d.code ? h('code', d.code) : h('span.muted', 'automatic')), h('td', d.name), h('td', describe(ctx, d)),
    h('td', d.startsAt || d.endsAt ? `${dateTime(d.startsAt)} – ${dateTime(d.endsAt)}` : 'always'), h('td.num', `${d.usedCount}${d.usageLimit ? ` / ${d.usageLimit}` : ''}`),
    h('td', d.active ? 'active' : h('span.muted', 'paused')),
    h('td.actions', h('button', { type: 'button', onclick: async () => {
      if (await ctx.attempt(() => ctx.api.put(`/discounts/${d.id}`, discountBody(d, { active: !d.active })))) go('/promotions');
    } }, d.active ? 'Pause' : 'Resume'), h('button.danger', { type: 'button', onclick: async () => {
      if (!confirm(`Delete ${d.name}? Orders that used it keep their discount.`)) return;
      if (await ctx.attempt(() => ctx.api.delete(`/discounts/${d.id}`)) !== undefined) go('/promotions');
    } }, 'Delete'))));
  ctx.page('Promotions', h('table', h('thead', h('tr', ['Code', 'Name', 'Discount', 'Valid', 'Used', 'State', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', rows.length ? rows : h('tr', h('td', { colSpan: 7 }, 'No promotions yet.')))),
  pager(listing.pagination, (n) => go(`/promotions?page=${n}`)), promotionForm(ctx, categories));
}
