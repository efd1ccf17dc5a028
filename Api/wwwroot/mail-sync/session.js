// The user's JWT comes in the URL fragment (#token=…), which browsers never send to a server. It is kept in this tab's
// sessionStorage and leaves the browser only in the Authorization header of API calls; the address bar is cleaned at
// once, so it is neither bookmarked, shared by copying the address, nor kept in the history.

const TOKEN_KEY = 'mailSync.token';
const VIEWED_KEY = 'mailSync.viewedUser';

/**
 * Reads what the address brings (the token, the result of Sign in with Google or Microsoft) and removes it from the address
 * bar. Returns { token, google } where google is null or { provider, outcome, status, reason, userId }.
 */
export function takeFromAddress() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  const token = fragment.get('token');
  if (token) sessionStorage.setItem(TOKEN_KEY, token);

  let google = null;
  const provider = ['google', 'microsoft'].find((name) => fragment.has(name));
  if (provider) {
    google = {
      provider, outcome: fragment.get(provider), status: fragment.get('status'), reason: fragment.get('reason'), userId: fragment.get('userId'),
    };
  } else if (query.has('mailSync')) {
    // The callback's older form: the outcome in the query string (it carries no secret).
    google = { outcome: query.get('mailSync'), status: null, reason: null, userId: query.get('userId') };
  }
  if (google) for (const name of ['google', 'microsoft', 'status', 'reason', 'userId', 'companyId']) fragment.delete(name);
  fragment.delete('token');
  if (query.has('mailSync')) for (const name of ['mailSync', 'companyId', 'userId']) query.delete(name);

  if (token || google || location.search !== '') {
    const search = query.toString();
    const hash = fragment.toString();
    history.replaceState(history.state, '', location.pathname + (search ? `?${search}` : '') + (hash ? `#${hash}` : ''));
  }
  return { token: sessionStorage.getItem(TOKEN_KEY), google };
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
