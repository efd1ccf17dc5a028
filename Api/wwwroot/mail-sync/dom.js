// Small DOM helpers: the page updates in place (only what changed), so focus and reading position stay put.

export const byId = (id) => document.getElementById(id);

export function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

export function show(element, visible) {
  if (element.hidden === visible) element.hidden = !visible;
}

/** Creates an element with properties (class, text, dataset, attributes) and children. */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'class') element.className = value;
    else if (key === 'text') element.textContent = value;
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key === 'on') for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    else element.setAttribute(key, value);
  }
  element.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** An instant in the viewer's own time zone and language; the exact ISO instant in the datetime attribute and on hover. */
export function timeElement(iso) {
  return h('time', { datetime: iso, title: iso, text: dateTime.format(new Date(iso)) });
}

/** Puts the instant into <paramref name="container"/> unless it already shows it; a dash without one. */
export function setTime(container, iso, none = '—') {
  const current = container.querySelector('time');
  if (iso) {
    if (current?.getAttribute('datetime') === iso) return;
    container.replaceChildren(timeElement(iso));
  } else if (current || container.textContent !== none) {
    container.replaceChildren(none);
  }
}

let announceTimer;

/** Says something to screen readers once (aria-live polite), without moving focus. */
export function announce(text) {
  const announcer = byId('announcer');
  clearTimeout(announceTimer);
  announcer.textContent = '';
  announceTimer = setTimeout(() => { announcer.textContent = text; }, 50);
}

/**
 * Makes <paramref name="list"/> show <paramref name="items"/> in order, reusing the element of every item whose key it
 * already shows: entries that did not change are not rebuilt, so nothing flickers and focus inside them stays.
 */
export function syncList(list, items, keyOf, build, update) {
  const existing = new Map();
  for (const child of list.children) existing.set(child.dataset.key, child);
  const seen = new Map();
  let previous = null;
  for (const item of items) {
    const base = keyOf(item);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    const key = count === 0 ? base : `${base}#${count}`;
    let element = existing.get(key);
    if (element) {
      existing.delete(key);
      update?.(element, item);
    } else {
      element = build(item);
      element.dataset.key = key;
    }
    const expected = previous ? previous.nextSibling : list.firstChild;
    if (element !== expected) list.insertBefore(element, expected);
    previous = element;
  }
  for (const stale of existing.values()) stale.remove();
}
