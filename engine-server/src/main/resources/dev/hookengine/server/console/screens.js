// The console's screens. Each renders into `main` from the public API's answers, as text only (dom.js).
import {ApiError, call, deliveryStats, lastFailure, path, searchEvents} from './api.js';
import {el, labelCells, pretty, replace, svg, time} from './dom.js';

const HOUR_MS = 60 * 60 * 1000;

let flashOutlivesNextScreen = false;

export function flash(message) {
  const box = document.getElementById('flash');
  box.textContent = message;
  box.hidden = !message;
}

/** Called on every change of screen: a message goes, unless it is about the move just made (go). */
export function screenChanged() {
  if (!flashOutlivesNextScreen) flash('');
  flashOutlivesNextScreen = false;
}

function go(hash) {
  flashOutlivesNextScreen = Boolean(document.getElementById('flash').textContent);
  location.hash = hash;
}

/** The header by which a write says it means to change or delete a protected config (README). */
const MODIFY_PROTECTED = {'X-Hookengine-Modify-Protected': 'true'};

function isProtected(config) {
  return config.protected === true;
}

/**
 * The headers of a write to `config`. The server refuses (409) to change or delete a protected config
 * unless the request says it means to: the console says so only once the user has answered yes to
 * `question`. Null when the user said no.
 */
function writeHeaders(config, question) {
  if (!isProtected(config)) return {};
  return confirm('This config is protected. ' + question) ? {...MODIFY_PROTECTED} : null;
}

function protectedBadge() {
  return el('span', {class: 'badge protected-badge', title: 'Changing or deleting it asks for a confirmation'}, 'protected');
}

function errorText(error) {
  return error instanceof ApiError ? error.status + ': ' + error.message : String(error);
}

/** A config's health as the list shows it: the server's counts of the last 24 h (a DeliveryCounts). */
function health(total) {
  const ended = total.succeeded + total.failed;
  return {
    succeeded: total.succeeded,
    failed: total.failed,
    rate: ended ? Math.round((100 * total.succeeded) / ended) : null,
  };
}

function failureCode(event) {
  const response = event.http_response || {};
  return response.status_code != null ? String(response.status_code) : response.code || 'failed';
}

// ---- Configs ------------------------------------------------------------------------------------

/**
 * `refocus`, after a change made from the list itself: the CSS selector of the element that gets the
 * focus once the list is drawn anew (the button pressed went with the old list), `main` when it matches
 * nothing.
 */
export async function configsScreen(main, refocus) {
  replace(main, el('h1', {}, 'Webhook configs'), el('p', {class: 'muted'}, 'Loading…'));
  const configs = await call('GET', path.configs());
  const rows = configs.map((config) => configRow(config));
  replace(
    main,
    el('h1', {}, 'Webhook configs'),
    el('p', {}, el('button', {type: 'button', class: 'primary', id: 'new-config', onclick: () => go('#/configs/new')}, 'New config')),
    configs.length === 0
      ? el('p', {class: 'muted', id: 'no-configs'}, 'No configs yet.')
      : el('div', {class: 'table-wrap'},
          labelCells(el('table', {id: 'configs'},
            el('thead', {}, el('tr', {},
              el('th', {scope: 'col'}, 'Name'), el('th', {scope: 'col'}, 'Event'),
              el('th', {scope: 'col', class: 'optional'}, 'URL'), el('th', {scope: 'col'}, 'Status'),
              el('th', {scope: 'col'}, 'Last 24 h'), el('th', {scope: 'col'}, 'Actions'))),
            el('tbody', {}, rows.map((r) => r.row))))),
    el('div', {id: 'config-output'}),
  );
  if (refocus !== undefined) ((refocus && main.querySelector(refocus)) || main).focus();
  // Health is read after the list shows, one config at a time, so that a long list stays usable.
  for (const r of rows) {
    await r.loadHealth();
  }
}

function configRow(config) {
  const healthCell = el('td', {class: 'health'}, el('span', {class: 'muted'}, '…'));
  const enabled = config.enabled !== false;
  const row = el('tr', {'data-config-id': config.id},
    el('td', {class: 'name'}, el('a', {href: '#/configs/' + encodeURIComponent(config.id) + '/events'}, config.name || config.id),
      isProtected(config) ? protectedBadge() : ''),
    el('td', {class: 'mono'}, config.eventName || ''),
    el('td', {class: 'url optional'}, config.url || ''),
    el('td', {class: 'status'}, enabled ? 'enabled' : 'disabled', config.status ? ' (' + config.status + ')' : ''),
    healthCell,
    el('td', {},
      el('div', {class: 'actions'},
        el('button', {type: 'button', class: 'edit', onclick: () => go('#/configs/' + encodeURIComponent(config.id) + '/edit')}, 'Edit'),
        el('button', {type: 'button', class: 'toggle', onclick: () => toggle(config, !enabled)}, enabled ? 'Disable' : 'Enable'),
        el('button', {type: 'button', class: 'rotate', onclick: () => rotateSecret(config)}, 'Rotate secret'),
        el('button', {type: 'button', class: 'test-oauth', onclick: () => testOAuth(config)}, 'Test OAuth'),
        el('button', {type: 'button', class: 'delete danger', onclick: () => remove(config)}, 'Delete'))),
  );
  async function loadHealth() {
    try {
      // the 24 h up to now as one interval: the server counts, however many events there were
      const stats = await deliveryStats(config.id, {interval: 'PT24H'});
      const h = health(stats.total);
      const failure = h.failed ? await lastFailure(config.id) : null;
      healthCell.setAttribute('data-succeeded', h.succeeded);
      healthCell.setAttribute('data-failed', h.failed);
      replace(healthCell,
        el('span', {class: 'rate'}, h.rate === null ? 'no deliveries' : h.rate + '% ok'),
        h.failed ? el('span', {class: 'status-failed'}, ', ' + h.failed + ' failed') : '',
        failure ? el('span', {class: 'muted'}, ', last failure ' + failureCode(failure)) : '');
    } catch (error) {
      replace(healthCell, el('span', {class: 'error'}, errorText(error)));
    }
  }
  return {row, loadHealth};
}

async function toggle(listed, enabled) {
  const configId = listed.id;
  const headers = writeHeaders(listed, (enabled ? 'Enable' : 'Disable') + ' it anyway?');
  if (!headers) return;
  try {
    const config = await call('GET', path.config(configId));
    config.enabled = enabled;
    await call('PUT', path.config(configId), config, headers);
    flash((config.name || configId) + (enabled ? ' enabled' : ' disabled'));
    await configsScreen(document.getElementById('main'), 'tr[data-config-id="' + CSS.escape(configId) + '"] button.toggle');
  } catch (error) {
    flash('Could not change the config: ' + errorText(error));
  }
}

async function rotateSecret(config) {
  if (!confirm('Rotate the signing secret of ' + (config.name || config.id) + '? The old one keeps signing for 24 h.')) return;
  try {
    const answer = await call('POST', path.config(config.id) + '/signing-secret/rotate');
    replace(document.getElementById('config-output'),
      el('h2', {}, 'New signing secret of ' + (config.name || config.id)),
      el('p', {}, 'Shown this once: copy it now.'),
      el('p', {class: 'secret', id: 'new-secret'}, answer.signingSecret));
  } catch (error) {
    flash('Could not rotate the secret: ' + errorText(error));
  }
}

async function testOAuth(config) {
  try {
    const answer = await call('POST', path.config(config.id) + '/test-oauth');
    flash('OAuth test of ' + (config.name || config.id) + ': ' + (answer.message || 'success'));
  } catch (error) {
    flash('OAuth test of ' + (config.name || config.id) + ': ' + errorText(error));
  }
}

async function remove(config) {
  const headers = isProtected(config)
    ? writeHeaders(config, 'Delete it anyway? Its events go with it.')
    : confirm('Delete ' + (config.name || config.id) + '? Its events go with it.') && {};
  if (!headers) return;
  try {
    await call('DELETE', path.config(config.id), undefined, headers);
    flash((config.name || config.id) + ' deleted');
    await configsScreen(document.getElementById('main'), '');
  } catch (error) {
    flash('Could not delete: ' + errorText(error));
  }
}

// ---- Create and edit ----------------------------------------------------------------------------

/** The fields with inputs of their own; every other field of the spec's WebhookConfig is in "more". */
const SIMPLE_FIELDS = ['name', 'eventName', 'url', 'httpMethod', 'enabled', 'jsonataExpression'];
const METHODS = ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'];
const READ_ONLY = ['id', 'status', 'created_at', 'updated_at', '_manifest'];

export async function configFormScreen(main, configId) {
  const existing = configId ? await call('GET', path.config(configId)) : {enabled: true, httpMethod: 'POST'};
  const events = await call('GET', '/v1/webhooks/configured-events').catch(() => []);
  const more = {};
  for (const [key, value] of Object.entries(existing)) {
    if (!SIMPLE_FIELDS.includes(key) && !READ_ONLY.includes(key)) more[key] = value;
  }
  const errors = {};
  const field = (name, label, input) => {
    errors[name] = el('span', {class: 'field-error', id: 'error-' + name, 'data-field': name, hidden: true});
    input.setAttribute('aria-describedby', 'error-' + name);
    return el('div', {class: 'field'}, el('label', {for: 'field-' + name}, label), input, errors[name]);
  };
  const input = (name, type, value) => el('input', {id: 'field-' + name, name, type, value: value ?? ''});
  const method = el('select', {id: 'field-httpMethod', name: 'httpMethod'},
    METHODS.map((m) => el('option', {value: m, selected: (existing.httpMethod || 'POST') === m}, m)));
  const enabled = el('input', {id: 'field-enabled', name: 'enabled', type: 'checkbox', checked: existing.enabled !== false});
  const expression = el('textarea', {id: 'field-jsonataExpression', name: 'jsonataExpression'}, existing.jsonataExpression || '');
  const moreBox = el('textarea', {id: 'field-more', name: 'more'}, Object.keys(more).length ? JSON.stringify(more, null, 2) : '');
  const formError = el('p', {class: 'form-error', id: 'form-error', role: 'alert', hidden: true});
  const eventList = el('datalist', {id: 'event-names'},
    (Array.isArray(events) ? events : []).map((e) => el('option', {value: e.eventName || e})));
  const eventInput = input('eventName', 'text', existing.eventName);
  eventInput.setAttribute('list', 'event-names');
  const form = el('form', {id: 'config-form', novalidate: true},
    field('name', 'Name', input('name', 'text', existing.name)),
    field('eventName', 'Event', eventInput), eventList,
    field('url', 'URL', input('url', 'text', existing.url)),
    field('httpMethod', 'HTTP method', method),
    el('div', {class: 'field'}, el('label', {}, enabled, ' Enabled')),
    field('jsonataExpression', 'JSONata transform (optional)', expression),
    field('more', 'Other fields of the config, as JSON (auth, filter, payloadConfiguration, retryPolicy, …)', moreBox),
    formError,
    el('div', {class: 'actions'},
      el('button', {type: 'submit', class: 'primary', id: 'save-config'}, configId ? 'Save' : 'Create'),
      el('button', {type: 'button', onclick: () => go('#/configs')}, 'Cancel')));
  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    for (const box of Object.values(errors)) box.hidden = true;
    formError.hidden = true;
    let body;
    try {
      body = moreBox.value.trim() ? JSON.parse(moreBox.value) : {};
      if (typeof body !== 'object' || Array.isArray(body) || body === null) throw new Error('not an object');
    } catch {
      showError(errors.more, 'must be a JSON object');
      return;
    }
    const text = (name) => form.elements[name].value.trim();
    Object.assign(body, {name: text('name'), eventName: text('eventName'), url: text('url'),
      httpMethod: method.value, enabled: enabled.checked});
    if (expression.value.trim()) body.jsonataExpression = expression.value;
    const headers = configId ? writeHeaders(existing, 'Change it anyway?') : {};
    if (!headers) {
      showError(formError, 'Not saved: the config is protected.');
      return;
    }
    try {
      const saved = configId
        ? await call('PUT', path.config(configId), body, headers)
        : await call('POST', path.configs(), body);
      flash((saved.name || saved.id) + (configId ? ' saved' : ' created'));
      go('#/configs');
    } catch (error) {
      const named = error instanceof ApiError ? error.fieldErrors() : {};
      let shown = false;
      for (const [fieldPath, message] of Object.entries(named)) {
        const top = fieldPath.split(/[.[]/)[0];
        const box = errors[top] || (SIMPLE_FIELDS.includes(top) ? null : errors.more);
        if (box) {
          showError(box, (box === errors.more ? fieldPath + ': ' : '') + message);
          shown = true;
        }
      }
      if (!shown) showError(formError, errorText(error));
    }
  });
  replace(main, el('h1', {}, configId ? 'Edit ' + (existing.name || configId) : 'New config'),
    isProtected(existing)
      ? el('p', {id: 'protected-notice', class: 'notice'}, protectedBadge(),
          ' This config is protected: saving it asks you to confirm first.')
      : '',
    form);
  form.elements.name.focus();
}

function showError(box, message) {
  box.textContent = box.textContent && !box.hidden ? box.textContent + '; ' + message : message;
  box.hidden = false;
}

// ---- Event log ----------------------------------------------------------------------------------

export async function eventsScreen(main, configId, query) {
  const config = await call('GET', path.config(configId));
  const filters = {
    status: query.get('status') || '',
    from: query.get('from') || '',
    to: query.get('to') || '',
    eventId: query.get('event_id') || '',
  };
  const chart = el('section', {class: 'chart', id: 'chart', 'aria-label': 'Deliveries and latency over time'},
    el('p', {class: 'muted'}, 'Counting…'));
  const table = el('div', {class: 'table-wrap', id: 'event-table'});
  const pager = el('div', {class: 'pager'});
  const replayBox = el('div', {class: 'actions'});
  const statusSelect = el('select', {id: 'filter-status', name: 'status'},
    ['', 'succeeded', 'failed', 'skipped'].map((s) => el('option', {value: s, selected: filters.status === s}, s || 'any')));
  const fromInput = el('input', {id: 'filter-from', name: 'from', type: 'datetime-local', value: filters.from});
  const toInput = el('input', {id: 'filter-to', name: 'to', type: 'datetime-local', value: filters.to});
  const idInput = el('input', {id: 'filter-event-id', name: 'event_id', type: 'text', value: filters.eventId});
  const filterForm = el('form', {class: 'filters', id: 'filters'},
    el('label', {}, 'Status', statusSelect),
    el('label', {}, 'From', fromInput),
    el('label', {}, 'To', toInput),
    el('label', {}, 'Event id', idInput),
    el('button', {type: 'submit', id: 'apply-filters'}, 'Search'));
  filterForm.addEventListener('submit', (submitted) => {
    submitted.preventDefault();
    const next = new URLSearchParams();
    if (statusSelect.value) next.set('status', statusSelect.value);
    if (fromInput.value) next.set('from', fromInput.value);
    if (toInput.value) next.set('to', toInput.value);
    if (idInput.value.trim()) next.set('event_id', idInput.value.trim());
    go('#/configs/' + encodeURIComponent(configId) + '/events' + (next.toString() ? '?' + next : ''));
  });
  replace(main,
    el('h1', {}, 'Events of ', config.name || configId),
    el('p', {}, el('a', {href: '#/configs'}, '← Configs')),
    chart,
    el('h2', {}, 'Event log'),
    filterForm, replayBox, table, pager);

  const options = {limit: 25};
  if (filters.status) options.status = filters.status;
  if (filters.eventId) options.event_id = filters.eventId;
  if (filters.from || filters.to) {
    options.timestamp = {};
    if (filters.from) options.timestamp.from = new Date(filters.from).toISOString();
    if (filters.to) options.timestamp.to = new Date(filters.to).toISOString();
  }
  // Earlier pages' cursors, so that "Newer" goes back the way "Older" came.
  const cursors = [];
  let current;
  const selected = new Set();
  const reapply = el('input', {type: 'checkbox', id: 'batch-reapply'});
  replace(replayBox,
    el('button', {type: 'button', id: 'batch-replay', onclick: () => batchReplay()}, 'Replay selected'),
    el('label', {}, reapply, ' reapply the transform'),
    el('span', {id: 'batch-result', role: 'status'}));

  async function batchReplay() {
    const result = document.getElementById('batch-result');
    if (selected.size === 0) {
      result.textContent = ' Select events first.';
      return;
    }
    try {
      const answer = await call('POST', path.config(configId) + '/events/replay-batch',
        {eventIds: [...selected], reapply_transform: reapply.checked});
      result.textContent = ' Replayed ' + JSON.stringify(answer);
    } catch (error) {
      result.textContent = ' ' + errorText(error);
    }
  }

  async function show(cursor) {
    current = cursor;
    const page = await searchEvents(configId, cursor ? {...options, cursor} : options);
    const events = page.data || [];
    // The pager is rebuilt below: a keyboard user who pressed one of its buttons stays on it.
    const pagerFocus = pager.contains(document.activeElement) ? document.activeElement.id : null;
    replace(table, events.length === 0
      ? el('p', {class: 'muted', id: 'no-events'}, 'No events.')
      : labelCells(el('table', {id: 'events'},
          el('thead', {}, el('tr', {},
            el('th', {scope: 'col'}, el('span', {class: 'muted'}, 'Select')), el('th', {scope: 'col'}, 'Event'),
            el('th', {scope: 'col'}, 'Created'), el('th', {scope: 'col'}, 'Status'),
            el('th', {scope: 'col', class: 'optional'}, 'Response'),
            el('th', {scope: 'col', class: 'optional'}, 'Latency'))),
          el('tbody', {}, events.map((event) => el('tr', {'data-event-id': event.event_id, 'data-status': event.status},
            el('td', {}, el('input', {type: 'checkbox', class: 'select-event', 'aria-label': 'Select ' + event.event_id,
              checked: selected.has(event.event_id),
              onchange: (changed) => changed.target.checked ? selected.add(event.event_id) : selected.delete(event.event_id)})),
            el('td', {class: 'mono'}, el('a', {class: 'event-link', href: '#/configs/' + encodeURIComponent(configId)
              + '/events/' + encodeURIComponent(event.event_id)}, event.event_id)),
            el('td', {}, time(event.created_at)),
            el('td', {class: 'event-status status-' + event.status}, event.status || ''),
            el('td', {class: 'optional'}, event.http_response && event.http_response.status_code != null
              ? String(event.http_response.status_code) : (event.http_response && event.http_response.code) || ''),
            el('td', {class: 'optional latency', 'data-event-id': event.event_id}, '')))))));
    replace(pager,
      el('button', {type: 'button', id: 'newer', disabled: cursors.length === 0, onclick: () => show(cursors.pop())}, '← Newer'),
      el('span', {id: 'page-number'}, 'Page ' + (cursors.length + 1)),
      el('button', {type: 'button', id: 'older', disabled: !page.has_more, onclick: () => {
        cursors.push(current);
        show(page.next_cursor);
      }}, 'Older →'),
      el('span', {id: 'page-latency', class: 'muted'}));
    if (pagerFocus) {
      const same = document.getElementById(pagerFocus);
      (same && !same.disabled ? same : pager.querySelector('button:not([disabled])') || main).focus();
    }
    await showLatencies(events);
  }

  /**
   * Each shown event's latency: the duration of its last attempt, from the attempt history (one
   * request per event, five at a time), and the page's median and slowest. The API has no latency
   * per event or aggregate of its own; see README, "Web console".
   */
  async function showLatencies(events) {
    const durations = [];
    for (let i = 0; i < events.length; i += 5) {
      await Promise.all(events.slice(i, i + 5).map(async (event) => {
        const cell = table.querySelector('td.latency[data-event-id="' + CSS.escape(event.event_id) + '"]');
        try {
          const attempts = (await call('GET', path.event(configId, event.event_id) + '/attempts?limit=100')).data || [];
          const last = attempts[attempts.length - 1];
          if (cell && last && last.duration_ms != null) {
            cell.textContent = last.duration_ms + ' ms';
            cell.setAttribute('data-ms', last.duration_ms);
            durations.push(last.duration_ms);
          }
        } catch {
          if (cell) cell.textContent = '?';
        }
      }));
    }
    const summary = document.getElementById('page-latency');
    if (summary && durations.length) {
      durations.sort((a, b) => a - b);
      summary.textContent = 'latency on this page: median ' + durations[Math.floor((durations.length - 1) / 2)]
        + ' ms, slowest ' + durations[durations.length - 1] + ' ms';
      summary.setAttribute('data-median', durations[Math.floor((durations.length - 1) / 2)]);
    }
  }

  try {
    await show(undefined);
  } catch (error) {
    replace(table, el('p', {class: 'error', id: 'search-error'}, errorText(error)));
  }
  await drawChart(chart, configId);
}

// ---- Chart --------------------------------------------------------------------------------------

/** The ranges the chart offers, each cut into intervals the server counts (delivery-stats). */
const RANGES = {
  hour: {label: 'last hour, per minute', length: HOUR_MS, interval: 'PT1M', step: 60_000},
  day: {label: 'last 24 hours, per hour', length: 24 * HOUR_MS, interval: 'PT1H', step: HOUR_MS},
  week: {label: 'last 7 days, per 6 hours', length: 7 * 24 * HOUR_MS, interval: 'PT6H', step: 6 * HOUR_MS},
};

/** The latest chart request per chart section: an earlier answer arriving after a later one is dropped. */
const chartRequests = new WeakMap();

async function drawChart(section, configId, rangeName = 'day') {
  const range = RANGES[rangeName];
  const request = {};
  chartRequests.set(section, request);
  // Intervals end on a whole step (the current one included), so that bars keep their place between loads.
  const to = new Date(Math.ceil((Date.now() + 1) / range.step) * range.step);
  const from = new Date(to.getTime() - range.length);
  let stats;
  try {
    stats = await deliveryStats(configId, {from, to, interval: range.interval});
  } catch (error) {
    if (chartRequests.get(section) === request) replace(section, el('p', {class: 'error'}, errorText(error)));
    return;
  }
  if (chartRequests.get(section) !== request) return; // the user chose another range meanwhile
  const picker = el('select', {id: 'chart-range', 'aria-label': 'Chart range'},
    Object.entries(RANGES).map(([name, r]) => el('option', {value: name, selected: name === rangeName}, r.label)));
  picker.addEventListener('change', () => drawChart(section, configId, picker.value));
  const total = stats.total;
  replace(section,
    el('h2', {}, 'Deliveries over time'),
    el('p', {}, picker),
    countsChart(stats.intervals, range.step),
    timeAxis(stats, range.step),
    el('p', {class: 'legend', id: 'chart-totals', 'data-succeeded': total.succeeded, 'data-failed': total.failed},
      el('span', {class: 'status-succeeded'}, total.succeeded + ' succeeded'),
      el('span', {class: 'status-failed'}, total.failed + ' failed'),
      total.skipped ? el('span', {class: 'muted'}, total.skipped + ' skipped') : '',
      total.in_progress ? el('span', {class: 'muted'}, total.in_progress + ' in progress') : ''),
    el('h2', {}, 'Latency of the attempts'),
    latencyChart(stats.intervals, range.step),
    timeAxis(stats, range.step),
    el('p', {class: 'legend', id: 'latency-totals', 'data-attempts': total.attempts,
      'data-p50': total.p50_ms ?? '', 'data-p95': total.p95_ms ?? '', 'data-max': total.max_ms ?? ''},
      total.attempts
        ? [el('span', {class: 'latency-p50'}, 'median ' + total.p50_ms + ' ms'),
           el('span', {class: 'latency-p95'}, '95th percentile ' + total.p95_ms + ' ms'),
           el('span', {}, 'slowest ' + total.max_ms + ' ms'),
           el('span', {class: 'muted'}, 'over ' + total.attempts + ' attempts')]
        : el('span', {class: 'muted'}, 'no attempts in this range')));
}

/** Both charts are drawn in a 576 x 100 box, whatever the interval count: the page scales it. */
const WIDTH = 576, HEIGHT = 100;

function intervalLabel(interval, step) {
  const start = new Date(interval.start);
  return step >= 6 * HOUR_MS
    ? start.toLocaleString([], {weekday: 'short', hour: '2-digit', minute: '2-digit'})
    : start.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'});
}

/** Under a chart: where its range starts and ends. */
function timeAxis(stats, step) {
  const last = stats.intervals[stats.intervals.length - 1];
  return el('div', {class: 'chart-axis muted'},
    el('span', {}, intervalLabel(stats.intervals[0], step)),
    el('span', {}, 'each bar or point: ' + (step >= HOUR_MS ? step / HOUR_MS + ' h' : step / 60_000 + ' min')),
    el('span', {}, intervalLabel(last, step)));
}

/** Succeeded and failed events per interval as stacked bars; every bar has its counts as a title. */
function countsChart(intervals, step) {
  const top = Math.max(1, ...intervals.map((b) => b.succeeded + b.failed));
  const bar = WIDTH / intervals.length;
  const gap = Math.min(2, bar / 6);
  const bars = intervals.flatMap((b, i) => {
    const ok = (b.succeeded / top) * HEIGHT, bad = (b.failed / top) * HEIGHT;
    const label = intervalLabel(b, step) + ': ' + b.succeeded + ' succeeded, ' + b.failed + ' failed';
    return [
      svg('rect', {class: 'bar-succeeded', x: i * bar + gap, y: HEIGHT - ok, width: bar - 2 * gap, height: ok,
        'data-succeeded': b.succeeded, 'data-start': b.start}, svg('title', {}, label)),
      svg('rect', {class: 'bar-failed', x: i * bar + gap, y: HEIGHT - ok - bad, width: bar - 2 * gap, height: bad,
        'data-failed': b.failed, 'data-start': b.start}, svg('title', {}, label)),
    ];
  });
  const succeeded = intervals.reduce((sum, b) => sum + b.succeeded, 0);
  const failed = intervals.reduce((sum, b) => sum + b.failed, 0);
  return el('div', {class: 'chart-box'}, el('span', {class: 'chart-scale muted'}, top + ' per interval'),
    svg('svg', {id: 'counts-chart', viewBox: '0 0 ' + WIDTH + ' ' + HEIGHT, role: 'img',
    'aria-label': succeeded + ' succeeded and ' + failed + ' failed in ' + intervals.length + ' intervals'}, bars));
}

/**
 * The median and the 95th percentile of each interval's attempt durations as two lines, with a dot
 * per interval that had attempts (intervals without attempts break no line: they are skipped).
 */
function latencyChart(intervals, step) {
  const measured = intervals.map((b, i) => ({b, i})).filter(({b}) => b.attempts > 0);
  const top = Math.max(1, ...measured.map(({b}) => b.p95_ms));
  const x = (i) => (i + 0.5) * (WIDTH / intervals.length);
  const y = (ms) => HEIGHT - (ms / top) * (HEIGHT - 4) - 2;
  const line = (key, cls) => svg('polyline', {class: cls, fill: 'none',
    points: measured.map(({b, i}) => x(i) + ',' + y(b[key])).join(' ')});
  const dots = measured.map(({b, i}) => svg('circle', {class: 'latency-point', cx: x(i), cy: y(b.p50_ms), r: 2.5,
    'data-start': b.start, 'data-p50': b.p50_ms, 'data-p95': b.p95_ms, 'data-max': b.max_ms, 'data-attempts': b.attempts},
    svg('title', {}, intervalLabel(b, step) + ': median ' + b.p50_ms + ' ms, 95th percentile ' + b.p95_ms
      + ' ms, slowest ' + b.max_ms + ' ms, ' + b.attempts + ' attempts')));
  return el('div', {class: 'chart-box'}, el('span', {class: 'chart-scale muted'}, measured.length ? top + ' ms' : ''),
    svg('svg', {id: 'latency-chart', viewBox: '0 0 ' + WIDTH + ' ' + HEIGHT, role: 'img',
    'aria-label': 'Attempt latency per interval, median and 95th percentile, up to ' + top + ' ms'},
    line('p95_ms', 'line-p95'), line('p50_ms', 'line-p50'), dots));
}

// ---- Event detail -------------------------------------------------------------------------------

export async function eventScreen(main, configId, eventId) {
  const event = await call('GET', path.event(configId, eventId));
  const attempts = await call('GET', path.event(configId, eventId) + '/attempts?limit=100').catch(() => ({data: []}));
  const payload = pretty(event.payload);
  const response = event.http_response || {};
  const reapply = el('input', {type: 'checkbox', id: 'replay-reapply', disabled: event.can_reapply_transform === false});
  const replayResult = el('p', {id: 'replay-result', role: 'status'});
  const payloadBox = el('pre', {id: 'payload'}, payload);
  replace(main,
    el('h1', {}, 'Event ', el('span', {class: 'mono', id: 'event-id'}, event.event_id)),
    el('p', {}, el('a', {href: '#/configs/' + encodeURIComponent(configId) + '/events', id: 'back-to-log'}, '← Event log')),
    el('dl', {},
      el('dt', {}, 'Status'), el('dd', {id: 'event-status', class: 'status-' + event.status}, event.status || ''),
      el('dt', {}, 'Event'), el('dd', {class: 'mono'}, event.event_name || ''),
      el('dt', {}, 'Created'), el('dd', {}, time(event.created_at)),
      el('dt', {}, 'URL'), el('dd', {class: 'mono'}, event.url || '')),
    el('h2', {}, 'Payload as sent'),
    el('div', {class: 'actions'}, el('button', {type: 'button', id: 'copy-payload', onclick: async () => {
      try {
        await navigator.clipboard.writeText(event.payload || '');
        flash('Payload copied');
      } catch {
        // No permission (or no clipboard at all): the payload selected is one key press from copied.
        window.getSelection().selectAllChildren(payloadBox);
        flash('The browser refused the clipboard: the payload is selected, copy it with the keyboard');
      }
    }}, 'Copy payload')),
    payloadBox,
    el('h2', {}, 'Response'),
    el('p', {id: 'response-status'}, response.status_code != null ? 'HTTP ' + response.status_code : 'No HTTP status',
      response.code ? ' (' + response.code + ')' : ''),
    // The engine keeps a JSON object answer as `body` and any other answer (or its error) as `message`.
    el('pre', {id: 'response-body'}, response.body != null ? pretty(response.body) : response.message || ''),
    el('h2', {}, 'Attempts'),
    el('div', {class: 'table-wrap'}, labelCells(el('table', {id: 'attempts'},
      el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, 'Started'), el('th', {}, 'Duration'),
        el('th', {}, 'Status'), el('th', {}, 'Response'))),
      el('tbody', {}, (attempts.data || []).map((a) => el('tr', {},
        el('td', {}, String(a.attempt)), el('td', {}, time(a.started_at)),
        el('td', {}, a.duration_ms != null ? a.duration_ms + ' ms' : ''),
        el('td', {}, a.status_code != null ? String(a.status_code) : (a.code || '')),
        el('td', {class: 'mono'}, a.response_excerpt ?? a.error ?? ''))))))),
    el('h2', {}, 'Replay'),
    el('div', {class: 'actions'},
      el('button', {type: 'button', id: 'replay', onclick: async () => {
        try {
          await call('POST', path.event(configId, eventId) + '/replay', {reapply_transform: reapply.checked});
          replayResult.textContent = 'Replayed as a new event: see the event log.';
        } catch (error) {
          replayResult.textContent = errorText(error);
        }
      }}, 'Replay'),
      el('label', {}, reapply, ' reapply the transform',
        event.can_reapply_transform === false && event.can_reapply_transform_reason
          ? ' (not possible: ' + event.can_reapply_transform_reason + ')' : '')),
    replayResult);
}

// ---- Public key ---------------------------------------------------------------------------------

export async function publicKeyScreen(main, orgId) {
  const orgInput = el('input', {id: 'org-id', name: 'orgId', type: 'text', value: orgId || ''});
  const output = el('div', {id: 'public-key-output'});
  const form = el('form', {class: 'filters'}, el('label', {}, 'Organization id', orgInput),
    el('button', {type: 'submit'}, 'Show key'));
  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    try {
      const key = await call('GET', '/v1/webhooks/.well-known/public-key?orgId=' + encodeURIComponent(orgInput.value.trim()));
      replace(output,
        el('pre', {id: 'public-key'}, pretty(key)),
        el('h2', {}, 'Verifying a delivery (Node.js)'),
        el('pre', {}, verificationSnippet(key)));
    } catch (error) {
      replace(output, el('p', {class: 'error'}, errorText(error)));
    }
  });
  replace(main, el('h1', {}, 'Organization public key'),
    el('p', {}, 'Deliveries carry a v1a Ed25519 signature made with the organization\'s key. '
      + 'The key is public: the organization id is the one your events carry (org_id).'),
    form, output);
}

function verificationSnippet(key) {
  const pem = key.public_key || key.publicKey || '<public key PEM>';
  return [
    "import {createPublicKey, verify} from 'node:crypto';",
    '',
    'const publicKey = createPublicKey(' + JSON.stringify(pem) + ');',
    '',
    '// headers: webhook-id, webhook-timestamp, webhook-signature ("v1a,<base64>" among others)',
    'function isGenuine(headers, rawBody) {',
    "  const signed = Buffer.from(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${rawBody}`);",
    "  return headers['webhook-signature'].split(' ')",
    "    .filter((s) => s.startsWith('v1a,'))",
    "    .some((s) => verify(null, signed, publicKey, Buffer.from(s.slice(4), 'base64')));",
    '}',
  ].join('\n');
}
