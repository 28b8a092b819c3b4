// The console's one way to the server: the public API, with the bearer token the user signed in with.
// The token lives in this tab's sessionStorage only: never in a URL, a cookie or the page.

const TOKEN_KEY = 'hookengine.console.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function keepToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** A non-2xx answer: the status and the ErrorResp message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }

  /**
   * The fields the server names, {path: message}. A 400's ErrorResp message is
   * "Invalid <subject>: <path>: <message>; <path>: <message>" (ValidationException), the one place
   * the spec's ErrorResp can carry them.
   */
  fieldErrors() {
    const errors = {};
    if (this.status !== 400) return errors;
    const rest = this.message.replace(/^Invalid [^:]*: /, '');
    for (const part of rest.split('; ')) {
      const colon = part.indexOf(': ');
      if (colon > 0) {
        const path = part.slice(0, colon);
        errors[path] = errors[path] ? errors[path] + '; ' + part.slice(colon + 2) : part.slice(colon + 2);
      }
    }
    return errors;
  }
}

/**
 * `method path` with a JSON body (undefined: none) and any `extraHeaders`; the parsed answer, null
 * when empty; ApiError otherwise.
 */
export async function call(method, path, body, extraHeaders) {
  const headers = {...extraHeaders, Authorization: 'Bearer ' + token()};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
  });
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = {message: text};
    }
  }
  if (!response.ok) {
    throw new ApiError(response.status, (data && data.message) || ('HTTP ' + response.status));
  }
  return data;
}

export const path = {
  configs: () => '/v1/webhooks/configs',
  config: (id) => '/v1/webhooks/configs/' + encodeURIComponent(id),
  search: (id) => '/v2/webhooks/configs/' + encodeURIComponent(id) + '/events',
  event: (id, eventId) => path.config(id) + '/events/' + encodeURIComponent(eventId),
};

/** The v2 event search of a config: one page of up to 25 (the spec's maximum). */
export function searchEvents(configId, options) {
  return call('POST', path.search(configId), options);
}

/**
 * A config's deliveries counted by the server (GET .../delivery-stats): per interval and over the
 * range, by status, with the latency of the attempts. `range` holds `from`, `to` (Dates) and
 * `interval` (ISO 8601, e.g. 'PT1H'); each is optional.
 */
export function deliveryStats(configId, range) {
  const query = new URLSearchParams();
  if (range.from) query.set('from', range.from.toISOString());
  if (range.to) query.set('to', range.to.toISOString());
  if (range.interval) query.set('interval', range.interval);
  return call('GET', path.config(configId) + '/delivery-stats' + (query.toString() ? '?' + query : ''));
}

/** The config's latest failed event, or null: the v2 search, newest first, one event. */
export async function lastFailure(configId) {
  const page = await searchEvents(configId, {limit: 1, status: 'failed'});
  return (page.data || [])[0] || null;
}
