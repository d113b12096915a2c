// Calls to the daemon from the page. Every call sends the newest CSRF token (each answer brings a
// freshly masked one) and the session cookie; an answer 401 means the session ended.

let token = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

let onSessionEnd: () => void = () => undefined;

export const whenSessionEnds = (fn: () => void): void => {
  onSessionEnd = fn;
};

const remember = (res: Response): void => {
  const fresh = res.headers.get('x-csrf-token');
  if (fresh !== null) token = fresh;
};

const messageOf = async (res: Response): Promise<string> => {
  try {
    const body = (await res.json()) as { error?: { message?: string; code?: string } };
    return body.error?.message ?? `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
};

export const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
  const headers: Record<string, string> = { 'x-csrf-token': token, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  remember(res);
  if (res.status === 401) onSessionEnd();
  if (!res.ok) throw new ApiError(res.status, await messageOf(res));
  return (await res.json()) as T;
};

export const stream = async (url: string, signal: AbortSignal): Promise<Response> => {
  const res = await fetch(url, { credentials: 'same-origin', signal, headers: { 'x-csrf-token': token } });
  remember(res);
  if (res.status === 401) onSessionEnd();
  if (!res.ok || res.body === null) throw new ApiError(res.status, await messageOf(res));
  return res;
};

export const processUrl = (namespec: string): string => `/api/v1/processes/${encodeURIComponent(namespec)}`;
