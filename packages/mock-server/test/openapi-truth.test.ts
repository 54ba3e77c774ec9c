import { describe, expect, it } from 'vitest';
import { expectStatus, startDropWorld, type DropWorld } from './support/drop-world';
import type { Api } from './support/http';

/*
 * What an independent contract fuzzer found the server doing that /openapi.json did not say
 * (issue 16): each is fixed in the server or the document so that the two agree.
 */

type Json = Record<string, any>;

async function openApi(world: DropWorld): Promise<Json> {
  return expectStatus(world.api.get('/openapi.json'));
}

function operation(document: Json, path: string, method: string): Json {
  const found = document.paths[path]?.[method];
  if (!found) throw new Error(`${method} ${path} is not in the document`);
  return found;
}

/** Follows `$ref`s into the document. */
function deref(document: Json, value: Json): Json {
  let node = value;
  while (typeof node.$ref === 'string')
    node = node.$ref
      .slice(2)
      .split('/')
      .reduce((at: Json, token: string) => at[token.replace(/~1/g, '/').replace(/~0/g, '~')], document);
  return node;
}

/** The error codes an operation documents for `status`. */
function documentedCodes(document: Json, op: Json, status: number): string[] {
  const response = op.responses[String(status)];
  if (!response) return [];
  const schema = deref(document, response).content['application/problem+json'].schema;
  return schema.allOf[1].properties.code.enum;
}

const events = async (api: Api, query = ''): Promise<string[]> =>
  (await expectStatus(api.get(`/v1/events?limit=1000${query}`))).data.map((event: { type: string }) => event.type);

describe('a taken creator handle', () => {
  it('answers 409 already_exists naming handle, changing nothing, and the document lists the code', async () => {
    await using world = await startDropWorld();
    await expectStatus(world.api.post('/v1/creators', { handle: 'mia', displayName: 'Mia' }), 201);
    const before = await events(world.api);
    const taken = await world.api.post('/v1/creators', { handle: 'mia', displayName: 'Another Mia' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('already_exists');
    expect(taken.body.errors).toEqual([expect.objectContaining({ path: 'handle' })]);
    expect(await events(world.api)).toEqual(before);

    const document = await openApi(world);
    expect(documentedCodes(document, operation(document, '/v1/creators', 'post'), 409)).toContain('already_exists');
  });
});

describe('a bad Idempotency-Key', () => {
  it('answers 400 validation_failed on a POST without a body too, changing nothing', async () => {
    await using world = await startDropWorld();
    const session = await world.session();
    const before = await events(world.api);
    for (const key of ['k'.repeat(256), '']) {
      const refused = await world.api.post(`/v1/sessions/${session.id}/start`, undefined, {
        headers: { 'idempotency-key': key },
      });
      expect(refused.status, `a key of ${key.length} characters`).toBe(400);
      expect(refused.body.code).toBe('validation_failed');
      expect(refused.body.errors[0].path).toBe('Idempotency-Key');
    }
    expect(await events(world.api)).toEqual(before);
    const fine = await world.api.post(`/v1/sessions/${session.id}/start`, undefined, {
      headers: { 'idempotency-key': 'k'.repeat(255) },
    });
    expect(fine.status).toBe(200);
  });

  it('is documented on every operation that takes the header, whose schema says 1 to 255 characters', async () => {
    await using world = await startDropWorld();
    const document = await openApi(world);
    expect(document.components.parameters.IdempotencyKey.schema).toEqual({
      type: 'string',
      minLength: 1,
      maxLength: 255,
    });
    let checked = 0;
    for (const [path, item] of Object.entries<Json>(document.paths))
      for (const [method, op] of Object.entries<Json>(item)) {
        const takesKey = (op.parameters ?? []).some(
          (parameter: Json) => parameter.$ref === '#/components/parameters/IdempotencyKey',
        );
        if (!takesKey) continue;
        checked++;
        expect(documentedCodes(document, op, 400), `${method} ${path}`).toContain('validation_failed');
      }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('If-Match (RFC 9110 §13.1.1)', () => {
  async function scheduled(world: DropWorld) {
    const session = await world.session();
    return { session, patch: (ifMatch: string) => patchSession(world.api, session.id, ifMatch) };
  }
  const patchSession = (api: Api, id: string, ifMatch: string) =>
    api.patch(`/v1/sessions/${id}`, { title: 'Renamed' }, { headers: { 'if-match': ifMatch } });

  it('accepts the ETag the server sent with the session (the strong validator of a GET)', async () => {
    await using world = await startDropWorld();
    const { session, patch } = await scheduled(world);
    const read = await world.api.get(`/v1/sessions/${session.id}`);
    const etag = read.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/);
    const changed = await patch(etag);
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.title).toBe('Renamed');

    // The same tag again is stale now: the representation changed.
    const stale = await patch(etag);
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('version_conflict');
  });

  it('accepts `*` (the object exists) and a list in which one tag matches', async () => {
    await using world = await startDropWorld();
    const { session, patch } = await scheduled(world);
    expect((await patch('*')).status).toBe(200);
    expect((await patch(`"1", "2"`)).status).toBe(200);
    const etag = (await world.api.get(`/v1/sessions/${session.id}`)).headers.get('etag')!;
    expect((await patch(`"nope", ${etag}`)).status).toBe(200);
  });

  it('never matches a weak tag (strong comparison): 412, not 400, and nothing changes', async () => {
    await using world = await startDropWorld();
    const { session, patch } = await scheduled(world);
    const etag = (await world.api.get(`/v1/sessions/${session.id}`)).headers.get('etag')!;
    for (const tag of [`W/${etag}`, 'W/"1"']) {
      const weak = await patch(tag);
      expect(weak.status, tag).toBe(412);
      expect(weak.body.code).toBe('version_conflict');
    }
    const after = await expectStatus(world.api.get(`/v1/sessions/${session.id}`));
    expect(after.session.version).toBe(1);
  });

  it('still takes the version number, bare or quoted, and `*` on an offer', async () => {
    await using world = await startDropWorld();
    const session = await world.liveSession();
    const offer = await world.liveOffer(session.id);
    const byStar = await world.api.patch(`/v1/offers/${offer.id}`, { quantity: 12 }, { headers: { 'if-match': '*' } });
    expect(byStar.status, JSON.stringify(byStar.body)).toBe(200);
    const quoted = await world.api.patch(
      `/v1/offers/${offer.id}`,
      { quantity: 13 },
      { headers: { 'if-match': `"${byStar.body.version}"` } },
    );
    expect(quoted.status).toBe(200);
    expect((await patchSession(world.api, session.id, String(session.version))).status).toBe(200);
  });

  it('refuses a header that is not an entity tag with 400 naming If-Match', async () => {
    await using world = await startDropWorld();
    const { patch } = await scheduled(world);
    const refused = await patch('version-one');
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('validation_failed');
    expect(refused.body.errors[0].path).toBe('If-Match');
  });
});

describe("listEvents' types", () => {
  it('is documented as a comma-separated (form, not exploded) array of the known event types', async () => {
    await using world = await startDropWorld();
    const document = await openApi(world);
    const types = operation(document, '/v1/events', 'get').parameters.find((p: Json) => p.name === 'types');
    expect(types).toMatchObject({ in: 'query', style: 'form', explode: false, required: false });
    expect(types.schema.type).toBe('array');
    expect(types.schema.items.enum).toContain('livedrop.seller.created');
  });

  it('filters by the types listed and refuses an unknown one naming it', async () => {
    await using world = await startDropWorld();
    await expectStatus(world.api.post('/v1/creators', { handle: 'ann', displayName: 'Ann' }), 201);
    expect(await events(world.api, '&types=livedrop.seller.created,livedrop.creator.created')).toEqual([
      'livedrop.creator.created',
      'livedrop.seller.created',
      'livedrop.creator.created',
    ]);
    const unknown = await world.api.get('/v1/events?types=livedrop.seller.created,livedrop.seller.deleted');
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('validation_failed');
    expect(unknown.body.errors[0].path).toMatch(/^query\.types/);
    expect(unknown.body.detail).toContain('livedrop.seller.deleted');
  });
});

describe('request bodies: one rule for every route', () => {
  it('refuses a null body where an object is expected, changing nothing', async () => {
    await using world = await startDropWorld();
    const session = await world.session();
    const hook = await expectStatus(
      world.api.post('/v1/webhook-endpoints', { url: 'https://hooks.example.com/a', eventTypes: ['*'] }),
      201,
    );
    const before = await events(world.api);
    const refusals = [
      await world.api.patch(`/v1/sessions/${session.id}`, undefined, { raw: 'null', headers: { 'if-match': '1' } }),
      await world.api.post(`/v1/webhook-endpoints/${hook.id}/rotate-secret`, undefined, { raw: 'null' }),
      await world.api.post('/v1/sellers', undefined, { raw: 'null' }),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('validation_failed');
      expect(refused.body.detail).toContain('object');
    }
    expect(await events(world.api)).toEqual(before);
  });

  it('takes no body as {} only where the document marks the body optional', async () => {
    await using world = await startDropWorld();
    const document = await openApi(world);
    const session = await world.session();
    const hook = await expectStatus(
      world.api.post('/v1/webhook-endpoints', { url: 'https://hooks.example.com/a', eventTypes: ['*'] }),
      201,
    );
    expect(operation(document, '/v1/sessions/{id}', 'patch').requestBody.required).toBe(false);
    expect(operation(document, '/v1/webhook-endpoints/{id}/rotate-secret', 'post').requestBody.required).toBe(false);
    expect(operation(document, '/v1/sellers', 'post').requestBody.required).toBe(true);

    const unchanged = await world.api.patch(`/v1/sessions/${session.id}`, undefined, { headers: { 'if-match': '1' } });
    expect(unchanged.status).toBe(200);
    expect(unchanged.body.version).toBe(1);
    expect((await world.api.post(`/v1/webhook-endpoints/${hook.id}/rotate-secret`)).status).toBe(200);
    const missing = await world.api.post('/v1/sellers');
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('validation_failed');
  });
});
