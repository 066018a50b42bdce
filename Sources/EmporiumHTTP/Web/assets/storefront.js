// The server-rendered storefront pages, enhanced: the old `#/…` links of the single-page shop move
// to their real addresses, the product page's option selects show the chosen variant's price and
// stock, and "Add to cart" adds without leaving the page. Everything here is optional: the pages
// read, browse, filter and page with JavaScript off.
import { Api, Session } from './api.js';
import { Feedback } from './feedback.js';
import { h, mount } from './dom.js';

const session = new Session('emporium.shop');
const api = new Api(session);
const banner = document.getElementById('banner');
const feedback = new Feedback(banner);

/// `#/product/tee` → `/products/tee`, `#/?search=x` → `/search?q=x`, `#/?category=c` →
/// `/categories/c`; the shop's other screens (cart, sign-in, orders, links from mails) live on in
/// the single-page shop at `/shop`.
function movedAddress(hash) {
  if (!hash.startsWith('#/')) return null;
  const [path, search = ''] = hash.slice(1).split('?');
  const params = new URLSearchParams(search);
  if (path.startsWith('/product/')) return `/products/${path.slice('/product/'.length)}`;
  if (path === '/' || path === '') {
    if (params.get('category')) return `/categories/${encodeURIComponent(params.get('category'))}`;
    if (params.get('search')) return `/search?q=${encodeURIComponent(params.get('search'))}`;
    return search ? '/search' : null;
  }
  return `/shop${hash}`;
}

const moved = movedAddress(location.hash);
if (moved) location.replace(moved);
// An old link followed from a page already open here changes only the hash: move then too.
window.addEventListener('hashchange', () => {
  const target = movedAddress(location.hash);
  if (target) location.replace(target);
});

async function refreshHeader() {
  const account = document.getElementById('account');
  const count = document.getElementById('cart-count');
  if (!session.value || !account || !count) return;
  mount(account, h('a', { href: '/shop#/orders' }, 'My orders'), h('a', { href: '/shop#/account' }, 'Account'),
    h('button.link#sign-out', { type: 'button', onclick: async () => { await api.signOut(); location.reload(); } },
      `Sign out (${session.value.user.firstName})`));
  const cart = await api.get('/cart').catch(() => null);
  if (cart) count.textContent = String(cart.items.reduce((sum, item) => sum + item.quantity, 0));
}

function enhanceProductPage() {
  const form = document.getElementById('buy');
  const data = document.getElementById('variants');
  if (!form || !data) return;
  const variants = JSON.parse(data.textContent);
  const selects = [...form.querySelectorAll('select[data-option]')];
  const price = document.getElementById('price');
  const facts = document.getElementById('variant-facts');
  const quantity = form.querySelector('input[name="quantity"]');
  const submit = form.querySelector('button[type="submit"]');
  const chosen = () => variants.find((v) => v.options.every((value, index) => selects[index]?.value === value));
  function show() {
    const variant = chosen();
    const available = variant ? variant.available : 0;
    if (variant) price.textContent = variant.price;
    facts.textContent = variant ? `SKU ${variant.sku} · ${available} available` : 'This combination is not sold';
    quantity.max = String(Math.max(1, Math.min(999, available)));
    submit.disabled = available < 1;
    submit.textContent = available < 1 ? (variant ? 'Sold out' : 'Not available') : 'Add to cart';
  }
  selects.forEach((select) => select.addEventListener('change', show));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const slug = location.pathname.split('/').pop();
    if (!session.value) {
      sessionStorage.setItem('emporium.shop.return', `/product/${slug}`);
      location.assign('/shop#/signin');
      return;
    }
    const variant = chosen();
    if (!variant) return;
    const answer = await feedback.attempt(() => api.post('/cart/items', { productId: form.dataset.product, variantId: variant.id, quantity: Number(quantity.value) }));
    if (answer) {
      const name = document.querySelector('main h1').textContent;
      feedback.notice(`Added ${quantity.value} × ${variant.options.length ? `${name} — ${variant.options.join(' / ')}` : name} to your cart.`);
      refreshHeader();
    }
  });
  show();
}

/// A thumbnail shows its picture in the main place instead of opening it alone.
function enhanceGallery() {
  const main = document.querySelector('.gallery-main img');
  if (!main) return;
  for (const link of document.querySelectorAll('.gallery-thumbnails a')) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      const thumbnail = link.querySelector('img');
      main.removeAttribute('srcset');
      main.src = link.href;
      main.alt = thumbnail.alt;
    });
  }
}

/// On a phone the categories and filters fold behind their summary unless a filter is in use.
function foldFilters() {
  const fold = document.querySelector('details.filters-fold');
  if (fold && !('filtering' in fold.dataset) && window.matchMedia('(max-width: 720px)').matches) fold.open = false;
}

if (!moved) {
  foldFilters();
  enhanceProductPage();
  enhanceGallery();
  refreshHeader();
}
