import type { Creator, Entitlement, Seller } from '@livedrop/core';
import type { Principal } from '../auth';
import { isoTime } from '../clock';
import type { Engine } from '../engine';
import { created, ok, type Handlers } from '../http/handler';
import { newId } from '../ids';
import { ApiProblem, notFound } from '../problem';
import { paginate } from './paginate';

/**
 * The entitlement that lets `creatorId` sell `sellerId`'s products right now: the most recently
 * created one that has not expired on the engine's clock, or undefined when there is none.
 * Offers take their default creator commission from it.
 */
export function entitlementInForce(engine: Engine, tenantId: string, creatorId: string, sellerId: string): Entitlement | undefined {
  const now = engine.clock.now();
  let found: Entitlement | undefined;
  for (const record of engine.store.entitlements.values()) {
    const entitlement = record.value;
    if (record.tenantId !== tenantId || entitlement.creatorId !== creatorId || entitlement.sellerId !== sellerId) continue;
    if (entitlement.expiresAt !== null && Date.parse(entitlement.expiresAt) <= now) continue;
    // The map keeps creation order, so the last match is the latest.
    found = entitlement;
  }
  return found;
}

/** The creator `id` as `principal` may see it: in its tenant, and its own one for a creator key. */
function findVisibleCreator(engine: Engine, principal: Principal, id: string): Creator {
  const record = engine.store.find(engine.store.creators, id, principal.tenantId);
  if (!record || (principal.role === 'creator' && principal.creatorId !== id)) throw notFound('creator', id);
  return record.value;
}

/** Sellers, creators and the entitlements that connect them. */
export const partyHandlers = {
  createSeller({ engine, principal, body }) {
    const seller: Seller = {
      id: newId('seller'),
      object: 'seller',
      name: body.name,
      trust: {
        verified: body.trust?.verified ?? false,
        completedOrders: body.trust?.completedOrders ?? 0,
        disputeRate: body.trust?.disputeRate ?? 0,
      },
      createdAt: engine.nowIso(),
    };
    engine.store.sellers.set(seller.id, { tenantId: principal.tenantId, value: seller });
    engine.emit(principal.tenantId, 'livedrop.seller.created', seller.id, { seller: seller });
    return created(seller);
  },

  getSeller({ engine, principal, params }) {
    const record = engine.store.find(engine.store.sellers, params.id, principal.tenantId);
    if (!record) throw notFound('seller', params.id);
    return ok(record.value);
  },

  createCreator({ engine, principal, body }) {
    for (const record of engine.store.creators.values()) {
      if (record.tenantId === principal.tenantId && record.value.handle === body.handle) {
        const message = `The handle "${body.handle}" is taken by creator ${record.value.id}; choose another handle.`;
        throw new ApiProblem('invalid_state', message, { errors: [{ path: 'handle', code: 'taken', message }] });
      }
    }
    const creator: Creator = {
      id: newId('creator'),
      object: 'creator',
      handle: body.handle,
      displayName: body.displayName,
      verified: body.verified ?? false,
      createdAt: engine.nowIso(),
    };
    engine.store.creators.set(creator.id, { tenantId: principal.tenantId, value: creator });
    engine.emit(principal.tenantId, 'livedrop.creator.created', creator.id, { creator: creator });
    return created(creator);
  },

  getCreator({ engine, principal, params }) {
    return ok(findVisibleCreator(engine, principal, params.id));
  },

  createEntitlement({ engine, principal, params, body }) {
    findVisibleCreator(engine, principal, params.id);
    if (!engine.store.find(engine.store.sellers, body.sellerId, principal.tenantId)) throw notFound('seller', body.sellerId);
    if (body.expiresAt !== undefined && Date.parse(body.expiresAt) <= engine.clock.now()) {
      const message = `"expiresAt" (${body.expiresAt}) is not in the future (now is ${engine.nowIso()}); send a later time, or omit it for no expiry.`;
      throw new ApiProblem('validation_failed', message, { errors: [{ path: 'expiresAt', code: 'too_small', message }] });
    }
    const entitlement: Entitlement = {
      id: newId('entitlement'),
      object: 'entitlement',
      creatorId: params.id,
      sellerId: body.sellerId,
      commissionBps: body.commissionBps,
      contentRights: [...body.contentRights],
      // Written in the server's own form, like every other timestamp it returns.
      expiresAt: body.expiresAt === undefined ? null : isoTime(Date.parse(body.expiresAt)),
      createdAt: engine.nowIso(),
    };
    engine.store.entitlements.set(entitlement.id, { tenantId: principal.tenantId, value: entitlement });
    engine.emit(principal.tenantId, 'livedrop.entitlement.created', entitlement.id, { entitlement: entitlement });
    return created(entitlement);
  },

  listEntitlements({ engine, principal, params, query }) {
    findVisibleCreator(engine, principal, params.id);
    const entitlements: Entitlement[] = [];
    for (const record of engine.store.entitlements.values()) {
      if (record.tenantId === principal.tenantId && record.value.creatorId === params.id) entitlements.push(record.value);
    }
    return ok(paginate(entitlements, query));
  },
} satisfies Handlers;
