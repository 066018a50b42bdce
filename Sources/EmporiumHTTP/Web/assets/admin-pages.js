// The admin panel's "Pages" page: the shop's own pages (about, shipping and returns, privacy,
// terms, contact) written in Markdown (opened in the shop to see them drawn), and the shop's
// face — the description under its name and the accent colour of buttons and links.
import { field, h } from './dom.js';

const SUGGESTED = [['about', 'About us'], ['shipping-and-returns', 'Shipping & returns'], ['privacy', 'Privacy'], ['terms', 'Terms'], ['contact', 'Contact']];

function faceCard(ctx, settings) {
  const current = (key) => (settings.find((s) => s.key === key) || {}).value || '';
  const description = h('textarea#shop-description', { rows: 2, maxLength: 300, value: current('shop.description') });
  const accent = h('input#shop-accent', { type: 'color', value: current('shop.accentColor') || '#1f5fbf' });
  return h('form.card#face-form', { onsubmit: async (event) => {
    event.preventDefault();
    const writes = [['shop.accentColor', accent.value]];
    if (description.value.trim()) writes.push(['shop.description', description.value.trim()]);
    for (const [key, value] of writes) {
      if (await ctx.attempt(() => ctx.api.put(`/settings/${encodeURIComponent(key)}`, { value })) === undefined) return;
    }
    if (!description.value.trim() && current('shop.description')) {
      if (await ctx.attempt(() => ctx.api.delete('/settings/shop.description')) === undefined) return;
    }
    ctx.notice('The shop\'s face is saved');
    ctx.reload();
  } }, h('h2', 'The shop\'s face'),
  field('Description', description, 'Under the shop\'s name on the home page, and what search engines show for it.'),
  field('Accent colour', accent, 'Buttons, links and the tab icon. Text on it is black or white, whichever reads.'),
  h('button.primary', { type: 'submit' }, 'Save'));
}

function editor(ctx, page) {
  const slug = h('input#page-slug', { required: true, maxLength: 60, pattern: '[a-z0-9]+(-[a-z0-9]+)*', value: page?.slug || '' });
  if (page) slug.readOnly = true;
  const title = h('input#page-title', { required: true, maxLength: 120, value: page?.title || '' });
  const position = h('input#page-position', { type: 'number', min: 0, max: 1000, step: 1, value: page?.position ?? 0 });
  const body = h('textarea#page-body', { rows: 14, maxLength: 50000, value: page?.body || '' });
  return h('div', h('form.card#page-form', { onsubmit: async (event) => {
    event.preventDefault();
    const saved = await ctx.attempt(() => ctx.api.put(`/pages/${encodeURIComponent(slug.value)}`,
      { title: title.value, body: body.value, position: Number(position.value) }));
    if (saved) { ctx.notice(`Saved ${saved.title}: /pages/${saved.slug}`); ctx.go(`/pages/${saved.slug}`); }
  } }, h('h2', page ? `Edit “${page.title}”` : 'New page'),
  field('Address', slug, 'The page is /pages/<address>: lower-case letters, digits and hyphens.'),
  field('Title', title), field('Footer order', position, 'Lowest first.'),
  field('Text (Markdown)', body, '# Heading, **bold**, *italic*, - lists, [links](https://…). HTML is shown as text.'),
  h('div.actions', h('button.primary', { type: 'submit' }, 'Save page'),
    page ? h('a.button', { href: `/pages/${page.slug}`, target: '_blank', rel: 'noopener' }, 'Open in the shop') : null,
    page ? h('button.danger', { type: 'button', onclick: async () => {
      if (!confirm(`Delete ${page.title}? Its address stops answering.`)) return;
      if (await ctx.attempt(() => ctx.api.delete(`/pages/${page.slug}`)) !== undefined) { ctx.notice('Deleted'); ctx.go('/pages'); }
    } }, 'Delete') : null)));
}

export async function pagesView(ctx, slug, params) {
  const [{ pages }, { settings }] = await Promise.all([ctx.api.get('/pages'), ctx.api.get('/settings')]);
  const rows = pages.map((p) => h('tr', h('td', h('a', { href: `#/pages/${p.slug}` }, p.title)), h('td', h('code', `/pages/${p.slug}`)), h('td.num', String(p.position))));
  const missing = SUGGESTED.filter(([s]) => !pages.some((p) => p.slug === s));
  const start = missing.length ? h('p', 'Start one: ', missing.map(([s, t], i) => [i ? ', ' : '', h('a', { href: `#/pages/new?slug=${s}&title=${encodeURIComponent(t)}` }, t)])) : null;
  const list = h('section.card', { 'aria-label': 'Pages' }, h('h2', 'Pages in the footer'),
    h('table', h('thead', h('tr', ['Title', 'Address', 'Order'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', rows.length ? rows : h('tr', h('td', { colSpan: 3 }, 'No pages yet.')))),
    start, h('a.button#new-page', { href: '#/pages/new' }, 'New page'));
  let edited = null;
  if (slug === 'new') {
    edited = editor(ctx, null);
    edited.querySelector('#page-slug').value = params.get('slug') || '';
    edited.querySelector('#page-title').value = params.get('title') || '';
  } else if (slug) {
    edited = editor(ctx, await ctx.api.get(`/pages/${encodeURIComponent(slug)}`));
  }
  ctx.page('Pages', edited, list, faceCard(ctx, settings));
}
