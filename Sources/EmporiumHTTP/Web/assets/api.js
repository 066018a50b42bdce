// The one way the pages talk to the server: the public JSON API, the envelope unwrapped, errors
// turned into ApiError (never swallowed), the access token refreshed silently once on a 401.

export class ApiError extends Error {
  constructor(status, code, message, details = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** "Price: must not be negative" lines for a form. */
  describe() {
    const lines = (this.details || []).map((d) => (d.field ? `${d.field}: ${d.message}` : d.message));
    return lines.length ? `${this.message} — ${lines.join('; ')}` : this.message;
  }
}

/** A signed-in session kept in sessionStorage under `key` (the admin and the shop keep their own). */
export class Session {
  constructor(key) {
    this.key = key;
    this.onChange = () => {};
  }

  get value() {
    try {
      return JSON.parse(sessionStorage.getItem(this.key) || 'null');
    } catch {
      return null;
    }
  }

  save(tokens, extra = {}) {
    const previous = this.value || {};
    sessionStorage.setItem(this.key, JSON.stringify({ ...previous, ...extra, accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken, user: tokens.user }));
    this.onChange();
  }

  clear() {
    sessionStorage.removeItem(this.key);
    this.onChange();
  }
}

export class Api {
  /** `tenant` is sent as X-Tenant-ID when set (the admin names its shop); the storefront leaves it to the host. */
  constructor(session, tenant = () => null) {
    this.session = session;
    this.tenant = tenant;
    this.refreshing = null;
  }

  headers(extra = {}) {
    const headers = { Accept: 'application/json', ...extra };
    const tenant = this.tenant();
    if (tenant) headers['X-Tenant-ID'] = tenant;
    const token = this.session.value?.accessToken;
    if (token) headers.Authorization = `Bearer ${token}`;
    return headers;
  }

  async request(method, path, body, extraHeaders = {}, retried = false) {
    const init = { method, headers: this.headers(extraHeaders) };
    if (body instanceof Blob) {
      // A file goes as itself (the server tells its format by its bytes, not by this type).
      init.headers['Content-Type'] = body.type || 'application/octet-stream';
      init.body = body;
    } else if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(`/api/v1${path}`, init);
    } catch (error) {
      throw new ApiError(0, 'NETWORK', 'The server could not be reached. Check your connection and try again.');
    }
    if (response.status === 401 && !retried && this.session.value?.refreshToken && !path.startsWith('/auth/')) {
      if (await this.refresh()) return this.request(method, path, body, extraHeaders, true);
    }
    return this.unwrap(response);
  }

  async unwrap(response) {
    const type = response.headers.get('Content-Type') || '';
    if (!type.includes('json')) {
      if (response.ok) return response;
      throw new ApiError(response.status, 'HTTP', `The server answered ${response.status}.`);
    }
    const payload = await response.json().catch(() => null);
    if (response.ok && payload && payload.success !== false) return payload.data;
    const error = payload?.error || {};
    throw new ApiError(response.status, error.code || 'HTTP', error.message || `The server answered ${response.status}.`, error.details || []);
  }

  /** One refresh at a time; a failed refresh ends the session. */
  async refresh() {
    if (!this.refreshing) {
      const refreshToken = this.session.value?.refreshToken;
      const headers = { ...this.headers(), 'Content-Type': 'application/json' };
      delete headers.Authorization; // the expired token is what we are replacing
      this.refreshing = fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers,
        body: JSON.stringify({ refreshToken }),
      }).then(async (response) => {
        if (!response.ok) {
          this.session.clear();
          return false;
        }
        this.session.save((await response.json()).data);
        return true;
      }).catch(() => false).finally(() => { this.refreshing = null; });
    }
    return this.refreshing;
  }

  /** Revokes the refresh token (best effort: the session ends either way) and forgets the session. */
  async signOut() {
    const refreshToken = this.session.value?.refreshToken;
    if (refreshToken) await this.post('/auth/logout', { refreshToken }).catch(() => {});
    this.session.clear();
  }

  get(path) { return this.request('GET', path); }
  post(path, body = {}, headers = {}) { return this.request('POST', path, body, headers); }
  patch(path, body) { return this.request('PATCH', path, body); }
  put(path, body) { return this.request('PUT', path, body); }
  delete(path) { return this.request('DELETE', path); }

  /** Downloads a file the API streams (CSV) with the session's token. */
  async download(path, fallbackName) {
    let response = await fetch(`/api/v1${path}`, { headers: this.headers({ Accept: 'text/csv' }) });
    if (response.status === 401 && (await this.refresh())) {
      response = await fetch(`/api/v1${path}`, { headers: this.headers({ Accept: 'text/csv' }) });
    }
    if (!response.ok) await this.unwrap(response);
    const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '')?.[1] || fallbackName;
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

/** A query string from an object, skipping empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
