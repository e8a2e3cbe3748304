/** A failed API call: the stable error code and message the API answered (or `network`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Subject {
  id: string;
  token: string;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export interface CallOptions {
  subject?: Subject | null;
  body?: unknown;
  keepalive?: boolean;
}

/** The Vitrine HTTP API with the shop's public key; a subject token names whom a call is for. */
export class Api {
  private readonly base: string;

  constructor(
    base: string,
    private readonly publicKey: string,
  ) {
    this.base = base.replace(/\/+$/, '');
  }

  /** A call whose JSON answer is returned; an error answer throws `ApiError` with its code. */
  async call<T>(method: Method, path: string, opts: CallOptions = {}): Promise<T> {
    let res = await this.send(method, path, opts);
    // Over the subject's rate (a page with several widgets, quick clicks): a read is tried once
    // more after the wait the API names (at most 5 s). Writes are not repeated.
    if (res.status === 429 && method === 'GET') {
      const wait = Math.min(Number(res.headers.get('retry-after')) || 1, 5);
      await new Promise((r) => setTimeout(r, wait * 1000));
      res = await this.send(method, path, opts);
    }
    const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? 'internal', body?.error?.message ?? '');
    return body as T;
  }

  /** The raw answer (a download, say); throws only when the request could not be sent. */
  async send(method: Method, path: string, opts: CallOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.publicKey}` };
    if (opts.subject) headers['x-vitrine-subject'] = opts.subject.token;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(this.base + path, {
        method,
        headers,
        // Never cookies: the API authenticates with the key and the subject token only.
        credentials: 'omit',
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        ...(opts.keepalive ? { keepalive: true } : {}),
      });
    } catch (e) {
      throw new ApiError(0, 'network', String(e));
    }
  }
}
