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
  };

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
        h('td', {}, when(w.lastSeen)),
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
    { label: 'Last seen' },
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
      const data = await api('/overview');
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
        table(
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
        table(
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
      const form = h(
        'form',
        {
          class: 'inline',
          role: 'search',
          onsubmit: (event) => {
            event.preventDefault();
            const value = event.target.elements.id.value.trim();
            if (value) location.hash = `#/tasks/${encodeURIComponent(value)}`;
          },
        },
        h('label', { for: 'task-id' }, 'Task id'),
        h('input', {
          id: 'task-id',
          name: 'id',
          class: 'id mono',
          autocomplete: 'off',
          spellcheck: 'false',
          placeholder: 'e.g. 6f1c…',
          value: id || '',
        }),
        h('button', { type: 'submit', class: 'primary' }, 'Look up'),
      );
      const parts = [h('h1', {}, 'Tasks'), form];
      if (!id) {
        parts.push(
          h(
            'p',
            { class: 'note' },
            'Look a task up by id in the result backend: its state, result or traceback (and, with extendedResults, its name, arguments and worker). Press / to search.',
          ),
        );
        return parts;
      }
      const task = await api(`/tasks/${encodeURIComponent(id)}`);
      parts.push(taskView(task));
      return parts;
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

  function taskView(task) {
    const m = task.meta || {};
    const facts = [
      [
        'State',
        h(
          'span',
          { class: `badge ${STATE_BADGE[task.state] || ''}` },
          task.state,
        ),
      ],
      ['Id', h('span', { class: 'mono' }, task.id)],
      ['Name', m.name ? h('span', { class: 'mono' }, String(m.name)) : dash],
      [
        'Worker',
        m.worker ? h('span', { class: 'mono' }, String(m.worker)) : dash,
      ],
      ['Queue', m.queue ? String(m.queue) : dash],
      ['Retries', m.retries !== undefined ? String(m.retries) : dash],
      [
        'Args',
        m.args !== undefined
          ? h('span', { class: 'mono' }, json(m.args))
          : dash,
      ],
      [
        'Kwargs',
        m.kwargs !== undefined
          ? h('span', { class: 'mono' }, json(m.kwargs))
          : dash,
      ],
      ['Done', m.date_done ? String(m.date_done) : dash],
      [
        'Parent',
        m.parent_id
          ? h(
              'a',
              {
                href: `#/tasks/${encodeURIComponent(m.parent_id)}`,
                class: 'mono',
              },
              String(m.parent_id),
            )
          : dash,
      ],
      [
        'Children',
        Array.isArray(m.children) && m.children.length
          ? h('span', { class: 'mono' }, json(m.children))
          : dash,
      ],
    ];
    const readOnly = state.capabilities && state.capabilities.readOnly;
    const finished = ['SUCCESS', 'FAILURE', 'REVOKED'].includes(task.state);
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
      task.state === 'SUCCESS'
        ? [
            h('h2', {}, 'Result'),
            h(
              'div',
              { class: 'panel' },
              h('pre', { class: 'result' }, json(m.result)),
            ),
          ]
        : null,
      m.traceback
        ? [
            h('h2', {}, 'Traceback'),
            h(
              'div',
              { class: 'panel' },
              h('pre', { class: 'trace' }, String(m.traceback)),
            ),
          ]
        : null,
      task.state !== 'SUCCESS' &&
        !m.traceback &&
        m.result !== undefined &&
        m.result !== null
        ? [
            h('h2', {}, task.state === 'PROGRESS' ? 'Progress' : 'Details'),
            h('div', { class: 'panel' }, h('pre', {}, json(m.result))),
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
    );
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
    // The task page holds a search field: it refreshes on demand (r) only.
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
})();
