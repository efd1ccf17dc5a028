// The public v1 API, called with the user's JWT in the Authorization header (the only place it is ever sent).

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
    this.retryAfter = retryAfter;
  }

  /** Words for the user: the problem's own detail, or a plain sentence; never a stack trace or a status code alone. */
  get friendly() {
    if (this.status === 0) return 'The Mail Sync service could not be reached. Check your connection; the page keeps trying.';
    if (this.status === 503) return 'The Mail Sync service is busy right now. The page keeps trying.';
    if (this.status === 404) return 'This mailbox or company was not found, or you have no access to it.';
    if (this.status === 403) return 'You are not allowed to do this.';
    return this.problem.detail || this.problem.title || 'Something went wrong. Please try again.';
  }
}

export function createApi(token, onUnauthorized) {
  async function send(method, path, body) {
    const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    const init = { method, headers, cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch {
      throw new ApiError(0, null, null);
    }
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (response.status === 401) {
      onUnauthorized();
      throw new ApiError(401, data, null);
    }
    if (!response.ok) {
      const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
      throw new ApiError(response.status, data, Number.isFinite(retryAfter) ? retryAfter : null);
    }
    return data;
  }

  return {
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body),
    put: (path, body) => send('PUT', path, body),
    delete: (path) => send('DELETE', path),
  };
}
