// The admin panel's picture editor on a product's page: upload JPEG, PNG or WebP files (the server
// sniffs, measures and resizes them; its refusals show as they are), describe each for screen
// readers, move one to the front, remove one.
import { field, h, picture } from './dom.js';

export function imagesCard(ctx, product) {
  const files = h('input', { type: 'file', name: 'images', multiple: true, accept: 'image/jpeg,image/png,image/webp' });
  const alt = h('input', { name: 'image-alt', maxLength: 250, placeholder: 'e.g. Blue teapot from the side' });
  const upload = h('form.toolbar', { 'aria-label': 'Upload pictures', onsubmit: async (event) => {
    event.preventDefault();
    const chosen = [...files.files];
    if (!chosen.length) return;
    let added = 0;
    for (const file of chosen) {
      const path = `/products/${product.id}/images${alt.value.trim() ? `?alt=${encodeURIComponent(alt.value.trim())}` : ''}`;
      if (await ctx.attempt(() => ctx.api.post(path, file))) added += 1;
    }
    if (added) { ctx.notice(`Added ${added} picture${added === 1 ? '' : 's'}`); ctx.reload(); }
  } }, field('Pictures (JPEG, PNG or WebP)', files), field('Description (alt text)', alt), h('button', { type: 'submit' }, 'Upload'));

  const tiles = product.media.map((image, index) => {
    const text = h('input', { value: image.alt, maxLength: 250, 'aria-label': `Description of picture ${index + 1}` });
    return h('li.image-tile', { dataset: { image: image.id } },
      picture(image, 160, '180px', { alt: image.alt, loading: 'lazy' }),
      h('p.muted', `${image.width} × ${image.height} ${image.format.toUpperCase()}, ${Math.max(1, Math.round(image.bytes / 1024))} KB`),
      text,
      h('div.actions',
        h('button', { type: 'button', onclick: async () => {
          if (await ctx.attempt(() => ctx.api.patch(`/products/${product.id}/images/${image.id}`, { alt: text.value }))) ctx.notice('Description saved');
        } }, 'Save'),
        index > 0 ? h('button', { type: 'button', onclick: async () => {
          if (await ctx.attempt(() => ctx.api.patch(`/products/${product.id}/images/${image.id}`, { position: 1 }))) ctx.reload();
        } }, 'Make first') : null,
        h('button.danger', { type: 'button', onclick: async () => {
          if (!confirm('Remove this picture?')) return;
          if (await ctx.attempt(() => ctx.api.delete(`/products/${product.id}/images/${image.id}`)) !== undefined) { ctx.notice('Picture removed'); ctx.reload(); }
        } }, 'Remove')));
  });
  return h('section.card', h('h2', 'Pictures'),
    tiles.length ? h('ul.image-tiles', tiles) : h('p.muted', 'No pictures yet: the shop shows the first letter of the name instead.'),
    upload);
}
