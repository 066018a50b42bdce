// The storefront: browse, search and filter, product page, cart, checkout, sign in/up, my orders.
// The shop is the one the host names (or DEFAULT_TENANT); everything goes through the public API.
import { Api, Session, query } from './api.js';
import { Feedback } from './feedback.js';
import { currentRoute, dateTime, field, go, h, lineName, money, mount, options, pager, picture, statusBadge } from './dom.js';

const session = new Session('emporium.shop');
const api = new Api(session);
const main = document.getElementById('main');
const banner = document.getElementById('banner');
let shop = { name: 'Shop', currency: 'USD' };

const feedback = new Feedback(banner);
const showError = (error) => feedback.error(error);
const notice = (text) => feedback.notice(text);
const attempt = (action) => feedback.attempt(action);

function page(title, ...content) {
  document.title = `${title} · ${shop.name}`;
  mount(main, h('h1', { tabIndex: -1 }, title), ...content);
}

function requireSignIn(returnTo) {
  sessionStorage.setItem('emporium.shop.return', returnTo);
  notice('Please sign in first.');
  go('/signin');
}

async function refreshHeader() {
  const account = document.getElementById('account');
  const signedIn = Boolean(session.value);
  mount(account, signedIn
    ? [h('a', { href: '#/orders' }, 'My orders'), h('a', { href: '#/account' }, 'Account'), h('button.link', { type: 'button', id: 'sign-out', onclick: signOut }, `Sign out (${session.value.user.firstName})`)]
    : [h('a', { href: '#/signin' }, 'Sign in'), h('a', { href: '#/signup' }, 'Create account')]);
  const count = document.getElementById('cart-count');
  count.textContent = '0';
  if (signedIn) {
    const cart = await api.get('/cart').catch(() => null);
    count.textContent = String(cart ? cart.items.reduce((sum, item) => sum + item.quantity, 0) : 0);
  }
}

async function signOut() {
  await api.signOut();
  go('/');
}

// ---- catalog -------------------------------------------------------------------------------

function productCard(product) {
  const uploaded = product.media?.[0];
  const image = product.images?.[0];
  return h('article.product-card',
    uploaded ? picture(uploaded, 480, '(max-width: 600px) 50vw, 260px', { alt: '', loading: 'lazy' })
      : image ? h('img', { src: image, alt: '', loading: 'lazy' }) : h('div.placeholder', { 'aria-hidden': 'true' }, product.name[0]),
    h('h2', h('a', { href: `#/product/${encodeURIComponent(product.slug || product.id)}` }, product.name)),
    h('p.price', fromPrice(product)),
    h('p.muted', product.inventory.available > 0 ? `${product.inventory.available} in stock` : 'Sold out'));
}

/// "From 20.00" when the variants differ in price.
function fromPrice(product) {
  const prices = new Set((product.variants || []).map((v) => v.price));
  return prices.size > 1 ? `From ${money(product.price, product.currency)}` : money(product.price, product.currency);
}

async function catalogView(params) {
  const filters = { search: params.get('search') || '', category: params.get('category') || '', minPrice: params.get('minPrice') || '',
    maxPrice: params.get('maxPrice') || '', sort: params.get('sort') || '', page: params.get('page') || 1 };
  const listing = await api.get(`/products${query({ ...filters, limit: 12 })}`);
  const { categories } = await api.get('/categories');
  const minPrice = h('input', { type: 'number', min: 0, step: '0.01', value: filters.minPrice, name: 'minPrice' });
  const maxPrice = h('input', { type: 'number', min: 0, step: '0.01', value: filters.maxPrice, name: 'maxPrice' });
  const sort = h('select', { name: 'sort' }, options([['', 'Relevance'], ['price', 'Price: low to high'], ['-price', 'Price: high to low'], ['name', 'Name'], ['-createdAt', 'Newest'], ['popularity', 'Popular']], filters.sort));
  const filterForm = h('form.filters', { 'aria-label': 'Filter products', onsubmit: (event) => {
    event.preventDefault();
    go(`/${query({ search: filters.search, category: filters.category, minPrice: minPrice.value, maxPrice: maxPrice.value, sort: sort.value })}`);
  } }, field('Min price', minPrice), field('Max price', maxPrice), field('Sort by', sort), h('button', { type: 'submit' }, 'Apply'));
  const sidebar = h('aside.categories', { 'aria-label': 'Categories' }, h('h2', 'Categories'), h('ul',
    h('li', h('a', { href: `#/${query({ search: filters.search })}`, 'aria-current': filters.category ? null : 'page' }, 'All products')),
    categories.map((c) => h('li', h('a', { href: `#/${query({ category: c.slug, search: filters.search })}`, 'aria-current': filters.category === c.slug ? 'page' : null }, c.name)))),
  filterForm);
  const title = filters.search ? `Results for “${filters.search}”` : (categories.find((c) => c.slug === filters.category)?.name || 'All products');
  page(title, h('div.shop-layout', sidebar, h('section', { 'aria-label': 'Products' },
    h('p.muted', `${listing.pagination.total} products`),
    listing.products.length ? h('div.grid', listing.products.map(productCard)) : h('p', 'No products match these filters.'),
    pager(listing.pagination, (n) => go(`/${query({ ...filters, page: n })}`)))));
}

async function productView(reference) {
  const product = await api.get(`/products/${encodeURIComponent(reference)}`);
  const variants = product.variants || [];
  // One select per option; the chosen values name the variant whose price, SKU and stock show.
  const pickers = (product.options || []).map((option, index) => h('select', { name: `option-${index}`, 'aria-label': option.name, onchange: () => show() },
    options(option.values.map((value) => [value, value]), variants.find((v) => v.inventory.available > 0)?.options[index]?.value ?? option.values[0])));
  const chosen = () => variants.find((v) => v.options.every((o, index) => pickers[index]?.value === o.value));
  const price = h('p.price.large');
  const facts = h('p.muted#variant-facts');
  const quantity = h('input', { type: 'number', min: 1, value: 1, name: 'quantity' });
  const submit = h('button.primary', { type: 'submit' });
  function show() {
    const variant = chosen();
    const available = variant ? variant.inventory.available : 0;
    price.textContent = money(variant ? variant.price : product.price, product.currency);
    facts.textContent = variant ? `SKU ${variant.sku} · ${available} available` : 'This combination is not sold';
    quantity.max = String(Math.max(1, Math.min(999, available)));
    submit.disabled = available < 1;
    submit.textContent = available < 1 ? (variant ? 'Sold out' : 'Not available') : 'Add to cart';
  }
  const add = h('form.buy', { onsubmit: async (event) => {
    event.preventDefault();
    if (!session.value) return requireSignIn(`/product/${reference}`);
    const variant = chosen();
    if (!variant) return;
    const cart = await attempt(() => api.post('/cart/items', { productId: product.id, variantId: variant.id, quantity: Number(quantity.value) }));
    if (cart) { notice(`Added ${quantity.value} × ${lineName({ name: product.name, options: variant.options })} to your cart.`); refreshHeader(); }
  } }, pickers.map((picker, index) => field(product.options[index].name, picker)), field('Quantity', quantity), submit);
  show();
  page(product.name,
    h('p.breadcrumbs', h('a', { href: '#/' }, 'Shop'), product.category ? [' › ', h('a', { href: `#/${query({ category: product.category.id })}` }, product.category.name)] : null),
    h('div.product-detail', gallery(product), h('div', price, h('p', product.description || ''), facts, add)));
}

/// The product's uploaded pictures: the first large, the others as thumbnails that take its place.
function gallery(product) {
  const media = product.media || [];
  if (!media.length) {
    return product.images?.[0] ? h('img', { src: product.images[0], alt: product.name }) : h('div.placeholder.large', { 'aria-hidden': 'true' }, product.name[0]);
  }
  const sizes = '(max-width: 760px) 100vw, 50vw';
  const main = h('div.gallery-main', picture(media[0], 1024, sizes, { alt: media[0].alt || product.name }));
  const thumbnails = media.length > 1 ? h('ul.gallery-thumbnails', media.map((image, index) => h('li',
    h('button', { type: 'button', 'aria-label': `Show picture ${index + 1}`, onclick: () => mount(main, picture(image, 1024, sizes, { alt: image.alt || product.name })) },
      picture(image, 160, '80px', { alt: '', loading: 'lazy' }))))) : null;
  return h('div.gallery', main, thumbnails);
}

// ---- cart and checkout ---------------------------------------------------------------------

async function cartView() {
  if (!session.value) return requireSignIn('/cart');
  const cart = await api.get('/cart');
  if (!cart.items.length) return page('Your cart', h('p', 'Your cart is empty. ', h('a', { href: '#/' }, 'Browse the shop')));
  const rows = cart.items.map((item) => {
    const quantity = h('input', { type: 'number', min: 1, max: 999, value: item.quantity, 'aria-label': `Quantity of ${lineName(item)}` });
    const line = item.variantId || item.productId;
    return h('tr', h('td', h('a', { href: `#/product/${item.productId}` }, lineName(item))), h('td.num', money(item.unitPrice, cart.currency)),
      h('td', quantity, h('button', { type: 'button', onclick: async () => {
        if (await attempt(() => api.patch(`/cart/items/${line}`, { quantity: Number(quantity.value) }))) { refreshHeader(); go('/cart'); }
      } }, 'Update')), h('td.num', money(item.lineTotal, cart.currency)),
      h('td', h('button.link', { type: 'button', onclick: async () => {
        if (await attempt(() => api.delete(`/cart/items/${line}`)) !== undefined) { refreshHeader(); go('/cart'); }
      } }, 'Remove')));
  });
  // Exactly the ways to pay the shop has set up (GET /shop): never "Card" without a card provider.
  const methods = shop.paymentMethods?.length ? shop.paymentMethods : [{ id: 'bank_transfer', label: 'Bank transfer', instructions: null }];
  const payment = h('select', { name: 'paymentMethod', id: 'payment-method' }, options(methods.map((m) => [m.id, m.label]), methods[0].id));
  const paymentNote = h('p.hint#checkout-payment-note');
  const showInstructions = () => { paymentNote.textContent = methods.find((m) => m.id === payment.value)?.instructions || ''; };
  payment.addEventListener('change', showInstructions);
  showInstructions();
  // One key per checkout attempt: a double click or a retry after a timeout never orders twice.
  const idempotencyKey = crypto.randomUUID();
  // Address → shipping method → coupon → payment: every change asks the server for a quote, so the
  // total shown is the one the order will charge (the same price rules run for both).
  const address = {
    name: h('input', { autocomplete: 'name', name: 'name' }), line1: h('input', { autocomplete: 'address-line1', name: 'line1' }),
    line2: h('input', { autocomplete: 'address-line2', name: 'line2' }), postalCode: h('input', { autocomplete: 'postal-code', name: 'postalCode' }),
    city: h('input', { autocomplete: 'address-level2', name: 'city' }), region: h('input', { autocomplete: 'address-level1', name: 'region' }),
    country: h('input', { autocomplete: 'country', name: 'country', maxLength: 2, placeholder: 'DE' }),
  };
  const shipping = h('select', { name: 'shippingMethod', id: 'shipping-method' });
  const coupon = h('input', { name: 'couponCode', id: 'coupon-code', autocomplete: 'off' });
  const totals = h('dl.totals#checkout-totals');
  // The total last shown: the order is refused (409 PRICE_CHANGED) if it would charge anything else.
  let quotedTotal;
  const choices = () => {
    const filled = Object.fromEntries(Object.entries(address).map(([k, v]) => [k, v.value.trim()]).filter(([, v]) => v));
    const body = {};
    if (filled.name || filled.line1 || filled.city || filled.country) body.shippingAddress = filled;
    if (shipping.value) body.shippingMethodId = shipping.value;
    if (coupon.value.trim()) body.couponCode = coupon.value.trim();
    return body;
  };
  const complete = () => ['name', 'line1', 'city', 'country'].every((k) => address[k].value.trim());
  async function quote() {
    const body = choices();
    if (body.shippingAddress && !complete()) {
      delete body.shippingAddress;
      delete body.shippingMethodId;
    }
    const answer = await attempt(() => api.post('/checkout/quote', body));
    if (!answer) return;
    const chosen = answer.shippingMethod ? answer.shippingMethod.id : shipping.value;
    mount(shipping, h('option', { value: '' }, answer.shippingOptions.length ? 'Choose a shipping method' : 'Enter your address first'),
      ...answer.shippingOptions.map((o) => h('option', { value: o.id, selected: o.id === chosen }, `${o.name} — ${money(o.price, answer.currency)}`)));
    const t = answer.totals;
    quotedTotal = t.total;
    const row = (label, value, id) => [h('dt', label), h(id ? `dd#${id}` : 'dd', value)];
    mount(totals, ...row('Subtotal', money(t.subtotal, answer.currency)),
      ...answer.discounts.flatMap((d) => row(`Discount ${d.code || d.name}`, `−${money(d.amount, answer.currency)}`)),
      ...row('Shipping', money(t.shipping, answer.currency), 'cart-shipping'),
      ...answer.taxLines.flatMap((l) => row(`${l.name} ${l.rate} %${t.pricesIncludeTax ? ' (included)' : ''}`, money(l.amount, answer.currency), 'cart-tax')),
      ...row('Total', h('strong#cart-total', money(t.total, answer.currency))));
  }
  for (const input of Object.values(address)) input.addEventListener('change', quote);
  shipping.addEventListener('change', quote);
  const checkout = h('form.card.checkout', { onsubmit: async (event) => {
    event.preventDefault();
    event.submitter.disabled = true;
    const order = await attempt(async () => {
      try {
        return await api.post('/orders', { paymentMethod: payment.value, ...choices(), expectedTotal: quotedTotal }, { 'Idempotency-Key': idempotencyKey });
      } catch (error) {
        // A price changed since the quote: show the new total, then the message; nothing was ordered.
        if (error.code === 'PRICE_CHANGED') await quote();
        throw error;
      }
    });
    event.submitter.disabled = false;
    if (order) { refreshHeader(); go(`/orders/${order.id}?placed=1`); }
  } }, h('h2', 'Checkout'),
  h('fieldset', h('legend', 'Shipping address'), field('Full name', address.name), field('Address', address.line1), field('Address line 2', address.line2),
    field('Postal code', address.postalCode), field('City', address.city), field('State or region', address.region),
    field('Country', address.country, 'Two-letter code, e.g. US, DE, GB')),
  field('Shipping method', shipping),
  field('Coupon code', coupon), h('button', { type: 'button', id: 'apply-coupon', onclick: quote }, 'Apply coupon'),
  totals, field('Payment', payment), paymentNote,
  h('button.primary', { type: 'submit', id: 'place-order' }, 'Place order'));
  page('Your cart', h('table', h('thead', h('tr', ['Product', 'Price', 'Quantity', 'Total', ''].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', rows)), checkout);
  await quote();
}

// ---- accounts ------------------------------------------------------------------------------

function afterSignIn(answer) {
  session.save(answer);
  const back = sessionStorage.getItem('emporium.shop.return') || '/';
  sessionStorage.removeItem('emporium.shop.return');
  refreshHeader();
  go(back);
}

function signInView() {
  const email = h('input', { type: 'email', required: true, autocomplete: 'username', name: 'email' });
  const password = h('input', { type: 'password', required: true, autocomplete: 'current-password', name: 'password' });
  page('Sign in', h('form.card.narrow', { onsubmit: async (event) => {
    event.preventDefault();
    const answer = await attempt(() => api.post('/auth/login', { email: email.value, password: password.value }));
    if (answer) afterSignIn(answer);
  } }, field('Email', email), field('Password', password), h('button.primary', { type: 'submit' }, 'Sign in'),
  h('p', h('a', { href: '#/forgot-password' }, 'Forgot your password?')),
  h('p', 'New here? ', h('a', { href: '#/signup' }, 'Create an account'))));
}

// The mailed links land here: /#/reset-password?token=…, /#/verify-email?token=…
function forgotPasswordView() {
  const email = h('input', { type: 'email', required: true, autocomplete: 'email', name: 'email' });
  page('Forgot your password?', h('form.card.narrow', { onsubmit: async (event) => {
    event.preventDefault();
    const answer = await attempt(() => api.post('/auth/password-reset', { email: email.value }));
    if (answer) mount(main, h('h1', { tabIndex: -1 }, 'Check your mail'), h('p.banner.ok#reset-sent', { role: 'status' }, answer.message));
  } }, h('p', 'Enter the address of your account: we mail you a link to choose a new password.'),
  field('Email', email), h('button.primary', { type: 'submit' }, 'Send the link')));
}

function resetPasswordView(params) {
  const password = h('input', { type: 'password', required: true, minLength: 8, autocomplete: 'new-password', name: 'newPassword' });
  page('Choose a new password', h('form.card.narrow', { onsubmit: async (event) => {
    event.preventDefault();
    const answer = await attempt(() => api.post('/auth/password-reset/confirm', { token: params.get('token') || '', newPassword: password.value }));
    if (answer) {
      session.clear();
      notice('Your password was changed and every session signed out. Sign in with the new one.');
      go('/signin');
    }
  } }, field('New password', password, 'At least 8 characters'), h('button.primary', { type: 'submit' }, 'Set the password')));
}

async function verifyEmailView(params) {
  page('Confirming your address', h('p', 'One moment…'));
  const user = await attempt(() => api.post('/auth/verify-email', { token: params.get('token') || '' }));
  if (user) page('Address confirmed', h('p.banner.ok#email-verified', { role: 'status' }, `Thank you: ${user.email} is confirmed.`), h('p', h('a', { href: '#/' }, 'Back to the shop')));
  else page('This link did not work', h('p', 'It may have expired or been used already. Sign in and ask for a new one on your account page.'));
}

async function accountView() {
  if (!session.value) return requireSignIn('/account');
  const me = await api.get('/auth/me');
  const current = h('input', { type: 'password', required: true, autocomplete: 'current-password', name: 'currentPassword' });
  const next = h('input', { type: 'password', required: true, minLength: 8, autocomplete: 'new-password', name: 'newPassword' });
  page('Your account',
    h('p', `Signed in as ${me.email}. `, me.emailVerified ? h('span#email-state', 'Your address is confirmed.')
      : h('span#email-state', 'Your address is not confirmed yet. ', h('button.link#resend-verification', { type: 'button', onclick: async () => {
        if (await attempt(() => api.post('/auth/verify-email/resend'))) notice(`A new link is on its way to ${me.email}.`);
      } }, 'Send the link again'))),
    h('form.card.narrow', { 'aria-label': 'Change password', onsubmit: async (event) => {
      event.preventDefault();
      if (await attempt(() => api.post('/auth/password', { currentPassword: current.value, newPassword: next.value }))) {
        session.clear();
        notice('Your password was changed and every session signed out. Sign in with the new one.');
        go('/signin');
      }
    } }, h('h2', 'Change password'), field('Current password', current), field('New password', next, 'At least 8 characters'),
    h('button.primary', { type: 'submit' }, 'Change password')));
}

function signUpView() {
  const inputs = { firstName: h('input', { required: true, autocomplete: 'given-name' }), lastName: h('input', { required: true, autocomplete: 'family-name' }),
    email: h('input', { type: 'email', required: true, autocomplete: 'email' }), password: h('input', { type: 'password', required: true, minLength: 8, autocomplete: 'new-password' }) };
  page('Create an account', h('form.card.narrow', { onsubmit: async (event) => {
    event.preventDefault();
    const answer = await attempt(() => api.post('/auth/register', Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.value]))));
    if (answer) afterSignIn(answer);
  } }, field('First name', inputs.firstName), field('Last name', inputs.lastName), field('Email', inputs.email),
  field('Password', inputs.password, 'At least 8 characters'), h('button.primary', { type: 'submit' }, 'Create account')));
}

async function ordersView(params) {
  if (!session.value) return requireSignIn('/orders');
  const listing = await api.get(`/orders${query({ page: params.get('page') || 1, limit: 10 })}`);
  page('My orders', listing.orders.length
    ? h('table', h('thead', h('tr', ['Order', 'Placed', 'Status', 'Total'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', listing.orders.map((o) => h('tr', h('td', h('a', { href: `#/orders/${o.id}` }, `#${o.number}`)), h('td', dateTime(o.createdAt)),
        h('td', statusBadge(o.status)), h('td.num', money(o.total, o.currency))))))
    : h('p', 'No orders yet.'),
  pager(listing.pagination, (n) => go(`/orders?page=${n}`)));
}

async function orderView(id, params) {
  if (!session.value) return requireSignIn(`/orders/${id}`);
  const order = await api.get(`/orders/${encodeURIComponent(id)}`);
  page(`Order #${order.number}`,
    params.get('placed') ? h('p.banner.ok', { role: 'status' }, 'Thank you! Your order has been placed.') : null,
    h('p', 'Status: ', statusBadge(order.status), ` · placed ${dateTime(order.createdAt)}`),
    h('table', h('thead', h('tr', ['Product', 'Quantity', 'Price', 'Total'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', order.items.map((i) => h('tr', h('td', lineName(i)), h('td.num', i.quantity), h('td.num', money(i.unitPrice, order.currency)), h('td.num', money(i.lineTotal, order.currency))))),
      h('tfoot', ...[['Discount', order.totals.discount ? `−${money(order.totals.discount, order.currency)}` : null],
        [order.shippingMethod ? `Shipping: ${order.shippingMethod.name}` : null, money(order.totals.shipping, order.currency)],
        [order.totals.tax ? `Tax${order.totals.pricesIncludeTax ? ' (included)' : ''}` : null, money(order.totals.tax, order.currency)]]
        .filter(([label, value]) => label && value).map(([label, value]) => h('tr', h('th', { scope: 'row', colSpan: 3 }, label), h('td.num', value))),
      h('tr', h('th', { scope: 'row', colSpan: 3 }, 'Total'), h('td.num#order-total', money(order.total, order.currency))))),
    order.shippingAddress ? h('p', 'Ships to: ', [order.shippingAddress.name, order.shippingAddress.line1, order.shippingAddress.city, order.shippingAddress.country].join(', ')) : null,
    order.invoiceNumber ? h('p#invoice-number', `Invoice ${order.invoiceNumber}`) : null,
    order.status === 'pending' ? paymentSection(order, params) : null,
    order.status === 'pending' ? h('button.danger', { type: 'button', onclick: async () => {
      if (!confirm('Cancel this order?')) return;
      if (await attempt(() => api.post(`/orders/${order.id}/cancel`))) go(`/orders/${order.id}`);
    } }, 'Cancel order') : null,
    h('p', h('a', { href: '#/orders' }, '← All my orders')));
}

// The last step of checkout: the shop's provider says how to pay. Manual shops show their
// instructions; Stripe shops mount Stripe's Payment Element (card details never touch our page's
// code) and the order turns paid when Stripe's signed webhook reaches the server.
function paymentSection(order, params) {
  const result = h('div#payment-result');
  const section = h('section.card#payment', h('h2', 'Payment'), result);
  if (params.get('paying')) {
    mount(result, h('p.banner.ok', { role: 'status' }, 'Thank you! Your payment is being confirmed; this page shows "paid" once it is.'));
    return section;
  }
  (async () => {
    const payment = await attempt(() => api.post(`/orders/${order.id}/payment`));
    if (!payment) return;
    if (payment.provider === 'manual') {
      mount(result, h('p#payment-instructions', payment.instructions), h('p', `Amount due: ${money(payment.amount, payment.currency)}`));
      return;
    }
    try {
      const Stripe = await loadStripe();
      const stripe = Stripe(payment.publishableKey);
      const elements = stripe.elements({ clientSecret: payment.clientSecret });
      const holder = h('div#stripe-payment-element');
      const message = h('p.error', { role: 'alert' });
      const pay = h('button.primary#pay-now', { type: 'button', onclick: async () => {
        pay.disabled = true;
        const back = `${location.origin}${location.pathname}#/orders/${order.id}?paying=1`;
        const { error } = await stripe.confirmPayment({ elements, confirmParams: { return_url: back } });
        pay.disabled = false;
        if (error) message.textContent = error.message;
      } }, `Pay ${money(payment.amount, payment.currency)}`);
      mount(result, holder, message, pay);
      elements.create('payment').mount(holder);
    } catch (error) {
      mount(result, h('p.error', { role: 'alert' }, 'Card payments are not available right now; please try again later.'));
    }
  })();
  return section;
}

function loadStripe() {
  if (window.Stripe) return Promise.resolve(window.Stripe);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = 'https://js.stripe.com/v3/';
    script.onload = () => resolve(window.Stripe);
    script.onerror = () => reject(new Error('Stripe.js could not be loaded'));
    document.head.append(script);
  });
}

// ---- shell ---------------------------------------------------------------------------------

async function render() {
  const { parts, params } = currentRoute();
  main.setAttribute('aria-busy', 'true');
  try {
    switch (parts[0]) {
      case 'product': await productView(parts[1]); break;
      case 'cart': await cartView(); break;
      case 'signin': signInView(); break;
      case 'signup': signUpView(); break;
      case 'forgot-password': forgotPasswordView(); break;
      case 'reset-password': resetPasswordView(params); break;
      case 'verify-email': await verifyEmailView(params); break;
      case 'account': await accountView(); break;
      case 'orders': await (parts[1] ? orderView(parts[1], params) : ordersView(params)); break;
      default: await catalogView(params);
    }
  } catch (error) {
    showError(error);
    if (!main.querySelector('h1')) page('Something went wrong', h('p', h('a', { href: '#/' }, 'Back to the shop')));
  } finally {
    main.setAttribute('aria-busy', 'false');
  }
}

document.getElementById('search').addEventListener('submit', (event) => {
  event.preventDefault();
  go(`/${query({ search: event.target.elements.search.value })}`);
});
window.addEventListener('hashchange', () => { feedback.navigated(); render(); });
session.onChange = () => refreshHeader();

(async () => {
  try {
    shop = await api.get('/shop');
    document.getElementById('shop-name').textContent = shop.name;
  } catch (error) {
    showError(error);
  }
  refreshHeader();
  render();
})();
