// Celeriac dashboard: plain JS, no build step. Every value from the server is put in the
// page as text (textContent), never as HTML, so task data cannot inject markup.
(() => {
  'use strict';

  const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
  const BASE = meta('dashboard-base');
  const CSRF = meta('csrf-token');
  const REFRESH_MS = 5000;
  const main = document.getElementById('main');
  const status = document.getElementById('status');
  const state = {
    page: '',
    arg: '',
    timer: 0,
    openQueue: null,
    capabilities: null,
    /** The Tasks page's filters and page (server-side). */
    taskFilter: { offset: 0 },
    /** Tasks per second, the last 15 minutes (one point a second). */
    series: [],
  };
  const PAGE_SIZE = 50;
  // The SVG namespace is a name, not an address: nothing is fetched from it.
  const SVG = ['http:', '', 'www.w3.org', '2000', 'svg'].join('/');

  // ---- DOM helpers ------------------------------------------------------------------

  /** h('td', { class: 'num' }, 'text', child): an element; strings become text nodes. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
      else if (key === 'class') el.className = value;
      // Through the CSSOM: the page's CSP refuses style attributes.
      else if (key === 'style') Object.assign(el.style, value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(
        child instanceof Node ? child : document.createTextNode(String(child)),
      );
    }
    return el;
  }

  const dash = '—';
  const num = (n) => (typeof n === 'number' ? n.toLocaleString() : dash);
  const json = (value) => {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  };
  const short = (text, max = 120) =>
    text.length > max ? text.slice(0, max - 1) + '…' : text;

  function ago(iso) {
    if (!iso) return dash;
    const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    const abs = Math.abs(s);
    const text =
      abs < 60
        ? `${abs}s`
        : abs < 3600
          ? `${Math.round(abs / 60)}m`
          : abs < 86400
            ? `${Math.round(abs / 3600)}h`
            : `${Math.round(abs / 86400)}d`;
    return s >= 0 ? `${text} ago` : `in ${text}`;
  }
  const when = (iso) =>
    iso
      ? h(
          'time',
          { datetime: iso, title: new Date(iso).toLocaleString() },
          ago(iso),
        )
      : dash;

  function table(columns, rows, emptyText) {
    if (rows.length === 0)
      return h(
        'div',
        { class: 'panel' },
        h('div', { class: 'empty' }, emptyText),
      );
    return h(
      'div',
      { class: 'panel' },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            columns.map((c) =>
              h('th', { class: c.num ? 'num' : '', scope: 'col' }, c.label),
            ),
          ),
        ),
        h('tbody', {}, rows),
      ),
    );
  }

  /**
   * The workers' table, marked so that heartbeats find it: a table even when empty, so
   * that a worker pushed by the stream has a place to go.
   */
  function workersTable(columns, rows, emptyText) {
    const panel = table(
      columns,
      rows.length
        ? rows
        : [
            h(
              'tr',
              { class: 'empty-row' },
              h('td', { colspan: columns.length, class: 'empty' }, emptyText),
            ),
          ],
      emptyText,
    );
    panel.dataset.workers = '';
    return panel;
  }

  function toast(text, bad) {
    const el = h(
      'div',
      { class: bad ? 'toast bad' : 'toast', role: bad ? 'alert' : 'status' },
      text,
    );
    document.getElementById('toasts').append(el);
    setTimeout(() => el.remove(), bad ? 8000 : 4000);
  }

  // ---- Server -----------------------------------------------------------------------

  async function api(path) {
    const response = await fetch(`${BASE}/api${path}`, {
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    });
    return reply(response);
  }

  async function act(path, body) {
    const response = await fetch(`${BASE}/api${path}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-csrf-token': CSRF,
      },
      body: JSON.stringify(body || {}),
    });
    return reply(response);
  }

  async function reply(response) {
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const message = Array.isArray(body.message)
        ? body.message.join('; ')
        : body.message;
      throw new Error(message || `${response.status} ${response.statusText}`);
    }
    return body;
  }

  /** Runs an action, tells how it went, refreshes the page. */
  async function run(label, action) {
    try {
      const result = await action();
      toast(typeof result === 'string' ? result : `${label}: done`);
    } catch (error) {
      toast(`${label}: ${error.message}`, true);
    }
    refresh();
  }

  // ---- Confirmation -----------------------------------------------------------------

  const dialog = document.getElementById('confirm');
  /** A modal confirmation; with `expect`, the user must type it. Resolves true on confirm. */
  function confirmAction({ title, text, expect, ok }) {
    document.getElementById('confirm-title').textContent = title;
    document.getElementById('confirm-text').textContent = text;
    document.getElementById('confirm-ok').textContent = ok || 'Confirm';
    const label = document.getElementById('confirm-typed-label');
    const typed = document.getElementById('confirm-typed');
    const okButton = document.getElementById('confirm-ok');
    label.hidden = !expect;
    typed.value = '';
    document.getElementById('confirm-expected').textContent = expect || '';
    okButton.disabled = Boolean(expect);
    typed.oninput = () => (okButton.disabled = typed.value !== expect);
    dialog.returnValue = '';
    dialog.showModal();
    (expect ? typed : document.getElementById('confirm-cancel')).focus();
    return new Promise((resolve) => {
      dialog.addEventListener(
        'close',
        () => resolve(dialog.returnValue === 'ok'),
        { once: true },
      );
    });
  }

  // ---- Pages ------------------------------------------------------------------------

  const languageBadge = (language) =>
    h(
      'span',
      { class: language === 'Python' ? 'badge info' : 'badge ok' },
      language,
    );

  function busyMeter(busy) {
    if (busy === null || busy === undefined) return dash;
    const pct = Math.round(busy * 100);
    return [
      h(
        'span',
        { class: 'meter', 'aria-hidden': 'true' },
        h('span', { style: { width: `${pct}%` } }),
      ),
      `${pct}%`,
    ];
  }

  function workerRows(workers, withActions) {
    const readOnly = state.capabilities && state.capabilities.readOnly;
    return workers.map((w) =>
      h(
        'tr',
        { 'data-node': w.node },
        h(
          'td',
          {},
          h('span', {
            class: w.online ? 'dot ok' : 'dot bad',
            title: w.online ? 'online' : 'offline',
          }),
          h('span', { class: 'mono' }, w.node),
        ),
        h(
          'td',
          {},
          languageBadge(w.language),
          h('span', { class: 'software mono' }, w.software),
        ),
        h('td', { class: 'num' }, num(w.concurrency)),
        h('td', { class: 'num' }, num(w.active)),
        h('td', { class: 'num' }, num(w.processed)),
        h('td', {}, busyMeter(w.busy)),
        h(
          'td',
          { class: 'num' },
          w.load ? w.load.map((l) => l.toFixed(2)).join(' ') : dash,
        ),
        h('td', {}, when(w.lastHeartbeat || w.lastSeen)),
        withActions
          ? h(
              'td',
              {},
              h(
                'div',
                { class: 'actions' },
                !readOnly && w.online
                  ? [
                      h(
                        'button',
                        {
                          type: 'button',
                          'data-key': `grow:${w.node}`,
                          title: 'Pool grow by one',
                          'aria-label': `Grow the pool of ${w.node}`,
                          onclick: () =>
                            run('Pool grow', () =>
                              act(
                                `/workers/${encodeURIComponent(w.node)}/pool-grow`,
                                { n: 1 },
                              ),
                            ),
                        },
                        '+1',
                      ),
                      h(
                        'button',
                        {
                          type: 'button',
                          'data-key': `shrink:${w.node}`,
                          title: 'Pool shrink by one',
                          'aria-label': `Shrink the pool of ${w.node}`,
                          onclick: () =>
                            run('Pool shrink', () =>
                              act(
                                `/workers/${encodeURIComponent(w.node)}/pool-shrink`,
                                { n: 1 },
                              ),
                            ),
                        },
                        '−1',
                      ),
                      h(
                        'button',
                        {
                          type: 'button',
                          class: 'danger',
                          'data-key': `shutdown:${w.node}`,
                          onclick: () => shutdown(w.node),
                        },
                        'Shut down',
                      ),
                    ]
                  : null,
              ),
            )
          : null,
      ),
    );
  }

  const workerColumns = (withActions) => [
    { label: 'Worker' },
    { label: 'Runs on' },
    { label: 'Concurrency', num: true },
    { label: 'Active', num: true },
    { label: 'Processed', num: true },
    { label: 'Busy' },
    { label: 'Load', num: true },
    { label: 'Last heartbeat' },
    ...(withActions ? [{ label: '' }] : []),
  ];

  async function shutdown(node) {
    const ok = await confirmAction({
      title: 'Shut down this worker?',
      text: `${node} finishes its running tasks and exits. Whatever restarts it (systemd, Kubernetes) decides whether it comes back.`,
      ok: 'Shut down',
    });
    if (ok)
      run('Shutdown', () =>
        act(`/workers/${encodeURIComponent(node)}/shutdown`),
      );
  }

  const pages = {
    async overview() {
      const [data, throughput] = await Promise.all([
        api('/overview'),
        state.series.length ? null : api('/throughput'),
      ]);
      if (throughput) state.series = throughput.series;
      state.capabilities = data.capabilities;
      const online = data.workers.filter((w) => w.online);
      const nest = online.filter((w) => w.language !== 'Python').length;
      const waiting = data.queues.reduce((sum, q) => sum + (q.ready || 0), 0);
      const dead = data.queues.reduce(
        (sum, q) => sum + (q.deadLetters || 0),
        0,
      );
      const paused = data.schedules.filter((s) => s.paused).length;
      const max = Math.max(1, ...data.queues.map((q) => q.ready || 0));
      return [
        h('h1', {}, 'Overview'),
        h(
          'div',
          { class: 'cards' },
          card(
            'Workers online',
            online.length,
            `${nest} Node.js · ${online.length - nest} Python`,
            'workers-online',
          ),
          card(
            'Tasks waiting',
            waiting,
            `in ${data.queues.length} queue${data.queues.length === 1 ? '' : 's'}`,
            'waiting',
          ),
          card(
            'Dead letters',
            data.capabilities.deadLetters ? dead : dash,
            data.capabilities.deadLetters
              ? 'to look at or replay'
              : 'not kept by this broker',
            'dead',
          ),
          card(
            'Schedules',
            data.schedules.length,
            paused ? `${paused} paused` : 'all running',
            'schedules',
          ),
        ),
        h(
          'h2',
          {},
          'Tasks per second',
          h('span', { class: 'sub' }, 'last 15 minutes, live'),
        ),
        h(
          'div',
          { class: 'panel chart', 'data-chart': 'throughput' },
          throughputChart(state.series),
        ),
        h('h2', {}, 'Queue depths'),
        data.queues.length
          ? h(
              'div',
              { class: 'panel bars' },
              data.queues.map((q) => [
                h('span', { class: 'mono' }, q.name),
                h(
                  'span',
                  {
                    class: 'track',
                    role: 'img',
                    'aria-label': `${q.name}: ${q.ready ?? 'unknown'} waiting`,
                  },
                  h('span', {
                    style: {
                      width: `${Math.round(((q.ready || 0) / max) * 100)}%`,
                    },
                  }),
                ),
                h('span', { class: 'num' }, num(q.ready)),
              ]),
            )
          : h(
              'div',
              { class: 'panel' },
              h('div', { class: 'empty' }, 'No queues known yet.'),
            ),
        h('h2', {}, 'Workers'),
        workersTable(
          workerColumns(false),
          workerRows(data.workers, false),
          'No worker answered. Start one, or check that it shares this broker.',
        ),
      ];
    },

    async workers() {
      const data = await api('/workers');
      if (!state.capabilities)
        state.capabilities = (await api('/queues')).capabilities;
      return [
        h(
          'h1',
          {},
          'Workers',
          h(
            'span',
            { class: 'sub' },
            `${data.workers.filter((w) => w.online).length} online · Nest and Python, over remote control`,
          ),
        ),
        workersTable(
          workerColumns(true),
          workerRows(data.workers, true),
          'No worker answered. Start one, or check that it shares this broker.',
        ),
      ];
    },

    async queues() {
      const data = await api('/queues');
      state.capabilities = data.capabilities;
      const caps = data.capabilities;
      const rows = data.queues.map((q) =>
        h(
          'tr',
          { 'data-queue': q.name },
          h('td', { class: 'mono' }, q.name),
          h('td', { class: 'num' }, num(q.ready)),
          h(
            'td',
            {},
            q.byPriority
              ? Object.entries(q.byPriority)
                  .filter(([, n]) => n > 0)
                  .map(([p, n]) =>
                    h(
                      'span',
                      { class: 'badge', title: `priority ${p}` },
                      `p${p}: ${n}`,
                    ),
                  )
              : dash,
          ),
          h('td', { class: 'num' }, num(q.delayed)),
          h('td', { class: 'num' }, num(q.consumers)),
          h(
            'td',
            { class: 'num' },
            q.deadLetters
              ? h('span', { class: 'badge bad' }, num(q.deadLetters))
              : num(q.deadLetters),
          ),
          h(
            'td',
            {},
            h(
              'div',
              { class: 'actions' },
              caps.deadLetters
                ? h(
                    'button',
                    {
                      type: 'button',
                      'data-key': `dl:${q.name}`,
                      'aria-expanded': String(state.openQueue === q.name),
                      onclick: () => {
                        state.openQueue =
                          state.openQueue === q.name ? null : q.name;
                        refresh();
                      },
                    },
                    'Dead letters',
                  )
                : null,
              caps.deadLetters && !caps.readOnly && q.deadLetters
                ? h(
                    'button',
                    {
                      type: 'button',
                      'data-key': `replay:${q.name}`,
                      onclick: () => replay(q),
                    },
                    'Replay',
                  )
                : null,
              caps.purge && !caps.readOnly
                ? h(
                    'button',
                    {
                      type: 'button',
                      class: 'danger',
                      'data-key': `purge:${q.name}`,
                      onclick: () => purge(q),
                    },
                    'Purge',
                  )
                : null,
            ),
          ),
        ),
      );
      const parts = [
        h('h1', {}, 'Queues'),
        table(
          [
            { label: 'Queue' },
            { label: 'Waiting', num: true },
            { label: 'By priority' },
            { label: 'Delayed', num: true },
            { label: 'Consumers', num: true },
            { label: 'Dead letters', num: true },
            { label: '' },
          ],
          rows,
          'No queues known yet.',
        ),
      ];
      if (!caps.depth)
        parts.push(
          h(
            'p',
            { class: 'note' },
            'This broker cannot be asked for queue depths.',
          ),
        );
      if (
        state.openQueue &&
        data.queues.some((q) => q.name === state.openQueue)
      ) {
        const letters = (
          await api(
            `/queues/${encodeURIComponent(state.openQueue)}/dead-letters?limit=50`,
          )
        ).deadLetters;
        parts.push(
          h(
            'h2',
            {},
            'Dead letters of ',
            h('span', { class: 'mono' }, state.openQueue),
            h('span', { class: 'sub' }, 'oldest first, up to 50'),
          ),
          table(
            [
              { label: 'Task id' },
              { label: 'Task' },
              { label: 'Reason' },
              { label: 'When' },
              { label: 'Arguments' },
            ],
            letters.map((d) =>
              h(
                'tr',
                {},
                h(
                  'td',
                  { class: 'mono' },
                  d.id
                    ? h(
                        'a',
                        { href: `#/tasks/${encodeURIComponent(d.id)}` },
                        d.id,
                      )
                    : dash,
                ),
                h('td', { class: 'mono' }, d.task || dash),
                h('td', { class: 'wrap' }, d.reason),
                h('td', {}, when(d.at)),
                h(
                  'td',
                  { class: 'mono wrap' },
                  short(`${json(d.args)} ${json(d.kwargs)}`),
                ),
              ),
            ),
            'No dead letters.',
          ),
        );
      }
      return parts;
    },

    async tasks(id) {
      if (id) {
        const task = await api(`/tasks/${encodeURIComponent(id)}`);
        return [
          h(
            'h1',
            {},
            h('a', { href: '#/tasks', class: 'crumb' }, 'Tasks'),
            ' / ',
            h('span', { class: 'mono' }, short(id, 60)),
          ),
          taskView(task),
        ];
      }
      const facets = await api('/task-facets');
      return [
        h(
          'h1',
          {},
          'Tasks',
          h('span', { class: 'sub' }, 'recent, from the task events'),
        ),
        taskFilterForm(facets),
        h('div', { id: 'task-results' }, await taskResults()),
      ];
    },

    async schedules() {
      const data = await api('/schedules');
      const readOnly = state.capabilities && state.capabilities.readOnly;
      return [
        h(
          'h1',
          {},
          'Schedules',
          h(
            'span',
            { class: 'sub' },
            'the @Periodic and runtime schedules of this app',
          ),
        ),
        table(
          [
            { label: 'Schedule' },
            { label: 'Task' },
            { label: 'When' },
            { label: 'Queue' },
            { label: 'Next run' },
            { label: 'Last run' },
            { label: 'State' },
            { label: '' },
          ],
          data.schedules.map((s) =>
            h(
              'tr',
              { 'data-schedule': s.name },
              h('td', { class: 'mono' }, s.name),
              h('td', { class: 'mono' }, s.task),
              h('td', {}, s.description),
              h('td', { class: 'mono' }, s.queue || dash),
              h('td', {}, when(s.nextRunAt)),
              h('td', {}, when(s.lastRunAt)),
              h(
                'td',
                {},
                s.paused
                  ? h('span', { class: 'badge warn' }, 'paused')
                  : h('span', { class: 'badge ok' }, 'active'),
              ),
              h(
                'td',
                {},
                readOnly
                  ? null
                  : h(
                      'div',
                      { class: 'actions' },
                      h(
                        'button',
                        {
                          type: 'button',
                          'data-key': `sched:${s.name}`,
                          onclick: () =>
                            run(s.paused ? 'Resume' : 'Pause', () =>
                              act(
                                `/schedules/${encodeURIComponent(s.name)}/${s.paused ? 'resume' : 'pause'}`,
                              ),
                            ),
                        },
                        s.paused ? 'Resume' : 'Pause',
                      ),
                    ),
              ),
            ),
          ),
          'This app has no schedules.',
        ),
      ];
    },
  };

  // ---- Tasks list --------------------------------------------------------------------

  // lib/events/task-record.ts's TASK_EVENT_STATES (this file ships without a build step,
  // so it cannot import it; test/unit/dashboard/dashboard-assets.spec.ts keeps them equal).
  const TASK_STATES = [
    'PENDING',
    'RECEIVED',
    'STARTED',
    'SUCCESS',
    'FAILURE',
    'RETRY',
    'REVOKED',
    'REJECTED',
  ];

  const toLocalInput = (seconds) => {
    if (!seconds) return '';
    const d = new Date(seconds * 1000 - new Date().getTimezoneOffset() * 60000);
    return d.toISOString().slice(0, 16);
  };
  const fromLocalInput = (text) =>
    text ? Math.floor(new Date(text).getTime() / 1000) : undefined;
  const isoOf = (seconds) =>
    typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : null;

  function taskFilterForm(facets) {
    const f = state.taskFilter;
    const field = (label, input) =>
      h('label', { class: 'field' }, label, input);
    // A text filter with the values seen so far offered as suggestions.
    const suggestedField = (label, name, value, suggestions) => [
      field(
        label,
        h('input', {
          name,
          list: `task-${name}s`,
          autocomplete: 'off',
          value: value || '',
        }),
      ),
      h(
        'datalist',
        { id: `task-${name}s` },
        suggestions.map((n) => h('option', { value: n })),
      ),
    ];
    return h(
      'form',
      {
        class: 'filters',
        role: 'search',
        'aria-label': 'Filter tasks',
        onsubmit: (event) => {
          event.preventDefault();
          const els = event.target.elements;
          const id = els.id.value.trim();
          if (id) {
            location.hash = `#/tasks/${encodeURIComponent(id)}`;
            return;
          }
          state.taskFilter = {
            name: els.name.value.trim() || undefined,
            state: els.state.value || undefined,
            worker: els.worker.value.trim() || undefined,
            from: fromLocalInput(els.from.value),
            to: fromLocalInput(els.to.value),
            offset: 0,
          };
          reloadTaskResults();
        },
      },
      field(
        'Task id',
        h('input', {
          id: 'task-id',
          name: 'id',
          class: 'id mono',
          autocomplete: 'off',
          spellcheck: 'false',
          placeholder: 'look up by id',
        }),
      ),
      ...suggestedField('Name', 'name', f.name, facets.names),
      field(
        'State',
        h(
          'select',
          { name: 'state' },
          h('option', { value: '' }, 'any'),
          TASK_STATES.map((st) =>
            h('option', { value: st, selected: f.state === st }, st),
          ),
        ),
      ),
      ...suggestedField('Worker', 'worker', f.worker, facets.workers),
      field(
        'From',
        h('input', {
          name: 'from',
          type: 'datetime-local',
          value: toLocalInput(f.from),
        }),
      ),
      field(
        'To',
        h('input', {
          name: 'to',
          type: 'datetime-local',
          value: toLocalInput(f.to),
        }),
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, 'Apply'),
        h(
          'button',
          {
            type: 'button',
            class: 'ghost',
            onclick: () => {
              state.taskFilter = { offset: 0 };
              refresh();
            },
          },
          'Clear',
        ),
      ),
    );
  }

  function taskQueryString() {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(state.taskFilter))
      if (value !== undefined && value !== '') params.set(key, String(value));
    params.set('limit', String(PAGE_SIZE));
    return params.toString();
  }

  function taskRow(t) {
    return h(
      'tr',
      { 'data-task-id': t.id },
      h(
        'td',
        { class: 'mono' },
        h(
          'a',
          { href: `#/tasks/${encodeURIComponent(t.id)}`, title: t.id },
          short(t.id, 14),
        ),
      ),
      h('td', { class: 'mono' }, t.name || dash),
      h('td', {}, stateBadge(t.state)),
      h('td', { class: 'mono' }, t.worker || dash),
      h(
        'td',
        { class: 'mono wrap' },
        short(`${t.args || ''} ${t.kwargs || ''}`.trim() || dash, 80),
      ),
      h('td', {}, when(isoOf(t.time))),
      h(
        'td',
        { class: 'num' },
        typeof t.runtime === 'number' ? `${t.runtime.toFixed(3)} s` : dash,
      ),
    );
  }

  async function taskResults() {
    const data = await api(`/tasks?${taskQueryString()}`);
    const f = state.taskFilter;
    const parts = [];
    if (data.history === null)
      parts.push(
        h(
          'p',
          { class: 'note' },
          'The task history is off (history: false): look tasks up by id.',
        ),
      );
    else if (data.taskEventsSeen === 0 && data.total === 0)
      parts.push(
        h(
          'p',
          { class: 'note', 'data-note': 'events' },
          'No task events heard yet. Workers send them only when asked: the dashboard asks them (enableEvents), or start them with events on (events: true, celery worker -E).',
        ),
      );
    const first = data.total ? f.offset + 1 : 0;
    const last = Math.min(f.offset + PAGE_SIZE, data.total);
    parts.push(
      table(
        [
          { label: 'Task id' },
          { label: 'Name' },
          { label: 'State' },
          { label: 'Worker' },
          { label: 'Arguments' },
          { label: 'Seen' },
          { label: 'Runtime', num: true },
        ],
        data.tasks.map(taskRow),
        'No task matches.',
      ),
      h(
        'div',
        { class: 'pager' },
        h(
          'button',
          {
            type: 'button',
            'data-key': 'newer',
            disabled: f.offset === 0,
            onclick: () => page(-1),
          },
          '← Newer',
        ),
        h(
          'span',
          { class: 'sub', 'data-total': data.total },
          `${num(first)}–${num(last)} of ${num(data.total)}`,
        ),
        h(
          'button',
          {
            type: 'button',
            'data-key': 'older',
            disabled: last >= data.total,
            onclick: () => page(1),
          },
          'Older →',
        ),
      ),
    );
    return parts;
  }

  function page(direction) {
    state.taskFilter.offset = Math.max(
      0,
      state.taskFilter.offset + direction * PAGE_SIZE,
    );
    reloadTaskResults();
  }

  /** Replaces the list alone: the filter form keeps what is typed in it. */
  async function reloadTaskResults() {
    const box = document.getElementById('task-results');
    if (!box) return;
    const focused =
      document.activeElement && document.activeElement.dataset
        ? document.activeElement.dataset.key
        : undefined;
    try {
      box.replaceChildren(...[await taskResults()].flat());
      if (focused) {
        const again = box.querySelector(`[data-key="${CSS.escape(focused)}"]`);
        if (again && !again.disabled) again.focus();
      }
    } catch (error) {
      box.replaceChildren(
        h('p', { class: 'note', role: 'alert' }, error.message),
      );
    }
  }

  // ---- Chart ------------------------------------------------------------------------

  const SERIES = [
    ['succeeded', 'Succeeded'],
    ['failed', 'Failed'],
    ['retried', 'Retried'],
  ];

  function svg(tag, attrs, ...children) {
    const el = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs))
      el.setAttribute(key, String(value));
    for (const child of children) el.append(child);
    return el;
  }

  /** Tasks per second by outcome, drawn by hand: one polyline per outcome. */
  function throughputChart(series) {
    const W = 900;
    const H = 160;
    const points = series.slice(-900);
    const max = Math.max(
      1,
      ...points.map((p) => Math.max(p.succeeded, p.failed, p.retried)),
    );
    const x = (i) => (points.length < 2 ? 0 : (i / (points.length - 1)) * W);
    const y = (v) => H - (v / max) * (H - 8);
    const grid = [0.25, 0.5, 0.75, 1].map((f) =>
      svg('line', {
        x1: 0,
        x2: W,
        y1: y(max * f),
        y2: y(max * f),
        class: 'grid',
      }),
    );
    const lines = SERIES.map(([key]) =>
      svg('polyline', {
        class: `line ${key}`,
        points: points
          .map((p, i) => `${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`)
          .join(' '),
      }),
    );
    const totals = SERIES.map(([key, label]) => {
      const last = points.slice(-60);
      const rate =
        last.reduce((sum, p) => sum + p[key], 0) / Math.max(1, last.length);
      return h(
        'span',
        { class: `key ${key}`, 'data-rate': key },
        h('span', { class: 'swatch', 'aria-hidden': 'true' }),
        `${label} ${rate.toFixed(1)}/s`,
      );
    });
    return [
      h(
        'div',
        { class: 'legend' },
        totals,
        h('span', { class: 'sub' }, `peak ${num(max)}/s`),
      ),
      svg(
        'svg',
        {
          viewBox: `0 0 ${W} ${H}`,
          preserveAspectRatio: 'none',
          role: 'img',
          'aria-label':
            'Tasks per second over the last 15 minutes: succeeded, failed, retried',
        },
        ...grid,
        ...lines,
      ),
      h(
        'div',
        { class: 'axis' },
        h('span', {}, '15 min ago'),
        h('span', {}, 'now'),
      ),
    ];
  }

  // ---- Live updates (server-sent events) ---------------------------------------------

  const live = document.getElementById('live');
  function startLive() {
    if (!window.EventSource) return;
    const source = new EventSource(`${BASE}/api/stream`);
    source.onopen = () => {
      live.textContent = 'Live';
      live.className = 'live on';
    };
    source.onerror = () => {
      live.textContent = 'Reconnecting…';
      live.className = 'live off';
    };
    source.addEventListener('worker', (event) =>
      onBeat(JSON.parse(event.data)),
    );
    source.addEventListener('tick', (event) => onTick(JSON.parse(event.data)));
  }

  function onBeat(beat) {
    if (state.page !== 'overview' && state.page !== 'workers') return;
    const tbody = main.querySelector('[data-workers] tbody');
    const row = main.querySelector(`tr[data-node="${CSS.escape(beat.node)}"]`);
    if (row) {
      const cells = row.querySelectorAll('td');
      if (beat.load)
        cells[6].textContent = beat.load.map((l) => l.toFixed(2)).join(' ');
      if (typeof beat.active === 'number')
        cells[3].textContent = num(beat.active);
      cells[7].replaceChildren(when(beat.lastHeartbeat));
      row.querySelector('.dot').className = beat.online ? 'dot ok' : 'dot bad';
      // What the stream last pushed into this row (tests and curious users read it).
      row.dataset.beat = beat.lastHeartbeat;
    } else if (beat.online && tbody) {
      const view = {
        node: beat.node,
        language: beat.language,
        software: beat.software,
        concurrency: null,
        active: beat.active,
        processed: beat.processed,
        busy: null,
        load: beat.load,
        lastSeen: beat.lastHeartbeat,
        lastHeartbeat: beat.lastHeartbeat,
        online: true,
      };
      const [added] = workerRows([view], state.page === 'workers');
      added.dataset.beat = beat.lastHeartbeat;
      for (const empty of tbody.querySelectorAll('.empty-row')) empty.remove();
      tbody.append(added);
      countOnline();
    }
  }

  function countOnline() {
    const value = main.querySelector('[data-card="workers-online"] .value');
    if (!value) return;
    const rows = [...main.querySelectorAll('[data-workers] tr[data-node]')];
    const online = rows.filter((r) => r.querySelector('.dot.ok'));
    const python = online.filter((r) => r.querySelector('.badge.info')).length;
    value.textContent = num(online.length);
    value.nextSibling.textContent = `${online.length - python} Node.js · ${python} Python`;
  }

  let listReload = 0;
  function onTick(tick) {
    state.series.push(tick.throughput);
    if (state.series.length > 900)
      state.series.splice(0, state.series.length - 900);
    if (state.page === 'overview') {
      const chart = main.querySelector('[data-chart="throughput"]');
      if (chart) chart.replaceChildren(...throughputChart(state.series));
    }
    if (state.page !== 'tasks' || tick.tasks.length === 0) return;
    if (state.arg) {
      if (tick.tasks.some((t) => t.id === state.arg) && !dialog.open) refresh();
      return;
    }
    let unseen = tick.more;
    for (const t of tick.tasks) {
      const row = main.querySelector(`tr[data-task-id="${CSS.escape(t.id)}"]`);
      if (row) row.replaceWith(taskRow(t));
      else unseen = true;
    }
    // New tasks land on the first page: reload it, at most once a second.
    if (unseen && state.taskFilter.offset === 0 && !listReload)
      listReload = setTimeout(() => {
        listReload = 0;
        reloadTaskResults();
      }, 1000);
  }

  function card(label, value, detail, key) {
    return h(
      'div',
      { class: 'card', 'data-card': key },
      h('div', { class: 'label' }, label),
      h(
        'div',
        { class: 'value' },
        typeof value === 'number' ? num(value) : value,
      ),
      h('div', { class: 'detail' }, detail),
    );
  }

  const STATE_BADGE = {
    SUCCESS: 'ok',
    FAILURE: 'bad',
    REVOKED: 'bad',
    RETRY: 'warn',
    STARTED: 'info',
    PROGRESS: 'info',
  };

  const stateBadge = (st) =>
    h(
      'span',
      { class: `badge ${STATE_BADGE[st] || ''}`, 'data-state': st },
      st,
    );

  const taskLink = (id) =>
    h('a', { href: `#/tasks/${encodeURIComponent(id)}`, class: 'mono' }, id);

  function taskView(task) {
    const m = task.meta || {};
    const r = task.record || {};
    const known = (value) => value !== undefined && value !== null;
    const children = [
      ...new Set([
        ...(task.children || []),
        ...(Array.isArray(m.children)
          ? m.children
              .map((c) =>
                Array.isArray(c) && Array.isArray(c[0]) ? c[0][0] : null,
              )
              .filter((c) => typeof c === 'string')
          : []),
      ]),
    ];
    const parent = m.parent_id || r.parentId;
    const facts = [
      ['State', stateBadge(task.state)],
      ['Id', h('span', { class: 'mono' }, task.id)],
      [
        'Name',
        m.name || r.name
          ? h('span', { class: 'mono' }, String(m.name || r.name))
          : dash,
      ],
      [
        'Worker',
        m.worker || r.worker
          ? h('span', { class: 'mono' }, String(m.worker || r.worker))
          : dash,
      ],
      ['Queue', m.queue || r.queue ? String(m.queue || r.queue) : dash],
      [
        'Retries',
        known(m.retries)
          ? String(m.retries)
          : known(r.retries)
            ? String(r.retries)
            : dash,
      ],
      [
        'Args',
        h(
          'span',
          { class: 'mono' },
          m.args !== undefined ? json(m.args) : r.args || dash,
        ),
      ],
      [
        'Kwargs',
        h(
          'span',
          { class: 'mono' },
          m.kwargs !== undefined ? json(m.kwargs) : r.kwargs || dash,
        ),
      ],
      ['Received', r.received ? when(isoOf(r.received)) : dash],
      ['Started', r.started ? when(isoOf(r.started)) : dash],
      [
        'Runtime',
        typeof r.runtime === 'number' ? `${r.runtime.toFixed(3)} s` : dash,
      ],
      ['Done', m.date_done ? String(m.date_done) : dash],
      ['Parent', parent ? taskLink(String(parent)) : dash],
      [
        'Children',
        children.length
          ? h(
              'span',
              { class: 'links' },
              children.map((c) => [taskLink(c), ' ']),
            )
          : dash,
      ],
    ];
    const resultText =
      m.result !== undefined &&
      task.state === 'SUCCESS' &&
      m.status === 'SUCCESS'
        ? json(m.result)
        : r.result;
    const traceback = m.traceback || r.traceback;
    const readOnly = state.capabilities && state.capabilities.readOnly;
    const finished = ['SUCCESS', 'FAILURE', 'REVOKED', 'REJECTED'].includes(
      task.state,
    );
    const terminate = h('input', { type: 'checkbox', id: 'terminate' });
    return h(
      'div',
      { 'data-task': task.id },
      task.meta
        ? null
        : h(
            'p',
            { class: 'note' },
            'The result backend knows nothing of this id: it is waiting, unknown, or its result expired (PENDING).',
          ),
      h(
        'div',
        { class: 'panel' },
        h(
          'dl',
          { class: 'facts' },
          facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
        ),
      ),
      task.state === 'SUCCESS' && known(resultText)
        ? [
            h('h2', {}, 'Result'),
            h(
              'div',
              { class: 'panel' },
              h('pre', { class: 'result' }, resultText),
            ),
          ]
        : null,
      traceback || r.exception
        ? [
            h('h2', {}, 'Traceback'),
            h(
              'div',
              { class: 'panel' },
              h('pre', { class: 'trace' }, String(traceback || r.exception)),
            ),
          ]
        : null,
      task.progress
        ? [
            h(
              'h2',
              {},
              'Progress',
              h('span', { class: 'sub' }, task.progress.state),
            ),
            h('div', { class: 'panel' }, progressView(task.progress.meta)),
          ]
        : null,
      !readOnly && !finished
        ? h(
            'form',
            {
              class: 'inline revoke',
              onsubmit: async (event) => {
                event.preventDefault();
                const ok = await confirmAction({
                  title: 'Revoke this task?',
                  text: `Every worker skips ${task.id}${terminate.checked ? ', and the one running it aborts it' : ''}.`,
                  ok: 'Revoke',
                });
                if (ok)
                  run('Revoke', () =>
                    act(`/tasks/${encodeURIComponent(task.id)}/revoke`, {
                      terminate: terminate.checked,
                    }).then(() => 'Revoke sent to the workers'),
                  );
              },
            },
            h(
              'button',
              { type: 'submit', class: 'danger', id: 'revoke' },
              'Revoke',
            ),
            h('label', {}, terminate, ' terminate if running'),
          )
        : null,
      !readOnly && finished
        ? h(
            'div',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                id: 'retry',
                onclick: async () => {
                  const ok = await confirmAction({
                    title: 'Send this task again?',
                    text: `A new task ${m.name || r.name || ''} with the same arguments goes to ${m.queue || r.queue || 'its queue'}.`,
                    ok: 'Retry',
                  });
                  if (!ok) return;
                  try {
                    const sent = await act(
                      `/tasks/${encodeURIComponent(task.id)}/retry`,
                    );
                    toast(`Sent again as ${sent.id}`);
                    location.hash = `#/tasks/${encodeURIComponent(sent.id)}`;
                  } catch (error) {
                    toast(`Retry: ${error.message}`, true);
                  }
                },
              },
              'Retry',
            ),
          )
        : null,
    );
  }

  /** A custom state's meta: a bar when it says current and total, and the meta as text. */
  function progressView(meta) {
    const current =
      meta && typeof meta.current === 'number' ? meta.current : null;
    const total = meta && typeof meta.total === 'number' ? meta.total : null;
    return [
      current !== null && total
        ? h(
            'div',
            { class: 'progress' },
            busyMeter(Math.min(1, current / total)),
            ` ${num(current)} / ${num(total)}`,
          )
        : null,
      h('pre', {}, json(meta)),
    ];
  }

  async function replay(queue) {
    const ok = await confirmAction({
      title: `Replay dead letters of ${queue.name}?`,
      text: `${queue.deadLetters} message(s) go back onto ${queue.name}, unchanged (same ids).`,
      ok: 'Replay',
    });
    if (ok)
      run(
        'Replay',
        async () =>
          `Replayed ${(await act(`/queues/${encodeURIComponent(queue.name)}/dead-letters/replay`)).replayed} message(s)`,
      );
  }

  async function purge(queue) {
    const ok = await confirmAction({
      title: `Purge ${queue.name}?`,
      text: `Deletes every message waiting in ${queue.name} (${num(queue.ready)} now). This cannot be undone.`,
      expect: queue.name,
      ok: 'Purge',
    });
    if (ok)
      run(
        'Purge',
        async () =>
          `Purged ${(await act(`/queues/${encodeURIComponent(queue.name)}/purge`, { confirm: queue.name })).purged} message(s)`,
      );
  }

  // ---- Routing and refresh ----------------------------------------------------------

  function route() {
    const [page, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
    state.page = pages[page] ? page : 'overview';
    state.arg = rest.length ? decodeURIComponent(rest.join('/')) : '';
    for (const link of document.querySelectorAll('nav a')) {
      if (link.dataset.page === state.page)
        link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    document.title = `${state.page[0].toUpperCase()}${state.page.slice(1)} · ${document.querySelector('.brand').textContent}`;
    refresh(true);
  }

  let generation = 0;
  async function refresh(navigated) {
    clearTimeout(state.timer);
    const mine = ++generation;
    const page = state.page;
    status.textContent = 'updating…';
    try {
      const content = await pages[page](state.arg);
      if (mine !== generation) return;
      // Keep the focus on the same control across a refresh (keyboard users).
      const focused =
        document.activeElement && document.activeElement.dataset
          ? document.activeElement.dataset.key
          : undefined;
      const view = h('div', { 'data-view': page }, content);
      main.replaceChildren(view);
      if (focused) {
        const again = main.querySelector(`[data-key="${CSS.escape(focused)}"]`);
        if (again) again.focus();
      } else if (navigated === true) {
        main.focus({ preventScroll: true });
      }
      status.textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (error) {
      if (mine !== generation) return;
      status.textContent = 'update failed';
      main.replaceChildren(
        h(
          'div',
          { 'data-view': page },
          h('h1', {}, 'Could not load'),
          h('p', { class: 'note', role: 'alert' }, error.message),
        ),
      );
    }
    // The Tasks pages follow the stream (and `r`): they are not polled.
    if (page !== 'tasks') state.timer = setTimeout(refresh, REFRESH_MS);
  }

  // ---- Theme and keys ---------------------------------------------------------------

  const THEME_KEY = 'celeriac-dashboard-theme';
  function applyTheme(theme) {
    document.documentElement.dataset.theme = theme;
    document.getElementById('theme').textContent =
      theme === 'dark' ? 'Light theme' : 'Dark theme';
  }
  let theme =
    localStorage.getItem(THEME_KEY) ||
    (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  applyTheme(theme);
  document.getElementById('theme').addEventListener('click', () => {
    theme = theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem(THEME_KEY, theme);
    applyTheme(theme);
  });

  const PAGE_KEYS = {
    1: 'overview',
    2: 'workers',
    3: 'queues',
    4: 'tasks',
    5: 'schedules',
  };
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || dialog.open) return;
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName)) return;
    if (PAGE_KEYS[event.key]) location.hash = `#/${PAGE_KEYS[event.key]}`;
    else if (event.key === 't') document.getElementById('theme').click();
    else if (event.key === 'r') refresh();
    else if (event.key === '/') {
      event.preventDefault();
      if (state.page !== 'tasks') location.hash = '#/tasks';
      setTimeout(
        () =>
          document.getElementById('task-id') &&
          document.getElementById('task-id').focus(),
        50,
      );
    } else return;
  });

  window.addEventListener('hashchange', route);
  route();
  startLive();
})();
