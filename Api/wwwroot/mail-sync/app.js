// The Mail Sync settings page: reads the token from the address, then shows the mailbox, the connect options, the error
// log and (for Administrators and Company Managers) the company, refreshing them every few seconds while the tab is
// visible. Only what changed is touched, so nothing flickers and keyboard focus stays where it is.

import { createApi } from './api.js';
import { createCompanyView } from './company.js';
import { createConnect } from './connect.js';
import { announce, byId, setText, show } from './dom.js';
import { renderLog } from './log.js';
import { createMailboxView } from './mailbox.js';
import { createInternalMailForm, createNeverLogView } from './never-log.js';
import { claimsOf, forgetToken, takeFromAddress, takeViewedUser, useToken } from './session.js';
import { COMPANY_ROLES, ROLES } from './statuses.js';

const REFRESH_MS = 3000;
const LOG_STEP = 10;
const LOG_MAX = 100;

const AGAIN = 'Nothing was connected. Start Sign in with Google again from this page.';
// Why Sign in with Google did not connect (the callback's reason), in words for the user.
const GOOGLE_REASONS = {
  access_denied: 'Sign in with Google was cancelled, so nothing was connected. Try again and allow access when Google asks.',
  google_refused: 'Google refused the sign-in, so nothing was connected. Try again, or use a Google app password.',
  scope_missing: 'Google did not grant access to Gmail, so nothing was connected. Sign in again and tick the box that allows access to Gmail.',
  no_offline_access: 'Google did not allow lasting access, so nothing was connected. Sign in with Google again.',
  google_failed: 'Sign in with Google did not complete, so nothing was connected. Please try again in a moment.',
  state_invalid: `The sign-in link had expired. ${AGAIN}`,
  state_used: `This sign-in was already used. ${AGAIN}`,
  browser_mismatch: `The sign-in came back in another browser than the one that started it, so nothing was connected. Start Sign in with Google in the browser where you use Mail Sync.`,
  code_missing: `Google did not send the sign-in back. ${AGAIN}`,
};

// Why Sign in with Microsoft did not connect, in Microsoft's terms.
const MICROSOFT_AGAIN = 'Nothing was connected. Start Sign in with Microsoft again from this page.';
const MICROSOFT_REASONS = {
  access_denied: 'Sign in with Microsoft was cancelled, so nothing was connected. Try again and accept when Microsoft asks for access to your mailbox.',
  admin_consent_required: 'Your Microsoft 365 administrator must approve Mail Sync before you can connect, so nothing was connected. '
    + 'Ask them to grant admin consent to Mail Sync (permission "Access mailboxes via IMAP") in Microsoft Entra, then sign in again.',
  microsoft_refused: 'Microsoft refused the sign-in, so nothing was connected. Try again, or ask your Microsoft 365 administrator whether Mail Sync is allowed.',
  microsoft_failed: 'Sign in with Microsoft did not complete, so nothing was connected. Please try again in a moment.',
  scope_missing: 'Microsoft did not grant access to the mailbox, so nothing was connected. Sign in again and accept the permission to access your mailbox.',
  no_offline_access: 'Microsoft did not allow lasting access, so nothing was connected. Sign in with Microsoft again.',
  account_unknown: 'Microsoft did not say which mailbox you signed in to, so nothing was connected. Sign in with Microsoft again.',
  state_invalid: `The sign-in link had expired. ${MICROSOFT_AGAIN}`,
  state_used: `This sign-in was already used. ${MICROSOFT_AGAIN}`,
  browser_mismatch: 'The sign-in came back in another browser than the one that started it, so nothing was connected. '
    + 'Start Sign in with Microsoft in the browser where you use Mail Sync.',
  code_missing: `Microsoft did not send the sign-in back. ${MICROSOFT_AGAIN}`,
};

function signInOutcomeText(signIn) {
  const microsoft = signIn.provider === 'microsoft';
  const name = microsoft ? 'Sign in with Microsoft' : 'Sign in with Google';
  if (signIn.reason === 'account_not_allowed') {
    const registered = signIn.expected
      ? `the address you are registered with in the CRM (${signIn.expected}). Nothing was connected. Start ${name} again and choose that account.`
      : 'the address you are registered with in the CRM, and none is registered for you. Nothing was connected. Ask your administrator.';
    return { ok: false, text: `You signed in as ${signIn.account}, but your company connects only ${registered}` };
  }
  if (signIn.outcome === 'connected' && signIn.status === 'Pending') {
    return { ok: true, text: `${name} worked. The mailbox waits for a free seat (Pending) and starts syncing when it gets one.` };
  }
  if (signIn.outcome === 'connected') {
    return { ok: true, text: `${name} worked: the ${microsoft ? 'Microsoft' : 'Google'} mailbox is connected and its first sync is running.` };
  }
  if (microsoft) return { ok: false, text: MICROSOFT_REASONS[signIn.reason] ?? `Sign in with Microsoft did not complete. ${MICROSOFT_AGAIN}` };
  return { ok: false, text: GOOGLE_REASONS[signIn.reason] ?? `Sign in with Google did not complete. ${AGAIN}` };
}

function fatal(text) {
  const box = byId('fatal');
  box.replaceChildren(text);
  show(box, true);
  show(byId('app'), false);
}

/** "ann (Administrator) · company acme": who a token names, for the user to compare. */
function identity(claims) {
  if (!claims) return 'an unreadable sign-in';
  return `${claims.sub}${claims.role ? ` (${ROLES[claims.role] ?? claims.role})` : ''} · company ${claims.company}`;
}

/**
 * A link carrying someone else's token: both identities side by side, and nothing changes unless the user chooses the
 * other one (the default button keeps who they are).
 */
function askToSwitch(known, other, signedIn) {
  const box = byId('switch');
  const stay = byId('switch-stay');
  setText(byId('switch-text'), `${signedIn ? 'You are signed in' : 'This browser was last signed in'} as ${identity(known)}. `
    + `The link you opened signs in as ${identity(claimsOf(other))}: mailboxes you connect would then belong to that user. `
    + 'Switch only if that is you.');
  setText(stay, `Stay ${known.sub}`);
  setText(byId('switch-go'), `Switch to ${claimsOf(other)?.sub ?? 'the link'}`);
  stay.addEventListener('click', () => {
    show(box, false);
    if (!signedIn) fatal('Nothing changed. Open Mail Sync from the CRM (User Menu › Settings › Mail Sync) to use your own sign-in.');
  }, { once: true });
  byId('switch-go').addEventListener('click', () => {
    useToken(other);
    location.reload();
  }, { once: true });
  show(box, true);
  stay.focus();
}

/**
 * Sign-in came back with a mail account other than the user's registered address: both shown side by side, and nothing
 * is connected unless the user confirms (a second sign-in that carries the confirmed account, so the grant of this one
 * was never kept).
 */
function askToConnectOtherAccount(ctx, signIn) {
  const box = byId('other-account');
  const cancel = byId('other-account-cancel');
  const go = byId('other-account-go');
  const provider = signIn.provider === 'microsoft' ? 'microsoft' : 'google';
  const name = provider === 'microsoft' ? 'Microsoft' : 'Google';
  const userId = signIn.userId ?? ctx.me;
  setText(byId('other-account-text'), `You signed in to ${name} as ${signIn.account}, but ${userId} is registered in the CRM as `
    + `${signIn.expected}. Its mail would sync to ${userId}'s leads' timelines. Nothing was connected. Connect ${signIn.account} `
    + 'only if it is your own mailbox.');
  setText(go, `Connect ${signIn.account}`);
  cancel.addEventListener('click', () => show(box, false), { once: true });
  go.addEventListener('click', async () => {
    go.disabled = true;
    try {
      const query = new URLSearchParams({ account: signIn.account });
      const answer = await ctx.api.get(
        `${ctx.companyPath()}/users/${encodeURIComponent(userId)}/mailbox/${provider}/authorize?${query}`);
      location.assign(answer.url);
    } catch (e) {
      go.disabled = false;
      if (e.status !== 401) ctx.notice(e.friendly, 'problem');
    }
  });
  show(box, true);
  cancel.focus();
}

function start() {
  const { token, signIn, switchTo, known } = takeFromAddress();
  if (switchTo) {
    askToSwitch(known, switchTo, Boolean(token));
    if (!token) return; // nobody is signed in here until the user chooses
  }
  const claims = token ? claimsOf(token) : null;
  if (!claims || !claims.sub || !claims.company) {
    fatal('Open Mail Sync from the CRM (User Menu › Settings › Mail Sync): this page needs the sign-in link the CRM gives it.');
    return;
  }
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now()) {
    forgetToken();
    fatal('Your sign-in has expired. Open Mail Sync again from the CRM (User Menu › Settings › Mail Sync).');
    return;
  }

  let stopped = false;
  const api = createApi(token, () => {
    stopped = true;
    forgetToken();
    fatal('Your sign-in has expired or is not valid. Open Mail Sync again from the CRM (User Menu › Settings › Mail Sync).');
  });

  const ctx = {
    api,
    me: claims.sub,
    company: claims.company,
    isAdmin: COMPANY_ROLES.has(claims.role),
    viewed: claims.sub,
    companyPath() {
      return `/v1/companies/${encodeURIComponent(this.company)}`;
    },
    mailboxPath() {
      return `${this.companyPath()}/users/${encodeURIComponent(this.viewed)}/mailbox`;
    },
  };

  setText(byId('who'), `Signed in as ${identity(claims)}`);
  show(byId('app'), true);
  show(byId('company'), ctx.isAdmin);

  const notice = byId('notice');
  ctx.notice = (text, kind = 'ok') => {
    notice.dataset.kind = kind;
    setText(notice, text);
    show(notice, true);
  };

  const mailbox = createMailboxView(ctx);
  const company = ctx.isAdmin ? createCompanyView(ctx) : null;
  const connect = createConnect(ctx);
  const userNeverLog = createNeverLogView(ctx, 'user-never-log',
    () => `${ctx.companyPath()}/users/${encodeURIComponent(ctx.viewed)}/never-log`);
  const companyNeverLog = ctx.isAdmin ? createNeverLogView(ctx, 'company-never-log', () => `${ctx.companyPath()}/never-log`) : null;
  if (ctx.isAdmin) {
    createInternalMailForm(ctx, () => `${ctx.companyPath()}/internal-mail`).load().catch((e) => ctx.notice(e.friendly, 'problem'));
  }
  let lastMailbox = '';
  let logLimit = LOG_STEP;

  ctx.showMailbox = (view) => {
    lastMailbox = JSON.stringify(view);
    mailbox.render(view, company?.queuePlace(view.userId) ?? null);
  };

  ctx.openUser = (userId) => {
    if (!ctx.isAdmin) return;
    ctx.viewed = userId;
    lastMailbox = '';
    logLimit = LOG_STEP;
    mailbox.reset();
    connect.reset();
    userNeverLog.reset();
    const mine = userId === ctx.me;
    setText(byId('mailbox-title'), mine ? 'My mailbox' : `Mailbox of ${userId}`);
    setText(byId('connect-intro'), mine
      ? 'Choose how to connect, the recommended way first. Sign in with Google is the safest for Gmail and Google Workspace, Sign in with Microsoft for Microsoft 365 and Outlook.com.'
      : `You are connecting the mailbox of ${userId} on their behalf. Sign in with Google or Microsoft is the safest way for Gmail, Google Workspace, Microsoft 365 and Outlook.com.`);
    setText(byId('log-title'), mine ? 'Error log' : `Error log of ${userId}`);
    show(byId('back-to-mine'), !mine);
    byId('log-list').replaceChildren();
    const heading = byId('mailbox-title');
    heading.scrollIntoView({ block: 'start' });
    heading.focus();
    announce(mine ? 'Showing your own mailbox.' : `Showing the mailbox of ${userId}.`);
    refreshSoon();
  };
  byId('back-to-mine').addEventListener('click', () => ctx.openUser(ctx.me));

  byId('log-more').addEventListener('click', () => {
    logLimit = Math.min(LOG_MAX, logLimit + LOG_STEP);
    refreshSoon();
  });

  // One refresh at a time; a request for another while one runs is served right after it.
  let running = false;
  let again = false;
  let timer = null;

  async function refresh() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    clearTimeout(timer);
    const viewed = ctx.viewed;
    try {
      const path = ctx.mailboxPath();
      const [view, log] = await Promise.all([
        api.get(path), api.get(`${path}/errors?limit=${logLimit}`), company?.load(), companyNeverLog?.load(),
        userNeverLog.load(),
      ]);
      if (viewed === ctx.viewed) {
        const key = JSON.stringify(view) + (company?.queuePlace(view.userId) ?? '');
        if (key !== lastMailbox) {
          lastMailbox = key;
          mailbox.render(view, company?.queuePlace(view.userId) ?? null);
        }
        renderLog(byId('log-list'), byId('log-empty'), byId('log-more'), log.items, logLimit, ctx.openUser);
      }
      if (notice.dataset.kind === 'offline') show(notice, false);
    } catch (e) {
      if (e.status !== 401) ctx.notice(e.friendly, 'offline');
    } finally {
      running = false;
      if (again) {
        again = false;
        refresh();
      } else if (!stopped && !document.hidden) {
        timer = setTimeout(refresh, REFRESH_MS);
      }
    }
  }

  function refreshSoon() {
    clearTimeout(timer);
    refresh();
  }
  ctx.refreshSoon = refreshSoon;

  // A hidden tab asks nothing; it catches up the moment it is shown again.
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) clearTimeout(timer);
    else refreshSoon();
  });
  // Back from the sign-in provider's page through the browser's back button: the page may come from the back-forward cache.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) {
      connect.reset();
      refreshSoon();
    }
  });

  const remembered = takeViewedUser();
  if (signIn?.reason === 'account_mismatch' && signIn.account && signIn.expected) {
    askToConnectOtherAccount(ctx, signIn);
  } else if (signIn) {
    const outcome = signInOutcomeText(signIn);
    ctx.notice(outcome.text, outcome.ok ? 'ok' : 'problem');
  }
  if (signIn) {
    const userId = signIn.userId ?? remembered;
    if (ctx.isAdmin && userId && userId !== ctx.me) {
      ctx.openUser(userId);
      return;
    }
  }
  refresh();
}

start();
