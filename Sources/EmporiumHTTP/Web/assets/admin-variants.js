// The admin panel's variant editor: options for a new product (every combination becomes a
// variant), and on a product's page its variants — SKU, option values, price, weight — to change,
// add or remove, with stock counted per variant. Every rule (one variant per combination, the same
// options on every variant, never below reserved) lives in the API; its refusals show as they are.
import { field, h, options } from './dom.js';

/// "Size: S, M, L" per line → [{name: 'Size', values: ['S', 'M', 'L']}, …]; blank lines skipped.
export function parseOptions(text) {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const [name, values = ''] = line.split(':');
    return { name: name.trim(), values: values.split(',').map((v) => v.trim()).filter(Boolean) };
  });
}

/// Every combination of the options' values, in order: Size S/M × Colour Red/Blue → 4.
export function combinations(optionList) {
  return optionList.reduce((rows, option) => rows.flatMap((row) => option.values.map((value) => [...row, { name: option.name, value }])), [[]]);
}

/// A variant SKU from the product's and the values: TEE + M, Red → TEE-M-RED.
export function variantSku(sku, values) {
  return [sku, ...values.map((o) => o.value)].join('-').toUpperCase().replace(/[^A-Z0-9._-]+/g, '-').slice(0, 64);
}

/// The new-product form's options field; `variants(sku, stock)` gives the `variants` to send, or
/// undefined for a product without options.
export function optionsField() {
  const input = h('textarea', { rows: 3, name: 'options', placeholder: 'Size: S, M, L\nColour: Red, Blue' });
  return {
    element: field('Options (one per line; leave empty for a single product)', input,
      'Every combination becomes a variant with its own SKU and stock; prices and SKUs can be changed afterwards.'),
    variants(sku, stock) {
      const list = parseOptions(input.value);
      if (!list.length) return undefined;
      return combinations(list).map((values) => ({ sku: variantSku(sku, values), options: values, stock }));
    },
  };
}

/// The variants card of a product's page. `ctx`: {api, attempt, notice, reload, currency}.
export function variantsCard(ctx, product) {
  const names = (product.options || []).map((o) => o.name);
  const rows = product.variants.map((variant) => variantRow(ctx, product, variant, names));
  const single = product.variants.length === 1 && names.length === 0;
  return h('section.card#variants', h('h2', 'Variants'),
    h('p.muted', single
      ? 'This product is sold as one variant. Give it options (e.g. Size: M) to add more variants.'
      : `${product.variants.length} variants by ${names.join(', ')}. The product shows the lowest price.`),
    h('table', h('caption.sr-only', 'Variants'),
      h('thead', h('tr', ['SKU', ...(names.length ? names : ['Options']), `Price (${ctx.currency})`, 'Weight (g)', 'Available / stock', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', rows)),
    single ? firstOptionsForm(ctx, product) : addVariantForm(ctx, product, names));
}

function variantRow(ctx, product, variant, names) {
  const label = variant.title || variant.sku;
  const sku = h('input', { value: variant.sku, maxLength: 64, 'aria-label': `SKU of ${label}` });
  const values = names.map((name, index) => h('input', { value: variant.options[index]?.value || '', maxLength: 60, size: 8, 'aria-label': `${name} of ${label}` }));
  const price = h('input', { value: variant.price, inputMode: 'decimal', size: 8, 'aria-label': `Price of ${label}` });
  const weight = h('input', { value: variant.weightGrams, inputMode: 'numeric', size: 6, 'aria-label': `Weight of ${label}` });
  const save = h('button', { type: 'button', onclick: async () => {
    const body = { sku: sku.value.trim(), price: Number(price.value), weightGrams: Number(weight.value) };
    if (names.length) body.options = names.map((name, index) => ({ name, value: values[index].value }));
    if (await ctx.attempt(() => ctx.api.patch(`/products/${product.id}/variants/${variant.id}`, body))) { ctx.notice(`Saved ${body.sku}`); ctx.reload(); }
  } }, 'Save');
  const remove = h('button.danger', { type: 'button', disabled: product.variants.length < 2, onclick: async () => {
    if (!confirm(`Remove the variant ${label}? Past orders keep their copy.`)) return;
    if (await ctx.attempt(() => ctx.api.delete(`/products/${product.id}/variants/${variant.id}`)) !== undefined) { ctx.notice(`Removed ${label}`); ctx.reload(); }
  } }, 'Remove');
  return h('tr', { dataset: { variant: variant.id } }, h('td', sku), (names.length ? values : [h('span.muted', '—')]).map((input) => h('td', input)),
    h('td', price), h('td', weight), h('td.num', `${variant.inventory.available} / ${variant.inventory.stock}`), h('td.actions', save, remove));
}

// A product sold as one variant gets its options by naming the existing variant's values first.
function firstOptionsForm(ctx, product) {
  const text = h('input', { name: 'first-options', placeholder: 'Size: M, Colour: Red', size: 30 });
  return h('form.toolbar', { 'aria-label': 'Give this product options', onsubmit: async (event) => {
    event.preventDefault();
    const optionList = text.value.split(',').map((part) => part.split(':').map((s) => s.trim())).filter(([name, value]) => name && value)
      .map(([name, value]) => ({ name, value }));
    if (!optionList.length) return;
    if (await ctx.attempt(() => ctx.api.patch(`/products/${product.id}/variants/${product.variants[0].id}`, { options: optionList }))) {
      ctx.notice('Options set: now add the other variants'); ctx.reload();
    }
  } }, field("This variant's options", text), h('button', { type: 'submit' }, 'Set options'));
}

function addVariantForm(ctx, product, names) {
  const sku = h('input', { required: true, maxLength: 64, name: 'variant-sku' });
  const values = names.map((name) => h('input', { required: true, maxLength: 60, size: 8, name: `variant-${name}` }));
  const price = h('input', { inputMode: 'decimal', size: 8, placeholder: String(product.price), name: 'variant-price' });
  const stock = h('input', { type: 'number', min: 0, step: 1, value: 0, name: 'variant-stock' });
  return h('form.toolbar', { 'aria-label': 'Add a variant', onsubmit: async (event) => {
    event.preventDefault();
    const body = { sku: sku.value.trim(), options: names.map((name, index) => ({ name, value: values[index].value })), stock: Number(stock.value) };
    if (price.value.trim()) body.price = Number(price.value);
    if (await ctx.attempt(() => ctx.api.post(`/products/${product.id}/variants`, body))) { ctx.notice(`Added ${body.sku}`); ctx.reload(); }
  } }, field('New variant SKU', sku), names.map((name, index) => field(name, values[index])), field(`Price (${ctx.currency})`, price),
  field('Stock', stock), h('button', { type: 'submit' }, 'Add variant'));
}

/// The inventory card: which variant (when there are several), by how much, and why.
export function inventoryCard(ctx, product) {
  const delta = h('input', { type: 'number', step: 1, required: true, value: '' });
  const reason = h('input', { required: true, maxLength: 200, placeholder: 'e.g. delivery received, stock count' });
  const several = product.variants.length > 1;
  const variant = h('select', { name: 'inventory-variant' },
    options(product.variants.map((v) => [v.id, `${v.title || v.sku} (${v.sku}): ${v.inventory.stock} in stock`]), product.variants[0]?.id));
  return h('form.card', { onsubmit: async (event) => {
    event.preventDefault();
    const body = { delta: Number(delta.value), reason: reason.value };
    if (several) body.variantId = variant.value;
    const saved = await ctx.attempt(() => ctx.api.post(`/products/${product.id}/inventory`, body));
    if (saved) { ctx.notice(`Stock is now ${saved.inventory.stock} in all`); ctx.reload(); }
  } }, h('h2', 'Inventory'),
  h('p', `Stock ${product.inventory.stock}, reserved ${product.inventory.reserved}, available ${product.inventory.available}${several ? ' over all variants' : ''}.`),
  several ? field('Variant', variant) : null, field('Change by (negative to remove)', delta), field('Reason', reason),
  h('button', { type: 'submit' }, 'Adjust stock'));
}
