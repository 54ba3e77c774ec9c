/** A parsed response as a test sees it. */
export interface ApiResponse<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** Options of one test request. */
export interface CallOptions {
  readonly headers?: Record<string, string>;
  /** A raw body string sent as is (malformed JSON, huge bodies). */
  readonly raw?: string;
}

/**
 * A tiny fetch wrapper for integration tests: real HTTP, the key as a bearer token, JSON in and out.
 * Deliberately not the SDK client, so server tests don't depend on it. `headers` go on every call
 * (a buyer session's `LiveDrop-Buyer-Session`).
 */
export function apiAs(baseUrl: string, key: string | undefined, headers: Record<string, string> = {}) {
  async function call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    options: CallOptions = {},
  ): Promise<ApiResponse<T>> {
    const sent: Record<string, string> = { ...headers, ...options.headers };
    if (key) sent.authorization = `Bearer ${key}`;
    let payload: string | undefined = options.raw;
    if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) sent['content-type'] ??= 'application/json';
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: sent,
      ...(payload !== undefined ? { body: payload } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // keep the text (NDJSON, SSE)
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }
  return {
    get: <T = any>(path: string, options?: CallOptions) => call<T>('GET', path, undefined, options),
    post: <T = any>(path: string, body?: unknown, options?: CallOptions) => call<T>('POST', path, body, options),
    patch: <T = any>(path: string, body?: unknown, options?: CallOptions) => call<T>('PATCH', path, body, options),
    delete: <T = any>(path: string, options?: CallOptions) => call<T>('DELETE', path, undefined, options),
  };
}

/** The API of {@link apiAs}. */
export type Api = ReturnType<typeof apiAs>;

/**
 * The browser of signed-in buyer `buyerId`: the platform mints a buyer session with its secret key
 * (as its backend would), and the page calls with the publishable key and `LiveDrop-Buyer-Session`.
 */
export async function buyerBrowser(
  baseUrl: string,
  keys: { readonly secretKey: string; readonly publishableKey: string },
  buyerId: string,
  ttlSeconds?: number,
) {
  const minted = await apiAs(baseUrl, keys.secretKey).post('/v1/buyer-sessions', {
    buyerId,
    ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
  });
  if (minted.status !== 201) throw new Error(`buyer session for ${buyerId}: ${JSON.stringify(minted.body)}`);
  const session = minted.body as { credential: string; buyerId: string; expiresAt: string };
  return Object.assign(apiAs(baseUrl, keys.publishableKey, { 'livedrop-buyer-session': session.credential }), {
    session,
  });
}
