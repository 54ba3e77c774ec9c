import { describe, expect, it } from 'vitest';
import { servedConformance } from './support/conformance-recorder';
import { expectStatus, startDropWorld } from './support/drop-world';

/*
 * The response check every test runs under (support/conformance-setup.ts) must itself be able to
 * fail: each case below is a response /openapi.json does not document, and one that it does.
 */

const ORIGIN = 'http://127.0.0.1:1';
const requestId = { 'request-id': 'req_abc', 'content-type': 'application/json' };
const problem = (status: number, code: string) =>
  JSON.stringify({
    type: `https://docs.livedrop.dev/errors#${code}`,
    title: 'Refused',
    status,
    detail: 'Refused.',
    code,
    requestId: 'req_abc',
  });

async function violations(method: string, path: string, status: number, headers: Record<string, string>, text = '') {
  const check = await servedConformance();
  return check.check({ method, url: `${ORIGIN}${path}` }, { status, headers: new Headers(headers), text });
}

describe('the OpenAPI conformance check', () => {
  it('passes what the server really answers', async () => {
    await using world = await startDropWorld();
    const response = await fetch(`${world.ld.url}/v1/sellers/${world.sellerId}`, {
      headers: { authorization: `Bearer ${world.keys.secretKey}` },
    });
    const check = await servedConformance();
    const text = await response.text();
    expect(
      check.check({ method: 'GET', url: response.url }, { status: response.status, headers: response.headers, text }),
    ).toEqual([]);
    expect(JSON.parse(text).id).toBe(world.sellerId);
  });

  it('fails a status the operation does not document', async () => {
    const found = await violations('POST', '/v1/sellers', 418, requestId, '{}');
    expect(found).toEqual([expect.stringContaining('status 418 is not documented for createSeller')]);
  });

  it('fails a problem whose code the operation does not list for its status', async () => {
    const found = await violations(
      'POST',
      '/v1/creators',
      409,
      { ...requestId, 'content-type': 'application/problem+json' },
      problem(409, 'sold_out'),
    );
    expect(found).toEqual([expect.stringContaining('/code must be equal to one of the allowed values')]);
  });

  it('fails a missing required header, a bad header value and an API header it does not document', async () => {
    await using world = await startDropWorld();
    const seller = await expectStatus(world.api.get(`/v1/sellers/${world.sellerId}`));
    const body = JSON.stringify(seller);
    expect(
      await violations('GET', `/v1/sellers/${world.sellerId}`, 200, { 'content-type': 'application/json' }, body),
    ).toEqual([expect.stringContaining('the required header Request-Id is missing')]);
    expect(
      await violations('GET', `/v1/sellers/${world.sellerId}`, 200, { ...requestId, 'retry-after': '5' }, body),
    ).toEqual([expect.stringContaining('sends retry-after (5), which this response does not document')]);
    expect(
      await violations(
        'GET',
        '/v1/events',
        429,
        { ...requestId, 'content-type': 'application/problem+json', 'retry-after': 'soon' },
        problem(429, 'rate_limited'),
      ),
    ).toEqual([expect.stringContaining('header Retry-After: "soon"')]);
  });

  it('fails a content type and a body the document does not give', async () => {
    await using world = await startDropWorld();
    const path = `/v1/sellers/${world.sellerId}`;
    expect(await violations('GET', path, 200, { ...requestId, 'content-type': 'text/plain' }, 'hello')).toEqual([
      expect.stringContaining('content type text/plain is not documented'),
    ]);
    expect(await violations('GET', path, 200, requestId, JSON.stringify({ id: world.sellerId }))).toEqual([
      expect.stringContaining('the body does not match the documented schema'),
    ]);
  });

  it('lets a path the document does not have answer only a 404 problem', async () => {
    const headers = { ...requestId, 'content-type': 'application/problem+json' };
    expect(await violations('GET', '/v1/nowhere', 404, headers, problem(404, 'not_found'))).toEqual([]);
    expect(await violations('GET', '/v1/nowhere', 200, requestId, '{}')).toEqual([
      expect.stringContaining('only 404 may answer'),
    ]);
    expect(await violations('PUT', '/v1/sellers', 405, headers, problem(405, 'method_not_allowed'))).toEqual([
      expect.stringContaining('Allow'),
    ]);
  });
});
