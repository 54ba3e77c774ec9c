import type { Creator, Entitlement, Seller } from '@livedrop/core';
import type { Principal } from '../auth';
import { isoTime } from '../clock';
import type { Engine } from '../engine';
import { created, ok, type Handlers } from '../http/handler';
import { newId } from '../ids';
import { ApiProblem, notFound } from '../problem';
import type { Owned } from '../store';
import { paginate } from './paginate';
import { creatorTrust, sellerBaseline, sellerTrust } from './trust';

/**
 * The entitlement that lets `creatorId` sell `sellerId`'s products right now: the most recently
 * created one that has not expired on the engine's clock, or undefined when there is none.
 * Offers take their default creator commission from it.
 */
export function entitlementInForce(
  engine: Engine,
  tenantId: string,
  creatorId: string,
  sellerId: string,
): Entitlement | undefined {
  const now = engine.clock.now();
  let found: Entitlement | undefined;
  for (const record of engine.store.entitlements.values()) {
    const entitlement = record.value;
    if (record.tenantId !== tenantId || entitlement.creatorId !== creatorId || entitlement.sellerId !== sellerId)
      continue;
    if (!isInForce(entitlement, now)) continue;
    // The map keeps creation order, so the last match is the latest.
    found = entitlement;
  }
  return found;
}

/** Whether `entitlement` has not expired at `now` (epoch ms). */
export function isInForce(entitlement: Entitlement, now: number): boolean {
  return entitlement.expiresAt === null || Date.parse(entitlement.expiresAt) > now;
}

/** Whether `principal` may see the creator `id` (`record`): in its tenant, and its own one for a creator key. */
function isVisibleCreator(
  principal: Principal,
  id: string,
  record: Owned<Creator> | undefined,
): record is Owned<Creator> {
  return (
    record !== undefined &&
    record.tenantId === principal.tenantId &&
    (principal.role !== 'creator' || principal.creatorId === id)
  );
}

/** The committed creator `id` as `principal` may see it. */
function findVisibleCreator(engine: Engine, principal: Principal, id: string): Creator {
  const record = engine.store.creators.get(id);
  if (!isVisibleCreator(principal, id, record)) throw notFound('creator', id);
  return record.value;
}

/** Refuses a handle another creator of the tenant has; reads the committed creators, in the transaction that adds one. */
function assertHandleFree(engine: Engine, tenantId: string, handle: string): void {
  for (const record of engine.store.creators.values()) {
    if (record.tenantId === tenantId && record.value.handle === handle) {
      const message = `The handle "${handle}" is taken by creator ${record.value.id}; choose another handle.`;
      throw new ApiProblem('already_exists', message, { errors: [{ path: 'handle', code: 'taken', message }] });
    }
  }
}

/** Sellers, creators and the entitlements that connect them. */
export const partyHandlers = {
  async createSeller({ engine, principal, body }) {
    const seller = await engine.transact((tx) => {
      const seller: Seller = {
        id: newId('seller'),
        object: 'seller',
        name: body.name,
        // The platform's history is the baseline; the ledger adds to it from here on.
        trust: sellerTrust(body.trust?.verified ?? false, sellerBaseline(body.trust), [], tx.now),
        createdAt: isoTime(tx.now),
      };
      tx.put('sellers', seller.id, { tenantId: principal.tenantId, value: seller });
      tx.emit(principal.tenantId, 'livedrop.seller.created', seller.id, { seller });
      return seller;
    });
    return created(seller);
  },

  getSeller({ engine, principal, params }) {
    const record = engine.store.find(engine.store.sellers, params.id, principal.tenantId);
    if (!record) throw notFound('seller', params.id);
    return ok(record.value);
  },

  async createCreator({ engine, principal, body }) {
    const creator = await engine.transact((tx) => {
      // Checked in the transaction that adds the creator, so two requests cannot both take a handle.
      assertHandleFree(engine, principal.tenantId, body.handle);
      const creator: Creator = {
        id: newId('creator'),
        object: 'creator',
        handle: body.handle,
        displayName: body.displayName,
        verified: body.verified ?? false,
        trust: creatorTrust([], tx.now),
        createdAt: isoTime(tx.now),
      };
      tx.put('creators', creator.id, { tenantId: principal.tenantId, value: creator });
      tx.emit(principal.tenantId, 'livedrop.creator.created', creator.id, { creator });
      return creator;
    });
    return created(creator);
  },

  getCreator({ engine, principal, params }) {
    return ok(findVisibleCreator(engine, principal, params.id));
  },

  async createEntitlement({ engine, principal, params, body }) {
    const entitlement = await engine.transact((tx) => {
      if (!isVisibleCreator(principal, params.id, tx.get('creators', params.id))) throw notFound('creator', params.id);
      const seller = tx.get('sellers', body.sellerId);
      if (!seller || seller.tenantId !== principal.tenantId) throw notFound('seller', body.sellerId);
      const now = isoTime(tx.now);
      if (body.expiresAt !== undefined && Date.parse(body.expiresAt) <= tx.now) {
        const message = `"expiresAt" (${body.expiresAt}) is not in the future (now is ${now}); send a later time, or omit it for no expiry.`;
        throw new ApiProblem('validation_failed', message, {
          errors: [{ path: 'expiresAt', code: 'too_small', message }],
        });
      }
      const entitlement: Entitlement = {
        id: newId('entitlement'),
        object: 'entitlement',
        creatorId: params.id,
        sellerId: body.sellerId,
        commissionBps: body.commissionBps,
        contentRights: [...body.contentRights],
        priceFloor: body.priceFloor ? { ...body.priceFloor } : null,
        // Written in the server's own form, like every other timestamp it returns.
        expiresAt: body.expiresAt === undefined ? null : isoTime(Date.parse(body.expiresAt)),
        createdAt: now,
      };
      tx.put('entitlements', entitlement.id, { tenantId: principal.tenantId, value: entitlement });
      tx.emit(principal.tenantId, 'livedrop.entitlement.created', entitlement.id, { entitlement });
      return entitlement;
    });
    return created(entitlement);
  },

  listEntitlements({ engine, principal, params, query }) {
    findVisibleCreator(engine, principal, params.id);
    const entitlements: Entitlement[] = [];
    for (const record of engine.store.entitlements.values()) {
      if (record.tenantId === principal.tenantId && record.value.creatorId === params.id)
        entitlements.push(record.value);
    }
    return ok(paginate(entitlements, query));
  },
} satisfies Handlers;
