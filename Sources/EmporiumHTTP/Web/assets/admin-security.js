// The admin panel's "Security" page: the signed-in staff member's own password and two-factor sign-in — set up
// with an authenticator app (the key to type, or the otpauth link), confirm with a first code,
// keep the recovery codes shown once, renew them, switch it off — and, for those who may change
// settings, the shop's rule that every staff account needs it.
import { dateTime, field, h } from './dom.js';

const REQUIRED = 'auth.twoFactorRequired';

function codeInput(name = 'code') {
  return h('input', { name, required: true, autocomplete: 'one-time-code', inputMode: 'text', maxLength: 64, spellcheck: false });
}

function passwordInput() {
  return h('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
}

function recoveryCard(codes) {
  return h('section.card', { 'aria-label': 'Recovery codes' }, h('h2', 'Recovery codes'),
    h('p', 'Each code signs you in once if you lose your phone. Keep them somewhere safe: they are not shown again.'),
    h('ol#recovery-codes.codes', codes.map((code) => h('li', h('code', code)))));
}

function form(label, onsubmit, ...fields) {
  return h('form.card.narrow', { 'aria-label': label, onsubmit: async (event) => {
    event.preventDefault();
    const button = event.target.querySelector('button[type=submit]');
    button.disabled = true;
    await onsubmit();
    button.disabled = false;
  } }, h('h2', label), ...fields);
}

/** `shownCodes`: recovery codes just made, shown first this once. */
export async function securityView(ctx, shownCodes = null) {
  const status = await ctx.api.get('/auth/2fa');
  const parts = [];
  if (ctx.mustEnrol()) {
    parts.push(h('p.notice#enrol-required', 'This shop requires two-factor sign-in for staff. Set it up to reach the rest of the panel.'));
  }
  if (status.enabled) {
    parts.push(h('p#two-factor-state', `Two-factor sign-in is on since ${dateTime(status.confirmedAt)}; ${status.recoveryCodesRemaining} recovery code(s) left.`));
    if (shownCodes) parts.push(recoveryCard(shownCodes));
    const renewCode = codeInput();
    parts.push(form('New recovery codes', async () => {
      const answer = await ctx.attempt(() => ctx.api.post('/auth/2fa/recovery-codes', { code: renewCode.value.trim() }));
      if (answer) { ctx.notice('New recovery codes made; the old ones no longer work'); await securityView(ctx, answer.recoveryCodes); }
    }, field('Current code from your app', renewCode), h('button.primary', { type: 'submit' }, 'Make new codes')));
    if (!status.required) {
      const password = passwordInput();
      const code = codeInput();
      parts.push(form('Switch off', async () => {
        if (await ctx.attempt(() => ctx.api.post('/auth/2fa/disable', { password: password.value, code: code.value.trim() }))) {
          ctx.notice('Two-factor sign-in is off');
          ctx.reload();
        }
      }, field('Password', password), field('Code from your app or a recovery code', code), h('button', { type: 'submit' }, 'Switch off')));
    }
  } else {
    parts.push(h('p#two-factor-state', 'Two-factor sign-in is off.'));
    const password = passwordInput();
    const setupArea = h('div');
    parts.push(form('Set up two-factor sign-in', async () => {
      const setup = await ctx.attempt(() => ctx.api.post('/auth/2fa/setup', { password: password.value }));
      if (!setup) return;
      const code = codeInput();
      setupArea.replaceChildren(form('Confirm with a first code', async () => {
        const answer = await ctx.attempt(() => ctx.api.post('/auth/2fa/confirm', { code: code.value.trim() }));
        if (!answer) return;
        ctx.enrolled();
        ctx.notice('Two-factor sign-in is on');
        await securityView(ctx, answer.recoveryCodes);
      },
      h('p', 'Add this key to an authenticator app (type it, or open the link on the phone), then enter the code it shows.'),
      h('p', h('code#totp-secret', setup.secret)),
      h('p', h('a#totp-link', { href: setup.otpauthUri }, 'Open in an authenticator app')),
      field('Code from your app', code), h('button.primary', { type: 'submit' }, 'Confirm')));
      code.focus();
    }, field('Password', password), h('button.primary', { type: 'submit' }, 'Start')), setupArea);
  }
  const current = passwordInput();
  const next = h('input', { name: 'newPassword', type: 'password', required: true, minLength: 8, autocomplete: 'new-password' });
  parts.push(form('Change password', async () => {
    if (await ctx.attempt(() => ctx.api.post('/auth/password', { currentPassword: current.value, newPassword: next.value }))) {
      ctx.notice('Your password was changed and every session signed out. Sign in with the new one.');
      ctx.signedOut();
    }
  }, field('Current password', current), field('New password', next, 'At least 8 characters'), h('button.primary', { type: 'submit' }, 'Change password')));
  if (ctx.may('settings:write')) {
    const required = h('input#require-two-factor', { type: 'checkbox', checked: status.required });
    parts.push(form('Shop rule', async () => {
      if (await ctx.attempt(() => ctx.api.put(`/settings/${REQUIRED}`, { value: required.checked }))) {
        ctx.notice(required.checked ? 'Every staff account now needs two-factor sign-in' : 'Two-factor sign-in is now optional for staff');
      }
    }, h('label', required, ' Require two-factor sign-in for every staff account'), h('button', { type: 'submit' }, 'Save')));
  }
  ctx.page('Security', ...parts);
}
