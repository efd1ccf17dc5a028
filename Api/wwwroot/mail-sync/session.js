// The user's JWT comes in the URL fragment (#token=…), which browsers never send to a server. It is kept in this tab's
// sessionStorage and leaves the browser only in the Authorization header of API calls; the address bar is cleaned at
// once, so it is neither bookmarked, shared by copying the address, nor kept in the history.

const TOKEN_KEY = 'mailSync.token';
const VIEWED_KEY = 'mailSync.viewedUser';
// Who last used the page in this browser (user and company, no secret), so a link opened in a new tab for someone else is
// noticed too.
const KNOWN_KEY = 'mailSync.lastIdentity';

/**
 * Reads what the address brings (the token, the result of Sign in with Google or Microsoft) and removes it from the address
 * bar. Returns { token, signIn, switchTo, known } where signIn is null or
 * { provider, outcome, status, reason, userId, account, expected } (account and expected: the mail account signed in with
 * and the user's registered address, when they differ);
 * switchTo is a token for someone other than known (the tab's identity, else the browser's last): it is not taken unless
 * the user confirms (useToken), so a link someone sent never silently changes whose mailbox this tab connects.
 */
export function takeFromAddress() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get('token');
  const current = sessionStorage.getItem(TOKEN_KEY);
  const known = current ? claimsOf(current) : lastIdentity();
  let switchTo = null;
  if (token && known && !sameIdentity(claimsOf(token), known)) switchTo = token;
  else if (token) useToken(token); // the first token of the browser, or a fresher one of the same user

  let signIn = null;
  const provider = ['google', 'microsoft'].find((name) => fragment.has(name));
  if (provider) {
    signIn = {
      provider, outcome: fragment.get(provider), status: fragment.get('status'), reason: fragment.get('reason'), userId: fragment.get('userId'),
      account: fragment.get('account'), expected: fragment.get('expected'),
    };
  }
  if (signIn) for (const name of ['google', 'microsoft', 'status', 'reason', 'userId', 'companyId', 'account', 'expected']) fragment.delete(name);
  fragment.delete('token');

  if (token || signIn) {
    const hash = fragment.toString();
    history.replaceState(history.state, '', location.pathname + location.search + (hash ? `#${hash}` : ''));
  }
  return { token: sessionStorage.getItem(TOKEN_KEY), signIn, switchTo, known };
}

/** Whether two sets of claims name the same user of the same company (a renewed token, not another identity). */
function sameIdentity(x, y) {
  return Boolean(x && y && x.sub === y.sub && x.company === y.company);
}

/** The user and company that last used the page in this browser, or null. */
function lastIdentity() {
  try {
    const known = JSON.parse(localStorage.getItem(KNOWN_KEY) ?? 'null');
    return known && typeof known.sub === 'string' && typeof known.company === 'string' ? known : null;
  } catch {
    return null;
  }
}

/** Takes a token for this tab (the first one, or the one the user confirmed) and remembers whose it is. */
export function useToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  const claims = claimsOf(token);
  if (claims?.sub && claims?.company) localStorage.setItem(KNOWN_KEY, JSON.stringify({ sub: claims.sub, company: claims.company }));
}

/** The token's claims (sub, company, role, exp), for display only: the server checks every call itself. */
export function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '=')), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === 'object' && claims !== null ? claims : null;
  } catch {
    return null;
  }
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** The user an admin was looking at when the browser left for Google, so the page comes back to them. */
export function rememberViewedUser(userId) {
  sessionStorage.setItem(VIEWED_KEY, userId);
}

export function takeViewedUser() {
  const userId = sessionStorage.getItem(VIEWED_KEY);
  sessionStorage.removeItem(VIEWED_KEY);
  return userId;
}
