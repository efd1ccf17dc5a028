// The error log: newest first; each entry says when (in the viewer's time zone, exact instant on hover), what happened
// and how to fix it. Entries never change once written, so known ones are kept as they are.

import { h, syncList, timeElement } from './dom.js';

const keyOf = (entry) => `${entry.occurredAt}|${entry.code}|${entry.attempt}|${entry.userId ?? ''}`;

function buildEntry(entry, openUser) {
  const head = h('p', { class: 'entry-head' }, timeElement(entry.occurredAt));
  if (entry.userId !== undefined && entry.userId !== null) {
    head.append(' ', h('span', { class: 'entry-user' }, 'User ',
      h('button', { type: 'button', class: 'link', 'data-user': entry.userId, text: entry.userId, on: { click: () => openUser(entry.userId) } })));
  }
  return h('li', { class: 'entry', dataset: { code: entry.code } },
    head,
    h('p', { class: 'what' }, h('strong', { text: 'What happened: ' }), entry.message),
    h('p', { class: 'fix' }, h('strong', { text: 'How to fix: ' }), entry.fix),
    entry.detail ? h('p', { class: 'detail' }, h('span', { text: 'The server said: ' }), h('q', { text: entry.detail })) : null);
}

/** Shows <paramref name="items"/> in <paramref name="list"/>; the empty state and the "more" button follow. */
export function renderLog(list, empty, more, items, limit, openUser) {
  syncList(list, items, keyOf, (entry) => buildEntry(entry, openUser));
  const hasEntries = items.length > 0;
  if (list.hidden === hasEntries) list.hidden = !hasEntries;
  if (empty.hidden === !hasEntries) empty.hidden = hasEntries;
  const canHaveMore = items.length >= limit;
  if (more.hidden === canHaveMore) more.hidden = !canHaveMore;
}
