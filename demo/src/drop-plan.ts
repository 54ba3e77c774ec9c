import type { SplitRule } from '@livedrop/node';
import { streamOf } from './random';

/**
 * What an offer is in the script: `plain` sells out and gets a "last call" when abandoned units
 * come back; `backorder` lets buyers queue once it sells out (the seller consented); `escalated`
 * claims a discount big enough for moderation to hold it until a moderator approves it;
 * `below_floor` is priced under its floor and the API refuses it.
 */
export type OfferRole = 'plain' | 'backorder' | 'escalated' | 'below_floor';

/** Which seller an offer belongs to. */
export type SellerKey = 'northwind' | 'groove';

/** One offer of the script, before it exists on the server. */
export interface PlannedOffer {
  /** Position in the show, from 1. */
  readonly slot: number;
  readonly role: OfferRole;
  readonly seller: SellerKey;
  readonly sku: string;
  readonly title: string;
  /** Price in USD cents. */
  readonly price: number;
  readonly compareAtPrice: number | null;
  readonly priceFloor: number | null;
  /** Units in stock (0 for the refused offer, which never gets any). */
  readonly quantity: number;
  /** Units that may wait in the backorder queue (backorder offers only). */
  readonly backorderLimit: number | null;
  /** A split other than the platform default and the entitlement's commission. */
  readonly split: SplitRule | null;
  /** The buyers who rush this offer when it goes live, in buyer-id order. */
  readonly buyerIds: readonly string[];
}

/** A seller of the script. */
export interface PlannedSeller {
  readonly key: SellerKey;
  readonly name: string;
  /** The creator's commission on this seller's products, in basis points. */
  readonly commissionBps: number;
}

/** The whole script: who sells what, to how many buyers. */
export interface DropPlan {
  readonly sessionTitle: string;
  readonly creator: { readonly handle: string; readonly displayName: string };
  readonly sellers: readonly PlannedSeller[];
  readonly offers: readonly PlannedOffer[];
  readonly buyerIds: readonly string[];
  /** How long a hold lasts, in seconds (a checkout window typical of live drops). */
  readonly reservationTtlSeconds: number;
}

interface Product {
  readonly sku: string;
  readonly title: string;
  readonly price: number;
  readonly compareAtPrice: number | null;
  /** Share of the crowd that wants it, before normalising. */
  readonly appeal: number;
  /** Stock as a share of the buyers who rush it. */
  readonly stockRatio: number;
}

const HERO: Product = {
  sku: 'NW-ANC-01',
  title: 'Aurora ANC Earbuds',
  price: 7900,
  compareAtPrice: 12900,
  appeal: 0.34,
  stockRatio: 0.3,
};
const VINYL: Product = {
  sku: 'GP-LP-0417',
  title: 'Midnight Static — signed first pressing (LP)',
  price: 4500,
  compareAtPrice: null,
  appeal: 0.24,
  stockRatio: 0.16,
};
const SCARF: Product = {
  sku: 'NW-CSH-22',
  title: 'Atelier Cashmere Scarf',
  price: 3900,
  compareAtPrice: 14900,
  appeal: 0.22,
  stockRatio: 0.4,
};
const POUR_OVER = { sku: 'NW-POUR-03', title: 'Ceramic Pour-Over Set', price: 1200, priceFloor: 1800 } as const;

/** Extra offers for `--offers` above the scripted four, in show order. */
const EXTRAS: readonly Product[] = [
  {
    sku: 'NW-SOCK-3P',
    title: 'Trailhead Merino Socks (3-pack)',
    price: 2400,
    compareAtPrice: 3200,
    appeal: 0.12,
    stockRatio: 0.45,
  },
  { sku: 'NW-LAMP-B', title: 'Brass Task Lamp', price: 8900, compareAtPrice: 11900, appeal: 0.08, stockRatio: 0.35 },
  {
    sku: 'NW-MATCHA',
    title: 'Ceremonial Matcha Starter Kit',
    price: 3400,
    compareAtPrice: null,
    appeal: 0.1,
    stockRatio: 0.4,
  },
  { sku: 'NW-TOTE-W', title: 'Waxed Canvas Tote', price: 5600, compareAtPrice: 6800, appeal: 0.07, stockRatio: 0.5 },
  { sku: 'NW-BREW-T', title: 'Cold Brew Tower', price: 6900, compareAtPrice: null, appeal: 0.06, stockRatio: 0.35 },
  {
    sku: 'NW-APRON',
    title: 'Stonewashed Linen Apron',
    price: 2900,
    compareAtPrice: 3900,
    appeal: 0.08,
    stockRatio: 0.45,
  },
  {
    sku: 'NW-MUG-4',
    title: 'Enamel Camp Mugs (set of 4)',
    price: 3600,
    compareAtPrice: null,
    appeal: 0.07,
    stockRatio: 0.5,
  },
  { sku: 'NW-NOTES', title: 'Field Journal Trio', price: 1800, compareAtPrice: 2400, appeal: 0.09, stockRatio: 0.4 },
];

/** The 4-digit-or-more buyer id of buyer `n` (1-based), so ids sort in number order. */
export function buyerIdOf(n: number, total: number): string {
  return `buyer_${String(n).padStart(Math.max(5, String(total).length), '0')}`;
}

/**
 * Lays out the drop for `buyers` buyers and `offers` offers (at least 4): each buyer rushes one
 * offer, picked by the seeded dice in proportion to its appeal; stock is sized so every offer
 * sells out. The same seed and sizes always give the same plan.
 */
export function planDrop(seed: number, buyers: number, offers: number): DropPlan {
  const products = [HERO, VINYL, SCARF, ...EXTRAS.slice(0, Math.max(0, offers - 4))];
  const buyerIds = Array.from({ length: buyers }, (_, index) => buyerIdOf(index + 1, buyers));
  const dice = streamOf(seed, 'buyer-interest');
  const interested: string[][] = products.map(() => []);
  const choices = products.map((product, index) => [index, product.appeal] as const);
  for (const buyerId of buyerIds) interested[dice.weighted(choices)]!.push(buyerId);

  const planned: PlannedOffer[] = products.map((product, index) => {
    const crowd = interested[index]!;
    const role: OfferRole = product === VINYL ? 'backorder' : product === SCARF ? 'escalated' : 'plain';
    const quantity = Math.max(3, Math.round(crowd.length * product.stockRatio));
    return {
      slot: index + 1,
      role,
      seller: product === VINYL ? 'groove' : 'northwind',
      sku: product.sku,
      title: product.title,
      price: product.price,
      compareAtPrice: product.compareAtPrice,
      priceFloor: null,
      quantity,
      // The queue holds fewer than the crowd that misses out, so some buyers still see "sold out".
      backorderLimit: role === 'backorder' ? Math.max(2, Math.round(crowd.length * 0.18)) : null,
      // The escalated offer pays its creator more: a negotiated rate for a hand-picked product.
      split: role === 'escalated' ? { platformFeeBps: 800, creatorCommissionBps: 2000 } : null,
      buyerIds: crowd,
    };
  });
  planned.push({
    slot: planned.length + 1,
    role: 'below_floor',
    seller: 'northwind',
    sku: POUR_OVER.sku,
    title: POUR_OVER.title,
    price: POUR_OVER.price,
    compareAtPrice: null,
    priceFloor: POUR_OVER.priceFloor,
    quantity: 40,
    backorderLimit: null,
    split: null,
    buyerIds: [],
  });

  return {
    sessionTitle: 'Friday Night Drop',
    creator: { handle: 'maya.makes', displayName: 'Maya Makes' },
    sellers: [
      { key: 'northwind', name: 'Northwind Goods', commissionBps: 1500 },
      { key: 'groove', name: 'Groove Pressings', commissionBps: 1200 },
    ],
    offers: planned,
    buyerIds,
    reservationTtlSeconds: 300,
  };
}
