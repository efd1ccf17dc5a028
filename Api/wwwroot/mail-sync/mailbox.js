// "My mailbox": the status at a glance (colour, word, icon, description), the facts, and the actions.

import { announce, byId, setText, setTime, show } from './dom.js';
import { PROVIDERS, statusIcon, statusOf } from './statuses.js';

const HOLDS_SEAT = new Set(['Enabled', 'Error', 'ConnectionIssue']);
const numbers = new Intl.NumberFormat();

export function createMailboxView(ctx) {
  const card = byId('status-card');
  const badge = byId('status-badge');
  const icon = byId('status-icon');
  const actionMessage = byId('action-message');
  const syncButton = byId('sync-now');
  let shown = null; // { userId, status } of the last render, to announce changes
  let cooldownTimer = null;

  function render(view, queuePlace) {
    const info = statusOf(view.status);
    if (badge.dataset.status !== view.status) {
      badge.dataset.status = view.status;
      card.dataset.status = view.status;
      icon.replaceChildren(statusIcon(view.status));
    }
    badge.dataset.color = view.color ?? '';
    setText(byId('status-word'), info.word);
    setText(byId('status-description'), info.description);

    const place = byId('queue-place');
    const waiting = view.status === 'Pending';
    const position = view.placeInQueue ?? queuePlace;
    show(place, waiting && Number.isInteger(position));
    if (waiting && Number.isInteger(position)) {
      setText(place, position === 1
        ? 'Next in the queue: this mailbox gets the next free seat.'
        : `Number ${numbers.format(position)} in the queue for a seat.`);
    }

    const error = view.lastError;
    show(byId('last-error'), !!error);
    if (error) {
      setText(byId('last-error-message'), error.message);
      setText(byId('last-error-fix'), error.fix);
    }

    setText(byId('fact-email'), view.email ?? '—');
    setText(byId('fact-provider'), view.provider ? PROVIDERS[view.provider] ?? view.provider : '—');
    setTime(byId('fact-last-sync'), view.lastSyncAt, HOLDS_SEAT.has(view.status) ? 'Not yet' : '—');
    setText(byId('fact-messages'), numbers.format(view.messagesSynced ?? 0));
    const next = view.nextAttemptAt ?? null;
    show(byId('fact-next-row'), !!next && HOLDS_SEAT.has(view.status));
    setTime(byId('fact-next'), next);
    show(byId('fact-pending-row'), waiting && !!view.pendingSince);
    setTime(byId('fact-pending'), waiting ? view.pendingSince : null);

    show(syncButton, HOLDS_SEAT.has(view.status));
    show(byId('reconnect'), view.status !== 'NotConfigured');
    show(byId('disconnect'), view.status !== 'NotConfigured');
    setText(byId('connect-title'), view.status === 'NotConfigured' ? 'Connect a mailbox' : 'Reconnect or change the mailbox');

    if (shown && shown.userId === ctx.viewed && shown.status !== view.status) {
      announce(`Mailbox status is now ${info.word}. ${info.description}`);
    }
    shown = { userId: ctx.viewed, status: view.status };
  }

  function say(text) {
    setText(actionMessage, text);
  }

  async function syncNow() {
    say('');
    try {
      await ctx.api.post(`${ctx.mailboxPath()}/sync`);
      say('Sync started. The status here updates in a few seconds.');
      ctx.refreshSoon();
    } catch (e) {
      if (e.status === 429) {
        const seconds = e.retryAfter ?? 60;
        say(`A sync ran moments ago. You can sync again in ${seconds} second${seconds === 1 ? '' : 's'}.`);
        syncButton.disabled = true;
        clearTimeout(cooldownTimer);
        cooldownTimer = setTimeout(() => { syncButton.disabled = false; }, seconds * 1000);
      } else if (e.status !== 401) {
        say(e.friendly);
      }
    }
  }

  const dialog = byId('disconnect-dialog');
  const form = byId('disconnect-form');

  async function disconnect(event) {
    event.preventDefault();
    const keep = new FormData(form).get('keepHistory') !== 'false';
    dialog.close();
    say('');
    try {
      await ctx.api.delete(`${ctx.mailboxPath()}?keepHistory=${keep}`);
      ctx.notice(keep ? 'Mailbox disconnected. The emails already recorded stay on the leads\' timelines.'
        : 'Mailbox disconnected, and the emails it recorded are being removed from the leads\' timelines.');
      byId('mailbox-title').focus();
      ctx.refreshSoon();
    } catch (e) {
      if (e.status !== 401) say(e.friendly);
    }
  }

  syncButton.addEventListener('click', syncNow);
  byId('disconnect').addEventListener('click', () => {
    form.reset();
    dialog.showModal();
  });
  byId('disconnect-cancel').addEventListener('click', () => {
    dialog.close();
    byId('disconnect').focus();
  });
  form.addEventListener('submit', disconnect);
  byId('reconnect').addEventListener('click', () => {
    const connect = byId('connect-title');
    connect.scrollIntoView({ block: 'start' });
    connect.focus();
  });

  return {
    render,
    reset() {
      shown = null;
      say('');
      syncButton.disabled = false;
      clearTimeout(cooldownTimer);
    },
  };
}
