// The company view (Administrators and Company Managers): seats, the Pending queue, every user in colour (a page at a
// time, filtered by status on the server, so 10,000 users cost one page), and the company error log. The server refuses
// these reads to other roles anyway; the page does not even ask.

import { byId, h, setText, show, syncList } from './dom.js';
import { renderLog } from './log.js';
import { statusBadge, statusOf } from './statuses.js';

const PAGE_SIZE = 25;
const QUEUE_SHOWN = 20;
const LOG_STEP = 20;
const LOG_MAX = 500;
const numbers = new Intl.NumberFormat();

export function createCompanyView(ctx) {
  const state = { filter: '', pages: [null], index: 0, next: null, logLimit: LOG_STEP, pending: [] };

  function renderOverview(overview) {
    const limit = overview.mailboxSyncLimit;
    setText(byId('seats-text'), `Seats used: ${numbers.format(overview.seatsUsed)} of ${numbers.format(limit)} (the company's mailbox sync limit)` +
      (overview.pendingCount > 0 ? `, ${numbers.format(overview.pendingCount)} waiting` : ''));
    const meter = byId('seats-meter');
    const max = String(Math.max(limit, overview.seatsUsed, 1));
    if (meter.getAttribute('max') !== max) meter.setAttribute('max', max);
    if (meter.getAttribute('value') !== String(overview.seatsUsed)) meter.setAttribute('value', String(overview.seatsUsed));

    state.pending = overview.pending;
    const shown = overview.pending.slice(0, QUEUE_SHOWN);
    syncList(byId('queue-list'), shown, (userId) => userId, (userId) =>
      h('li', {}, h('button', { type: 'button', class: 'link', 'data-user': userId, text: userId, on: { click: () => ctx.openUser(userId) } })));
    show(byId('queue-list'), shown.length > 0);
    show(byId('queue-empty'), overview.pendingCount === 0);
    const more = overview.pendingCount - shown.length;
    show(byId('queue-more'), more > 0);
    if (more > 0) setText(byId('queue-more'), `and ${numbers.format(more)} more waiting after them.`);
  }

  function buildUser(user) {
    return h('li', { class: 'user', dataset: { user: user.userId } },
      h('span', { class: 'user-name' },
        h('button', { type: 'button', class: 'link', text: user.userId, on: { click: () => ctx.openUser(user.userId) } }),
        h('span', { class: 'user-email', text: user.email ?? '' })),
      statusBadge(user.status));
  }

  function updateUser(element, user) {
    const badge = element.querySelector('.badge');
    if (badge.dataset.status !== user.status) badge.replaceWith(statusBadge(user.status));
    setText(element.querySelector('.user-email'), user.email ?? '');
  }

  function renderUsers(page) {
    syncList(byId('user-list'), page.items, (user) => user.userId, buildUser, updateUser);
    show(byId('users-empty'), page.items.length === 0);
    state.next = page.next ?? null;
    const [prev, next] = [byId('users-prev'), byId('users-next')];
    next.disabled = !state.next;
    prev.disabled = state.index === 0;
    // A pager button that just got disabled would drop keyboard focus to the page's start: hand it to the other one.
    if (document.activeElement === next && next.disabled && !prev.disabled) prev.focus();
    if (document.activeElement === prev && prev.disabled && !next.disabled) next.focus();
    setText(byId('users-page'), `Page ${state.index + 1}`);
  }

  async function load() {
    const continuation = state.pages[state.index];
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (continuation) query.set('continuation', continuation);
    if (state.filter) query.set('status', state.filter);
    const [overview, users, log] = await Promise.all([
      ctx.api.get(`${ctx.companyPath()}/mail-sync`),
      ctx.api.get(`${ctx.companyPath()}/mail-sync/users?${query}`),
      ctx.api.get(`${ctx.companyPath()}/mail-sync/errors?limit=${state.logLimit}`),
    ]);
    renderOverview(overview);
    renderUsers(users);
    renderLog(byId('company-log'), byId('company-log-empty'), byId('company-log-more'), log.items, state.logLimit, ctx.openUser);
  }

  byId('user-filter').addEventListener('change', (event) => {
    state.filter = event.currentTarget.value;
    state.pages = [null];
    state.index = 0;
    ctx.refreshSoon();
  });
  byId('users-next').addEventListener('click', () => {
    if (!state.next) return;
    state.pages = [...state.pages.slice(0, state.index + 1), state.next];
    state.index += 1;
    ctx.refreshSoon();
  });
  byId('users-prev').addEventListener('click', () => {
    if (state.index === 0) return;
    state.index -= 1;
    ctx.refreshSoon();
  });
  byId('company-log-more').addEventListener('click', () => {
    state.logLimit = Math.min(LOG_MAX, state.logLimit + LOG_STEP);
    ctx.refreshSoon();
  });

  return {
    load,
    /** The user's place in the Pending queue (1 is next), when the overview lists them. */
    queuePlace(userId) {
      const index = state.pending.indexOf(userId);
      return index >= 0 ? index + 1 : null;
    },
    statusWord: (status) => statusOf(status).word,
  };
}
