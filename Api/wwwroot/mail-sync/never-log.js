// A never-log list (the viewed user's own, or the company's): addresses and domains whose emails are never recorded.
// Adding one also removes what was already recorded with it, in the background; the list says how far that got.

import { announce, byId, h, setText, show, syncList, timeElement } from './dom.js';

const numbers = new Intl.NumberFormat();

/** <paramref name="prefix"/> names the list's elements (`${prefix}-form`, `-value`, `-error`, `-list`, `-empty`, `-removal`). */
export function createNeverLogView(ctx, prefix, path) {
  const el = (part) => byId(`${prefix}-${part}`);

  function build(item) {
    return h('li', { class: 'never-log-item' },
      h('span', { class: 'never-log-value', text: item.value }),
      h('span', { class: 'hint', text: item.kind === 'domain' ? 'whole domain, added ' : 'address, added ' }, timeElement(item.addedAt)),
      h('button', {
        type: 'button', class: 'secondary', text: 'Remove', 'aria-label': `Remove ${item.value} from the never-log list`,
        on: { click: () => remove(item.value) },
      }));
  }

  function render(list) {
    syncList(el('list'), list.items, (item) => item.value, build);
    show(el('empty'), list.items.length === 0);
    const removal = list.removal;
    const [waiting, removed] = [removal.entriesWaiting, removal.timelineEntriesRemoved];
    setText(el('removal'), waiting > 0
      ? `Removing emails already recorded for ${numbers.format(waiting)} new ${waiting === 1 ? 'entry' : 'entries'}…`
      : removed > 0 ? `${numbers.format(removed)} recorded ${removed === 1 ? 'email' : 'emails'} removed so far.` : '');
  }

  async function load() {
    const asked = path();
    const list = await ctx.api.get(asked);
    if (asked === path()) render(list); // a list asked for before an admin opened another user is not shown for them
  }

  async function remove(value) {
    try {
      await ctx.api.delete(`${path()}/${encodeURIComponent(value)}`);
      announce(`${value} removed: its emails are recorded again from now on.`);
      await load();
    } catch (e) {
      setText(el('error'), e.friendly);
    }
  }

  el('form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = el('value');
    setText(el('error'), '');
    input.removeAttribute('aria-invalid');
    try {
      const item = await ctx.api.post(path(), { value: input.value });
      input.value = '';
      announce(`${item.value} added: its emails are never recorded, and those already recorded are being removed.`);
      await load();
    } catch (e) {
      const field = e.problem?.errors?.value?.[0];
      setText(el('error'), field ? `The address or domain ${field}` : e.friendly);
      if (field) input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  });

  return { load, reset: () => { el('list').replaceChildren(); setText(el('error'), ''); } };
}

/** The company's own domains, whose colleagues are never matched as leads: read when shown and after each save. */
export function createInternalMailForm(ctx, path) {
  const [form, domains, logged, error, saved] =
    ['internal-form', 'internal-domains', 'internal-log', 'internal-error', 'internal-saved'].map(byId);

  function fill(settings) {
    domains.value = settings.domains.join('\n');
    logged.checked = settings.logInternalEmails;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setText(error, '');
    setText(saved, '');
    const list = domains.value.split(/[\s,]+/).filter((d) => d.length > 0);
    try {
      fill(await ctx.api.put(path(), { domains: list, logInternalEmails: logged.checked }));
      setText(saved, 'Saved.');
    } catch (e) {
      const errors = e.problem?.errors ?? {};
      const first = Object.entries(errors)[0];
      setText(error, first
        ? (first[0].startsWith('domains[') ? `“${list[Number.parseInt(first[0].slice(8), 10)]}” ${first[1][0]}` : `Domains ${first[1][0]}`)
        : e.friendly);
      domains.focus();
    }
  });

  return { load: async () => fill(await ctx.api.get(path())) };
}
