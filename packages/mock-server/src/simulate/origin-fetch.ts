/** One answer of the origin (the reference server) as the edge or a viewer received it. */
export interface OriginReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
  /** Bytes on the wire: status line, headers and body. */
  readonly wireBytes: number;
  /** Server CPU milliseconds spent answering, from the origin's `Server-Timing: cpu;dur=…`; 0 when absent. */
  readonly cpuMs: number;
}

/** Sends a GET to the origin. */
export type OriginFetch = (path: string, headers: Readonly<Record<string, string>>) => Promise<OriginReply>;

/** Bytes of a status line and header block as HTTP/1.1 writes them. */
export function headerBytes(headers: Headers): number {
  let bytes = 'HTTP/1.1 200 OK\r\n'.length + 2;
  headers.forEach((value, name) => {
    bytes += name.length + 2 + Buffer.byteLength(value) + 2;
  });
  return bytes;
}

/** The CPU milliseconds of a `Server-Timing` header's `cpu` metric. */
export function serverCpuMs(headers: Headers): number {
  const match = /(?:^|,)\s*cpu;dur=([\d.]+)/.exec(headers.get('server-timing') ?? '');
  return match?.[1] ? Number(match[1]) : 0;
}

/** An {@link OriginFetch} over HTTP to `baseUrl`. */
export function createOriginFetch(baseUrl: string): OriginFetch {
  return async (path, headers) => {
    const response = await fetch(new URL(path, baseUrl), { headers });
    const body = new Uint8Array(await response.arrayBuffer());
    return {
      status: response.status,
      headers: response.headers,
      body,
      wireBytes: headerBytes(response.headers) + body.byteLength,
      cpuMs: serverCpuMs(response.headers),
    };
  };
}
