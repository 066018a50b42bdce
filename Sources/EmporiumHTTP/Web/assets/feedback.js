// The banner at the top of both apps. API errors are shown there with their message and field
// details (never swallowed) and stay until dismissed or the next action; a notice shown just
// before a navigation ("Saved") survives that one navigation, older ones are cleared.
import { ApiError } from './api.js';
import { h, mount } from './dom.js';

export class Feedback {
  constructor(banner) {
    this.banner = banner;
    this.noticeAt = 0;
  }

  error(error) {
    console.error(error);
    const text = error instanceof ApiError ? error.describe() : String(error?.message || error);
    this.banner.className = 'banner';
    mount(this.banner, h('p', text), h('button.link', { type: 'button', onclick: () => { this.banner.hidden = true; } }, 'Dismiss'));
    this.banner.hidden = false;
    this.banner.focus();
  }

  notice(text) {
    this.banner.className = 'banner ok';
    mount(this.banner, h('p', text));
    this.banner.hidden = false;
    this.noticeAt = Date.now();
  }

  /** Runs an action, showing any error; returns its value, or undefined when it failed. */
  async attempt(action) {
    try {
      this.banner.hidden = true;
      return await action();
    } catch (error) {
      this.error(error);
      return undefined;
    }
  }

  navigated() {
    if (Date.now() - this.noticeAt > 1000) this.banner.hidden = true;
  }
}
