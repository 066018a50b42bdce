// The admin panel: one page, hash routes, every figure from the public API with the signed-in
// staff member's token. Errors from the API are shown in the banner, never swallowed.
import { Api, ApiError, Session, query } from './api.js';
import { columnChart, barList } from './charts.js';
import { Feedback } from './feedback.js';
import { promotionsView, shippingView, taxView } from './admin-checkout.js';
import { imagesCard } from './admin-images.js';
import { forgotPasswordView, mailView, resetPasswordView, verifyEmailView } from './admin-mail.js';
import { pagesView } from './admin-pages.js';
import { securityView } from './admin-security.js';
import { inventoryCard, optionsField, variantsCard } from './admin-variants.js';
import { currentRoute, dateTime, field, go, h, lineName, money, mount, options, pager, statusBadge } from './dom.js';

const session = new Session('emporium.admin');
const api = new Api(session, () => session.value?.tenant);
const main = document.getElementById('main');
const banner = document.getElementById('banner');
const nav = document.getElementById('nav');
let currency = 'USD';

const TRANSITIONS = {
  pending: ['pay', 'cancel'], paid: ['fulfill', 'cancel', 'refund'], fulfilled: ['ship', 'refund'],
  shipped: ['deliver', 'refund'], delivered: ['refund'], cancelled: [], refunded: [],
};
const ROLES = ['owner', 'admin', 'manager', 'staff', 'customer'];
const STATUSES = ['active', 'draft', 'inactive'];

const feedback = new Feedback(banner);
const showError = (error) => feedback.error(error);
const notice = (text) => feedback.notice(text);
const attempt = (action) => feedback.attempt(action);

function page(title, ...content) {
  document.title = `${title} · Emporium admin`;
  mount(main, h('h1', { tabIndex: -1 }, title), ...content);
  main.querySelector('h1').focus({ preventScroll: true });
}

// ---- sign in -------------------------------------------------------------------------------

function signInView() {
  nav.hidden = true;
  const tenant = h('input', { name: 'tenant', required: true, autocomplete: 'organization', value: sessionStorage.getItem('emporium.admin.lastTenant') || '' });
  const email = h('input', { name: 'email', type: 'email', required: true, autocomplete: 'username' });
  const password = h('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
  // Shown once the server answers that this account has a second factor.
  const code = h('input', { name: 'code', autocomplete: 'one-time-code', maxLength: 64, spellcheck: false });
  const codeField = field('Code from your authenticator app (or a recovery code)', code);
  codeField.hidden = true;
  const submit = h('button.primary', { type: 'submit' }, 'Sign in');
  const form = h('form.card.narrow', {
    onsubmit: async (event) => {
      event.preventDefault();
      submit.disabled = true;
      await attempt(async () => {
        const shop = tenant.value.trim();
        const credentials = { email: email.value, password: password.value, ...(codeField.hidden ? {} : { code: code.value.trim() }) };
        let answer;
        try {
          answer = await new Api(new Session('emporium.scratch'), () => shop).post('/auth/login', credentials);
        } catch (error) {
          if (error.code !== 'TWO_FACTOR_REQUIRED') throw error;
          codeField.hidden = false;
          code.required = true;
          code.focus();
          notice('Enter the code your authenticator app shows for this shop');
          return;
        }
        if (answer.user.role === 'customer') throw new ApiError(403, 'FORBIDDEN', 'This account has no staff access to the admin panel.');
        sessionStorage.setItem('emporium.admin.lastTenant', shop);
        session.save(answer, { tenant: shop, mustEnrol: answer.twoFactorEnrolmentRequired });
        go(answer.twoFactorEnrolmentRequired ? '/security' : '/dashboard');
      });
      submit.disabled = false;
    },
  }, field('Shop (subdomain)', tenant), field('Email', email), field('Password', password), codeField, submit,
  h('p', h('a', { href: '#/forgot-password' }, 'Forgot your password?')));
  page('Sign in', form);
}

// ---- dashboard -----------------------------------------------------------------------------

function kpi(label, metric, format) {
  const growth = metric.growth === null ? 'no earlier data' : `${metric.growth > 0 ? '+' : ''}${metric.growth}%`;
  return h(`div.kpi.trend-${metric.trend}`, { dataset: { kpi: label } },
    h('span.kpi-label', label), h('strong.kpi-value', format(metric.current)),
    h('span.kpi-change', `${metric.trend === 'up' ? '▲' : metric.trend === 'down' ? '▼' : '■'} ${growth} vs previous`));
}

async function dashboardView(params) {
  const period = params.get('period') || '30d';
  const data = await api.get(`/analytics/dashboard${query({ period })}`);
  currency = data.period.currency;
  const format = (value) => money(value, currency);
  const picker = h('div.toolbar', h('label', { htmlFor: 'period' }, 'Period '),
    h('select#period', { id: 'period', onchange: (event) => go(`/dashboard?period=${event.target.value}`) },
      options([['7d', 'Last 7 days'], ['30d', 'Last 30 days'], ['90d', 'Last 90 days']], period)),
    h('button', { type: 'button', onclick: () => attempt(() => api.download(`/analytics/reports/sales.csv${query({ from: data.period.from, to: data.period.to })}`, 'sales.csv')) }, 'Download sales CSV'));
  const segments = data.charts.customerSegments;
  // Charts are drawn at the size they are shown, so their text stays readable on a phone.
  const wide = Math.max(300, Math.min(1100, main.clientWidth - 34));
  const half = window.matchMedia('(min-width: 720px)').matches ? Math.max(300, wide / 2 - 8) : wide;
  page('Dashboard', picker,
    h('p.muted', `${data.period.from} to ${data.period.to} (${data.period.timeZone})`),
    h('section.kpis', { 'aria-label': 'Key figures' },
      kpi('Revenue', data.metrics.revenue, format),
      kpi('Orders', data.metrics.orders, String),
      kpi('Customers', data.metrics.customers, String),
      h('div.kpi', { dataset: { kpi: 'Average order' } }, h('span.kpi-label', 'Average order'), h('strong.kpi-value', format(data.summary.averageOrderValue)),
        h('span.kpi-change', `${data.summary.totalOrders} orders`))),
    h('section.card', h('h2', 'Revenue by day'),
      columnChart(data.charts.revenueByDay.map((d) => ({ label: d.date, value: d.revenue })), { title: 'Revenue by day', format, width: wide })),
    h('div.columns',
      h('section.card', h('h2', 'Top products'),
        barList(data.charts.topProducts.map((p) => ({ label: p.name, value: p.sales, note: `${p.sales} sold · ${format(p.revenue)}` })), { title: 'Top products by units sold', width: half })),
      h('section.card', h('h2', 'Customers'),
        barList(segments.map((s) => ({ label: s.segment, value: s.count, note: `${s.count} · ${format(s.revenue)}` })), { title: 'New and returning customers', width: half }))));
}

// ---- products ------------------------------------------------------------------------------

async function productsView(params) {
  const filters = { search: params.get('search') || '', status: params.get('status') || '', category: params.get('category') || '', page: params.get('page') || 1 };
  const [listing, categories] = await Promise.all([api.get(`/products${query({ ...filters, limit: 20 })}`), api.get('/categories')]);
  const search = h('input', { type: 'search', name: 'search', value: filters.search, placeholder: 'Name, SKU, description' });
  const status = h('select', { name: 'status' }, options([['', 'Any status'], ...STATUSES.map((s) => [s, s])], filters.status));
  const category = h('select', { name: 'category' }, options([['', 'Any category'], ...categories.categories.map((c) => [c.id, c.name])], filters.category));
  const form = h('form.toolbar', { role: 'search', onsubmit: (event) => {
    event.preventDefault();
    go(`/products${query({ search: search.value, status: status.value, category: category.value })}`);
  } }, field('Search', search), field('Status', status), field('Category', category), h('button', { type: 'submit' }, 'Filter'),
  h('a.button.primary', { href: '#/products/new' }, 'New product'));
  const rows = listing.products.map((p) => h('tr',
    h('td', h('a', { href: `#/products/${p.id}` }, p.name)), h('td', p.variants.length > 1 ? `${p.sku} (${p.variants.length} variants)` : p.sku),
    h('td', statusBadge(p.status)), h('td.num', `${p.variants.length > 1 ? 'from ' : ''}${money(p.price, p.currency)}`), h('td.num', `${p.inventory.available} / ${p.inventory.stock}`), h('td', p.category?.name || '—')));
  page('Products', form,
    h('table', h('caption.sr-only', 'Products'), h('thead', h('tr', ['Name', 'SKU', 'Status', 'Price', 'Available / stock', 'Category'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', rows.length ? rows : h('tr', h('td', { colSpan: 6 }, 'No products match.')))),
    pager(listing.pagination, (n) => go(`/products${query({ ...filters, page: n })}`)));
}

async function productEditView(id) {
  const categories = (await api.get('/categories')).categories;
  const product = id === 'new' ? null : await api.get(`/products/${encodeURIComponent(id)}`);
  const inputs = {
    name: h('input', { required: true, maxLength: 200, value: product?.name || '' }),
    sku: h('input', { required: true, maxLength: 64, value: product?.sku || '' }),
    price: h('input', { type: 'number', required: true, min: 0, step: '0.01', value: product?.price ?? '' }),
    status: h('select', options(STATUSES.map((s) => [s, s]), product?.status || 'draft')),
    categoryId: h('select', options([['', 'None'], ...categories.map((c) => [c.id, c.name])], product?.category?.id || '')),
    description: h('textarea', { rows: 4, value: product?.description || '' }),
    lowStockThreshold: h('input', { type: 'number', min: 0, step: 1, value: product?.inventory.lowStockThreshold ?? 5 }),
    seoTitle: h('input', { maxLength: 120, value: product?.seoTitle || '' }),
    seoDescription: h('textarea', { rows: 2, maxLength: 320, value: product?.seoDescription || '' }),
  };
  const slug = product ? h('input', { maxLength: 120, value: product.slug }) : null;
  const stock = h('input', { type: 'number', min: 0, step: 1, value: 0 });
  const optionInput = product ? null : optionsField();
  // With several variants the product's price is the lowest of theirs: prices are set per variant.
  const several = (product?.variants.length || 0) > 1;
  if (several) inputs.price.disabled = true;
  const form = h('form.card', { onsubmit: async (event) => {
    event.preventDefault();
    const body = { name: inputs.name.value, sku: inputs.sku.value, status: inputs.status.value,
      categoryId: inputs.categoryId.value || null, description: inputs.description.value, lowStockThreshold: Number(inputs.lowStockThreshold.value),
      seoTitle: inputs.seoTitle.value, seoDescription: inputs.seoDescription.value };
    if (!several) body.price = Number(inputs.price.value);
    if (slug && slug.value.trim() !== product.slug) body.slug = slug.value;
    if (!product) {
      const variants = optionInput.variants(inputs.sku.value.trim(), Number(stock.value));
      if (variants) body.variants = variants; else body.stock = Number(stock.value);
    }
    const saved = await attempt(() => (product ? api.patch(`/products/${product.id}`, body) : api.post('/products', body)));
    if (saved) { notice(`Saved ${saved.name}`); go(`/products/${saved.id}`); }
  } },
  field('Name', inputs.name), field('SKU', inputs.sku),
  field(several ? `From price (${currency})` : `Price (${currency})`, inputs.price, several ? 'The lowest variant price: change prices in Variants below.' : null),
  field('Status', inputs.status),
  field('Category', inputs.categoryId), field('Description', inputs.description), field('Low-stock threshold', inputs.lowStockThreshold),
  h('details.seo', h('summary', 'Search engines and shared links'),
    slug ? field('Address', slug, 'The page is /products/<address>; the old address moves to the new one.') : null,
    field('Title in search results', inputs.seoTitle, 'Empty: the product name and the shop name.'),
    field('Description in search results', inputs.seoDescription, 'Empty: the start of the description.')),
  product ? null : optionInput.element,
  product ? null : field('Initial stock (of each variant)', stock),
  h('div.actions', h('button.primary', { type: 'submit' }, product ? 'Save changes' : 'Create product'),
    product ? h('button.danger', { type: 'button', onclick: async () => {
      if (!confirm(`Delete ${product.name}? Past orders keep their copy.`)) return;
      if (await attempt(() => api.delete(`/products/${product.id}`)) !== undefined) { notice('Deleted'); go('/products'); }
    } }, 'Delete') : null));
  const ctx = { api, attempt, notice, currency, reload: () => productEditView(product.id) };
  page(product ? product.name : 'New product', form, product ? imagesCard(ctx, product) : null, product ? variantsCard(ctx, product) : null,
    product ? inventoryCard(ctx, product) : null);
}

// ---- categories ----------------------------------------------------------------------------

async function categoriesView() {
  const { categories } = await api.get('/categories');
  const name = h('input', { required: true, maxLength: 100 });
  const create = h('form.toolbar', { onsubmit: async (event) => {
    event.preventDefault();
    if (await attempt(() => api.post('/categories', { name: name.value }))) { notice('Category created'); go('/categories'); }
  } }, field('New category', name), h('button.primary', { type: 'submit' }, 'Add'));
  const rows = categories.map((c) => {
    const input = h('input', { value: c.name, 'aria-label': `Name of ${c.name}`, maxLength: 100 });
    const seoTitle = h('input', { maxLength: 120, value: c.seoTitle || '' });
    const seoDescription = h('textarea', { rows: 2, maxLength: 320, value: c.seoDescription || '' });
    const seo = h('details.seo', h('summary', 'Search engines'),
      field('Title in search results', seoTitle, 'Empty: the category name and the shop name.'),
      field('Description in search results', seoDescription),
      h('button', { type: 'button', onclick: async () => {
        if (await attempt(() => api.patch(`/categories/${c.id}`, { seoTitle: seoTitle.value, seoDescription: seoDescription.value }))) notice('Saved');
      } }, 'Save'));
    return h('tr', h('td', input, seo), h('td', c.slug),
      h('td.actions', h('button', { type: 'button', onclick: async () => {
        if (await attempt(() => api.patch(`/categories/${c.id}`, { name: input.value }))) notice('Renamed');
      } }, 'Rename'), h('button.danger', { type: 'button', onclick: async () => {
        if (!confirm(`Delete ${c.name}? Its products become uncategorised.`)) return;
        if (await attempt(() => api.delete(`/categories/${c.id}`)) !== undefined) go('/categories');
      } }, 'Delete')));
  });
  page('Categories', create, h('table', h('thead', h('tr', ['Name', 'Slug', ''].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', rows)));
}

// ---- orders --------------------------------------------------------------------------------

async function ordersView(params) {
  const filters = { status: params.get('status') || '', page: params.get('page') || 1 };
  const listing = await api.get(`/orders${query({ ...filters, limit: 20 })}`);
  const tabs = h('nav.tabs', { 'aria-label': 'Order status' }, ['', 'pending', 'paid', 'fulfilled', 'shipped', 'delivered', 'cancelled', 'refunded'].map((s) =>
    h('a', { href: `#/orders${query({ status: s })}`, 'aria-current': s === filters.status ? 'page' : null }, s || 'all')));
  const rows = listing.orders.map((o) => h('tr', h('td', h('a', { href: `#/orders/${o.id}` }, `#${o.number}`)), h('td', statusBadge(o.status)),
    h('td.num', money(o.total, o.currency)), h('td', o.items.length), h('td', dateTime(o.createdAt))));
  page('Orders', tabs, h('table', h('thead', h('tr', ['Order', 'Status', 'Total', 'Lines', 'Placed'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', rows.length ? rows : h('tr', h('td', { colSpan: 5 }, 'No orders.')))),
  pager(listing.pagination, (n) => go(`/orders${query({ ...filters, page: n })}`)));
}

async function orderView(id) {
  const order = await api.get(`/orders/${encodeURIComponent(id)}`);
  const actions = TRANSITIONS[order.status].map((action) => h(`button${action === 'refund' || action === 'cancel' ? '.danger' : '.primary'}`, {
    type: 'button', dataset: { action },
    onclick: async () => {
      if ((action === 'refund' || action === 'cancel') && !confirm(`${action} order #${order.number}?`)) return;
      const body = action === 'refund' ? { restock: true } : {};
      const updated = await attempt(() => api.post(`/orders/${order.id}/${action}`, body));
      if (updated) { notice(`Order #${order.number} is now ${updated.status}.`); go(`/orders/${order.id}`); }
    },
  }, action[0].toUpperCase() + action.slice(1)));
  page(`Order #${order.number}`,
    h('p', 'Status: ', statusBadge(order.status), ` · placed ${dateTime(order.createdAt)} · payment ${order.paymentMethod}`),
    h('div.actions', { 'aria-label': 'Allowed transitions' }, actions.length ? actions : h('span.muted', 'No further transitions.')),
    h('table', h('thead', h('tr', ['Product', 'Quantity', 'Unit price', 'Line total'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', order.items.map((i) => h('tr', h('td', lineName(i)), h('td.num', i.quantity), h('td.num', money(i.unitPrice, order.currency)), h('td.num', money(i.lineTotal, order.currency))))),
      h('tfoot', h('tr', h('th', { scope: 'row', colSpan: 3 }, 'Total'), h('td.num', money(order.total, order.currency))))),
    h('h2', 'History'), h('ol.history', order.history.map((e) => h('li', statusBadge(e.status), ` ${dateTime(e.at)}`))));
}

// ---- people --------------------------------------------------------------------------------

async function usersView(params) {
  const filters = { search: params.get('search') || '', role: params.get('role') || '', page: params.get('page') || 1 };
  const listing = await api.get(`/users${query({ ...filters, limit: 20 })}`);
  const search = h('input', { type: 'search', value: filters.search });
  const role = h('select', options([['', 'Any role'], ...ROLES.map((r) => [r, r])], filters.role));
  const filter = h('form.toolbar', { role: 'search', onsubmit: (event) => { event.preventDefault(); go(`/users${query({ search: search.value, role: role.value })}`); } },
    field('Search', search), field('Role', role), h('button', { type: 'submit' }, 'Filter'));
  const rows = listing.users.map((u) => {
    const select = h('select', { 'aria-label': `Role of ${u.email}` }, options(ROLES.map((r) => [r, r]), u.role));
    return h('tr', h('td', `${u.firstName} ${u.lastName}`), h('td', u.email), h('td', select), h('td', dateTime(u.lastLogin)),
      h('td.actions', h('button', { type: 'button', onclick: async () => {
        if (await attempt(() => api.patch(`/users/${u.id}`, { role: select.value }))) notice(`${u.email} is now ${select.value}`);
      } }, 'Save role'), h('button.danger', { type: 'button', onclick: async () => {
        if (!confirm(`Delete ${u.email}?`)) return;
        if (await attempt(() => api.delete(`/users/${u.id}`)) !== undefined) go('/users');
      } }, 'Delete')));
  });
  const inputs = { firstName: h('input', { required: true }), lastName: h('input', { required: true }), email: h('input', { type: 'email', required: true }),
    password: h('input', { type: 'password', required: true, minLength: 8, autocomplete: 'new-password' }), role: h('select', options(ROLES.map((r) => [r, r]), 'staff')) };
  const create = h('form.card', { onsubmit: async (event) => {
    event.preventDefault();
    const body = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.value]));
    if (await attempt(() => api.post('/users', body))) { notice(`Created ${body.email}`); go('/users'); }
  } }, h('h2', 'Add a person'), field('First name', inputs.firstName), field('Last name', inputs.lastName), field('Email', inputs.email),
  field('Password', inputs.password), field('Role', inputs.role), h('button.primary', { type: 'submit' }, 'Create'));
  page('Customers and staff', filter, h('table', h('thead', h('tr', ['Name', 'Email', 'Role', 'Last sign-in', ''].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', rows)),
    pager(listing.pagination, (n) => go(`/users${query({ ...filters, page: n })}`)), create);
}

// ---- audit ---------------------------------------------------------------------------------

async function auditView(params) {
  const filters = { action: params.get('action') || '', resourceType: params.get('resourceType') || '', from: params.get('from') || '', to: params.get('to') || '', page: params.get('page') || 1 };
  const listing = await api.get(`/audit-logs${query({ ...filters, limit: 25 })}`);
  const inputs = { action: h('input', { value: filters.action, placeholder: 'order.shipped' }), resourceType: h('input', { value: filters.resourceType, placeholder: 'order' }),
    from: h('input', { type: 'date', value: filters.from }), to: h('input', { type: 'date', value: filters.to }) };
  const form = h('form.toolbar', { role: 'search', onsubmit: (event) => {
    event.preventDefault();
    go(`/audit${query(Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.value])))}`);
  } }, field('Action', inputs.action), field('Resource', inputs.resourceType), field('From', inputs.from), field('To', inputs.to), h('button', { type: 'submit' }, 'Filter'));
  const rows = listing.auditLogs.map((e) => h('tr', h('td', dateTime(e.createdAt)), h('td', h('code', e.action)), h('td', `${e.resourceType} ${e.resourceId || ''}`),
    h('td', e.userId || 'system'), h('td', h('details', h('summary', 'values'), h('pre', JSON.stringify({ old: e.oldValues, new: e.newValues }, null, 2))))));
  page('Audit log', form, h('table.audit', h('thead', h('tr', ['When', 'Action', 'Resource', 'By', 'Change'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', rows.length ? rows : h('tr', h('td', { colSpan: 5 }, 'No entries.')))),
  pager(listing.pagination, (n) => go(`/audit${query({ ...filters, page: n })}`)));
}

// ---- settings ------------------------------------------------------------------------------

async function settingsView() {
  const { settings } = await api.get('/settings');
  const key = h('input', { required: true, maxLength: 100, placeholder: 'payments.stripeKey' });
  const value = h('textarea', { required: true, rows: 2, placeholder: '"text", 42, true or {"json": 1}' });
  const encrypted = h('input', { type: 'checkbox' });
  const form = h('form.card', { onsubmit: async (event) => {
    event.preventDefault();
    let parsed;
    try { parsed = JSON.parse(value.value); } catch { parsed = value.value; }
    if (await attempt(() => api.put(`/settings/${encodeURIComponent(key.value)}`, { value: parsed, encrypted: encrypted.checked }))) { notice('Saved'); go('/settings'); }
  } }, h('h2', 'Set a value'), field('Key', key), field('Value (JSON or text)', value),
  h('div.field.check', encrypted, h('label', { htmlFor: encrypted.id = 'encrypted' }, 'Encrypt (the value is never shown again)')),
  h('button.primary', { type: 'submit' }, 'Save'));
  const rows = settings.map((s) => h('tr', h('td', h('code', s.key)), h('td', s.encrypted ? h('span.masked', s.value) : h('code', JSON.stringify(s.value))),
    h('td', s.encrypted ? 'encrypted' : ''), h('td', dateTime(s.updatedAt)),
    h('td', h('button.danger', { type: 'button', onclick: async () => {
      if (!confirm(`Delete ${s.key}?`)) return;
      if (await attempt(() => api.delete(`/settings/${encodeURIComponent(s.key)}`)) !== undefined) go('/settings');
    } }, 'Delete'))));
  page('Settings', paymentsForm(settings), h('table', h('thead', h('tr', ['Key', 'Value', '', 'Updated', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', rows.length ? rows : h('tr', h('td', { colSpan: 5 }, 'No settings yet.')))), form);
}

// How the shop takes money: manual (instructions to the customer, staff mark orders paid) or
// Stripe (keys stored encrypted; an empty key field keeps the stored one).
function paymentsForm(settings) {
  const current = (key) => (settings.find((s) => s.key === key) || {}).value;
  const stored = (key) => settings.some((s) => s.key === key);
  const provider = h('select#payment-provider', options([['manual', 'Manual (bank transfer, cash on delivery)'], ['stripe', 'Stripe']], current('payments.provider') || 'manual'));
  const instructions = h('textarea#payment-instructions', { rows: 2, maxLength: 2000, value: current('payments.manual.instructions') || '' });
  const publishable = h('input#stripe-publishable-key', { placeholder: 'pk_live_…', value: current('payments.stripe.publishableKey') || '' });
  // 'new-password': browsers ignore autocomplete=off on password fields and would fill in a saved password.
  const secret = h('input#stripe-secret-key', { type: 'password', autocomplete: 'new-password', placeholder: stored('payments.stripe.secretKey') ? 'stored (leave empty to keep)' : 'sk_live_…' });
  const webhook = h('input#stripe-webhook-secret', { type: 'password', autocomplete: 'new-password', placeholder: stored('payments.stripe.webhookSecret') ? 'stored (leave empty to keep)' : 'whsec_…' });
  return h('form.card#payments-form', { onsubmit: async (event) => {
    event.preventDefault();
    const writes = [];
    if (instructions.value.trim()) writes.push(['payments.manual.instructions', instructions.value.trim(), false]);
    if (publishable.value.trim()) writes.push(['payments.stripe.publishableKey', publishable.value.trim(), false]);
    if (secret.value.trim()) writes.push(['payments.stripe.secretKey', secret.value.trim(), true]);
    if (webhook.value.trim()) writes.push(['payments.stripe.webhookSecret', webhook.value.trim(), true]);
    writes.push(['payments.provider', provider.value, false]);
    for (const [key, value, encrypted] of writes) {
      if (await attempt(() => api.put(`/settings/${encodeURIComponent(key)}`, { value, encrypted })) === undefined) return;
    }
    notice('Payment settings saved');
    go('/settings');
  } }, h('h2', 'Payments'), field('Provider', provider), field('Instructions for manual payments', instructions),
  field('Stripe publishable key', publishable), field('Stripe secret key', secret),
  field('Stripe webhook signing secret', webhook, `Stripe sends events to ${location.origin}/api/v1/payments/stripe/webhook`),
  h('button.primary', { type: 'submit', id: 'save-payments' }, 'Save payment settings'));
}

// ---- shell ---------------------------------------------------------------------------------

const ROUTES = {
  dashboard: (parts, params) => dashboardView(params),
  products: (parts, params) => (parts[1] ? productEditView(parts[1]) : productsView(params)),
  categories: () => categoriesView(),
  orders: (parts, params) => (parts[1] ? orderView(parts[1]) : ordersView(params)),
  users: (parts, params) => usersView(params),
  audit: (parts, params) => auditView(params),
  settings: () => settingsView(),
  shipping: async () => shippingView(await checkoutContext()),
  tax: async () => taxView(await checkoutContext()),
  promotions: async (parts, params) => promotionsView(await checkoutContext(), params),
  pages: (parts, params) => pagesView({ api, page, attempt, notice, go, reload: () => render() }, parts[1], params),
  mail: (parts, params) => mailView({ api, page, attempt, notice, reload: () => render(),
    may: (permission) => session.value.user.permissions.includes(permission) }, params),
  security: () => securityView({
    api, page, attempt, notice,
    reload: () => render(),
    signedOut: () => { session.clear(); go('/'); },
    may: (permission) => session.value.user.permissions.includes(permission),
    mustEnrol: () => Boolean(session.value.mustEnrol),
    enrolled: () => { session.save(session.value, { mustEnrol: false }); updateNav(); },
  }),
};

// What the shipping, tax and promotion pages need from the shell, with the shop's currency.
async function checkoutContext() {
  ({ currency } = await api.get('/shop'));
  return { api, page, attempt, notice, currency };
}

/** Shows the sections this session may open; none but Security while it must enrol. */
function updateNav() {
  const allowed = new Set(session.value.mustEnrol ? [] : session.value.user.permissions);
  for (const link of nav.querySelectorAll('a[data-permission]')) link.hidden = !allowed.has(link.dataset.permission);
  return allowed;
}

/** The screens a mailed link opens, which need no session; the shop is named in the link. */
const SIGNED_OUT_ROUTES = {
  'forgot-password': (ctx) => forgotPasswordView(ctx),
  'reset-password': (ctx, params) => resetPasswordView(ctx, params),
  'verify-email': (ctx, params) => verifyEmailView(ctx, params),
};

async function render() {
  const { parts, params } = currentRoute();
  if (SIGNED_OUT_ROUTES[parts[0]]) {
    nav.hidden = true;
    const apiFor = (shop) => new Api(new Session('emporium.scratch'), () => shop);
    return SIGNED_OUT_ROUTES[parts[0]]({ page, attempt, notice, main, apiFor }, params);
  }
  if (!session.value) return signInView();
  nav.hidden = false;
  document.getElementById('who').textContent = `${session.value.user.email} · ${session.value.tenant}`;
  for (const link of nav.querySelectorAll('a[data-route]')) link.setAttribute('aria-current', link.dataset.route === (parts[0] || 'dashboard') ? 'page' : 'false');
  const allowed = updateNav();
  // Until a required second factor is set up, the session can do nothing else.
  const view = session.value.mustEnrol ? ROUTES.security : ROUTES[parts[0]] || (allowed.has('analytics:read') ? ROUTES.dashboard : ROUTES.orders);
  main.setAttribute('aria-busy', 'true');
  try {
    await view(parts, params);
  } catch (error) {
    showError(error);
    if (!main.querySelector('h1')) page('Something went wrong');
  } finally {
    main.setAttribute('aria-busy', 'false');
  }
}

document.getElementById('sign-out').addEventListener('click', async () => {
  await api.signOut();
  go('/');
});
session.onChange = () => { if (!session.value) render(); };
window.addEventListener('hashchange', () => { feedback.navigated(); render(); });
render();
