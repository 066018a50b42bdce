// The admin panel's "Mail" page: whether mail leaves the box at all, the shop's recent messages
// with their last error and a resend, each message's template with a preview over sample data and a
// test message to oneself, and the staff alerts the signed-in person receives.
import { dateTime, field, h, mount, options } from './dom.js';

const STATUSES = ['', 'queued', 'sent', 'dead'];

function statusCard(status) {
  if (!status.configured) {
    return h('p.notice#mail-status', `Mail is not configured on this box (MAIL_URL is unset): ${status.queued} message(s) wait here and are sent once it is set.`);
  }
  return h('p#mail-status', `Mail leaves through ${status.transport}. ${status.queued} waiting, ${status.dead} given up on.`);
}

async function messagesCard(ctx, filter) {
  const listing = await ctx.api.get(`/mail/messages?limit=50${filter ? `&status=${filter}` : ''}`);
  const select = h('select#mail-filter', { 'aria-label': 'Show' }, options(STATUSES.map((s) => [s, s || 'all']), filter));
  const card = h('section.card', { 'aria-label': 'Messages' }, h('h2', 'Recent messages'), field('Show', select));
  select.addEventListener('change', async () => card.replaceWith(await messagesCard(ctx, select.value)));
  if (!listing.messages.length) {
    card.append(h('p', 'No messages.'));
    return card;
  }
  card.append(h('table#mail-messages', h('thead', h('tr', ['Written', 'To', 'Message', 'Status', 'Attempts', 'Last error', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', listing.messages.map((m) => h('tr', h('td', dateTime(m.createdAt)), h('td', m.recipient), h('td', m.topic), h('td', m.status),
      h('td.num', m.attempts), h('td', m.lastError || ''),
      h('td', m.status === 'queued' || !ctx.may('settings:write') ? '' : h('button', { type: 'button', onclick: async () => {
        if (await ctx.attempt(() => ctx.api.post(`/mail/messages/${m.id}/resend`))) {
          ctx.notice(`The message to ${m.recipient} is queued again`);
          card.replaceWith(await messagesCard(ctx, filter));
        }
      } }, 'Resend')))))));
  return card;
}

function previewArea(rendered) {
  return h('div#mail-preview', h('h3', rendered.subject), h('pre.mail-text', rendered.text),
    h('details', h('summary', 'HTML source'), h('pre', rendered.html)));
}

async function templatesCard(ctx) {
  const { templates } = await ctx.api.get('/mail/templates');
  const topic = h('select#template-topic', { 'aria-label': 'Message' }, options(templates.map((t) => [t.topic, `${t.topic}${t.customized ? ' (edited)' : ''}`]), templates[0].topic));
  const subject = h('input#template-subject', { required: true, maxLength: 500 });
  const text = h('textarea#template-text', { rows: 10, maxLength: 65536 });
  const html = h('textarea#template-html', { rows: 10, maxLength: 65536 });
  const preview = h('div');
  const fill = () => {
    const chosen = templates.find((t) => t.topic === topic.value);
    subject.value = chosen.subject;
    text.value = chosen.text;
    html.value = chosen.html;
    preview.replaceChildren();
  };
  topic.addEventListener('change', fill);
  fill();
  const words = () => ({ subject: subject.value, text: text.value, html: html.value });
  const canEdit = ctx.may('settings:write');
  const buttons = [h('button', { type: 'button', onclick: async () => {
    const rendered = await ctx.attempt(() => ctx.api.post(`/mail/templates/${topic.value}/preview`, words()));
    if (rendered) preview.replaceChildren(previewArea(rendered));
  } }, 'Preview')];
  if (canEdit) {
    buttons.push(h('button.primary', { type: 'submit' }, 'Save'),
      h('button', { type: 'button', onclick: async () => {
        if (await ctx.attempt(() => ctx.api.post(`/mail/templates/${topic.value}/test`))) ctx.notice('A test message is on its way to your own address');
      } }, 'Send me a test'),
      h('button', { type: 'button', onclick: async () => {
        if (!confirm('Go back to the default words of this message?')) return;
        if (await ctx.attempt(() => ctx.api.delete(`/mail/templates/${topic.value}`))) { ctx.notice('Back to the default'); ctx.reload(); }
      } }, 'Reset to default'));
  }
  return h('form.card', { 'aria-label': 'Templates', onsubmit: async (event) => {
    event.preventDefault();
    const saved = await ctx.attempt(() => ctx.api.put(`/mail/templates/${topic.value}`, words()));
    if (saved) {
      Object.assign(templates.find((t) => t.topic === saved.topic), saved);
      ctx.notice('Template saved');
    }
  } }, h('h2', 'Templates'),
  h('p', 'Mustache: {{firstName}}, {{orderNumber}}, {{total}}, {{link}}, {{shopName}}, {{#lines}}…{{/lines}}. Values are always escaped.'),
  field('Message', topic), field('Subject', subject), field('Text', text), field('HTML', html), h('p.actions', ...buttons), preview);
}

async function alertsCard(ctx) {
  const alerts = await ctx.api.get('/auth/me/mail-alerts');
  const labels = { 'staff.new_order': 'A mail for every new order', 'staff.low_stock': 'A digest when products run low' };
  const boxes = alerts.available.map((name) => h('input', { type: 'checkbox', name, checked: alerts.alerts.includes(name) }));
  return h('form.card.narrow', { 'aria-label': 'My alerts', onsubmit: async (event) => {
    event.preventDefault();
    const chosen = boxes.filter((b) => b.checked).map((b) => b.name);
    if (await ctx.attempt(() => ctx.api.put('/auth/me/mail-alerts', { alerts: chosen }))) ctx.notice('Your alerts are saved');
  } }, h('h2', 'My alerts'), ...boxes.map((box) => h('label', box, ' ', labels[box.name] || box.name)), h('button', { type: 'submit' }, 'Save'));
}

export async function mailView(ctx, params) {
  const parts = [];
  if (ctx.may('settings:read')) {
    parts.push(statusCard(await ctx.api.get('/mail/status')), await messagesCard(ctx, params.get('status') || ''), await templatesCard(ctx));
  }
  parts.push(await alertsCard(ctx));
  ctx.page('Mail', ...parts);
}

/** The mailed links' screens, reachable without signing in: `#/forgot-password`, `#/reset-password?shop=…&token=…`. */
export function forgotPasswordView(ctx) {
  const tenant = h('input', { name: 'tenant', required: true, autocomplete: 'organization', value: sessionStorage.getItem('emporium.admin.lastTenant') || '' });
  const email = h('input', { name: 'email', type: 'email', required: true, autocomplete: 'username' });
  ctx.page('Forgot your password?', h('form.card.narrow', { onsubmit: async (event) => {
    event.preventDefault();
    const answer = await ctx.attempt(() => ctx.apiFor(tenant.value.trim()).post('/auth/password-reset', { email: email.value }));
    if (answer) mount(ctx.main, h('h1', { tabIndex: -1 }, 'Check your mail'), h('p.notice#reset-sent', { role: 'status' }, answer.message));
  } }, field('Shop (subdomain)', tenant), field('Email', email), h('button.primary', { type: 'submit' }, 'Send the link'),
  h('p', h('a', { href: '#/' }, 'Back to sign in'))));
}

export function resetPasswordView(ctx, params) {
  const password = h('input', { name: 'newPassword', type: 'password', required: true, minLength: 8, autocomplete: 'new-password' });
  ctx.page('Choose a new password', h('form.card.narrow', { onsubmit: async (event) => {
    event.preventDefault();
    const answer = await ctx.attempt(() => ctx.apiFor(params.get('shop') || '').post('/auth/password-reset/confirm',
      { token: params.get('token') || '', newPassword: password.value }));
    if (answer) {
      ctx.notice('Your password was changed and every session signed out. Sign in with the new one.');
      window.location.hash = '#/';
    }
  } }, field('New password', password, 'At least 8 characters'), h('button.primary', { type: 'submit' }, 'Set the password')));
}

export async function verifyEmailView(ctx, params) {
  const user = await ctx.attempt(() => ctx.apiFor(params.get('shop') || '').post('/auth/verify-email', { token: params.get('token') || '' }));
  ctx.page(user ? 'Address confirmed' : 'This link did not work',
    h('p', user ? `${user.email} is confirmed.` : 'It may have expired or been used already.'), h('p', h('a', { href: '#/' }, 'Sign in')));
}
