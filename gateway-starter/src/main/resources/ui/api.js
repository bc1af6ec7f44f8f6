// The gateway's JSON API, called with the session cookie; writes carry the session's CSRF token.

let csrfToken = null;
let onSignedOut = () => {};

/** An error answer: status, message, and the gateway's error fields (param, code, type). */
export class ApiError extends Error {
  constructor(status, body, text) {
    const e = body && body.error ? body.error : {};
    super(e.message || text || `HTTP ${status}`);
    this.status = status;
    this.param = e.param || null;
    this.code = e.code || null;
    this.type = e.type || null;
  }
}

export function setSession(token, signedOut) {
  csrfToken = token;
  if (signedOut) onSignedOut = signedOut;
}

/** Calls the gateway; resolves to the parsed JSON (or null), rejects with ApiError. */
export async function api(path, {method = 'GET', body, signal} = {}) {
  const headers = {Accept: 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const r = await fetch(path, {
    method, headers, signal, credentials: 'same-origin', cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!r.ok) {
    if (r.status === 401 && !path.startsWith('/ui/api/session')) onSignedOut();
    throw new ApiError(r.status, data, text);
  }
  return data;
}

/** A query string from an object, leaving out empty values; keys kept in order. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && String(v).trim() !== '') q.set(k, String(v).trim());
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
