// The public read endpoints of this service: nothing else is called.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && (problem.detail || problem.title) ? `${problem.title || ''}${problem.detail ? ` – ${problem.detail}` : ''} (${status})` : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** GET a JSON answer; a problem answer (RFC 9457) becomes an ApiError carrying it. */
export async function get(path, params) {
  // German labels from the API whatever the browser's language: the page translates them itself (i18n.js).
  const response = await fetch(url(path, params), { headers: { Accept: 'application/json', 'Accept-Language': 'de' }, credentials: 'omit' });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/** The address of a read with its query (empty values left out). */
export function url(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v != null && v !== '') q.set(k, v);
  }
  const query = q.toString();
  return query ? `${path}?${query}` : path;
}

let catalog = null;
export function getCatalog() {
  catalog ??= get('/api/catalog');
  return catalog;
}
