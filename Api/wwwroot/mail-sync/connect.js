// Connecting a mailbox, three ways, the recommended one first. The server validates; its 400 problems appear next to
// the field they name (aria-invalid and aria-describedby), and passwords are cleared from the form on every submit.

import { byId, setText } from './dom.js';
import { rememberViewedUser } from './session.js';

function fieldLabel(input) {
  return document.querySelector(`label[for="${input.id}"]`)?.textContent.trim() ?? input.name;
}

function describedBy(input, errorId, add) {
  const ids = new Set((input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
  if (add) ids.add(errorId);
  else ids.delete(errorId);
  if (ids.size > 0) input.setAttribute('aria-describedby', [...ids].join(' '));
  else input.removeAttribute('aria-describedby');
}

function clearErrors(form) {
  for (const input of form.querySelectorAll('[data-field]')) {
    const error = byId(`${input.id}-error`);
    setText(error, '');
    input.removeAttribute('aria-invalid');
    describedBy(input, error.id, false);
  }
  setText(form.querySelector('.form-error'), '');
}

/** Problem details' errors ({ "imap.host": ["is required."] }) next to their fields; the rest above the button. */
function showErrors(form, errors) {
  const unplaced = [];
  let first = null;
  for (const [key, messages] of Object.entries(errors)) {
    const input = form.querySelector(`[data-field="${CSS.escape(key)}"]`);
    const text = (Array.isArray(messages) ? messages : [messages]).join(' ');
    if (!input) {
      unplaced.push(`${key}: ${text}`);
      continue;
    }
    const error = byId(`${input.id}-error`);
    setText(error, `${fieldLabel(input)} ${text}`);
    input.setAttribute('aria-invalid', 'true');
    describedBy(input, error.id, true);
    first ??= input;
  }
  setText(form.querySelector('.form-error'), unplaced.join(' '));
  (first ?? form.querySelector('button[type="submit"]')).focus();
}

export function createConnect(ctx) {
  async function submit(form, body) {
    clearErrors(form);
    // Typed once, sent once: a password is never kept in the page or shown again.
    for (const input of form.querySelectorAll('input[type="password"]')) input.value = '';
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const view = await ctx.api.post(ctx.mailboxPath(), body);
      ctx.notice(view?.status === 'Pending'
        ? 'Connected. The mailbox waits for a free seat (Pending) and starts syncing when it gets one.'
        : 'Connected. The first sync is running; the status below updates by itself.');
      ctx.showMailbox(view);
      byId('mailbox-title').focus();
      ctx.refreshSoon();
    } catch (e) {
      if (e.status === 400 && e.problem?.errors) showErrors(form, e.problem.errors);
      else if (e.status !== 401) {
        setText(form.querySelector('.form-error'), e.friendly);
        button.focus();
      }
    } finally {
      button.disabled = false;
    }
  }

  byId('app-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    submit(form, { provider: 'google-app-password', email: data.get('email').trim(), password: data.get('password') });
  });

  byId('imap-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const portText = data.get('port').trim();
    // A port that is not a number is sent as it was typed, so the server names the field in its answer.
    const port = /^\d{1,6}$/.test(portText) ? Number(portText) : portText;
    submit(form, {
      provider: 'custom',
      email: data.get('email').trim(),
      username: data.get('username').trim(),
      password: data.get('password'),
      imap: { host: data.get('host').trim(), port, security: data.get('security') },
    });
  });

  // The usual port follows the security choice, unless someone typed another one.
  const security = byId('imap-security');
  const port = byId('imap-port');
  security.addEventListener('change', () => {
    if (port.value === '993' || port.value === '143' || port.value === '') port.value = security.value === 'ssl' ? '993' : '143';
  });

  /** A sign-in button: asks this service for the provider's page (binding this browser to it) and goes there. */
  function signInButton(provider, notSetUp) {
    const button = byId(`${provider}-signin`);
    const message = byId(`${provider}-message`);
    button.addEventListener('click', async () => {
      setText(message, '');
      button.disabled = true;
      try {
        const answer = await ctx.api.get(`${ctx.mailboxPath()}/${provider}/authorize`);
        if (ctx.viewed !== ctx.me) rememberViewedUser(ctx.viewed);
        location.assign(answer.url);
      } catch (e) {
        button.disabled = false;
        if (e.status === 503) setText(message, notSetUp);
        else if (e.status !== 401) setText(message, e.friendly);
      }
    });
    return () => {
      setText(message, '');
      button.disabled = false;
    };
  }
  const resetSignIns = [
    signInButton('google', 'Sign in with Google is not set up on this service. Use a Google app password or the IMAP settings below.'),
    signInButton('microsoft', 'Sign in with Microsoft is not set up on this service. Ask your administrator to register it.'),
  ];

  return {
    reset() {
      for (const form of [byId('app-form'), byId('imap-form')]) {
        clearErrors(form);
        form.reset();
      }
      for (const reset of resetSignIns) reset();
    },
  };
}
