// Pure formatting and arithmetic the pages show: token amounts, quotes, APY, refunds, countdowns.
// No DOM, no network: unit-tested in test/format.test.ts.

export const WAD = 10n ** 18n;
export const HUNDRED_PERCENT = 100n * WAD; // the protocol's percentage fixed point (100 % = 100e18)
export const DASH = '—';

// A field the indexer may not serve yet (another branch adds it): shown as "—".
export function orDash<T>(value: T | null | undefined, show: (v: T) => string = String): string {
  return value === null || value === undefined ? DASH : show(value);
}

// A decimal string or bigint of base units → bigint; null for anything else (absent or malformed).
export function toBigInt(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^[0-9]{1,78}$/.test(value)) return BigInt(value);
  return null;
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// 1234567890000000000000n → "1,234.56789 ICNT" (at most `decimals` fraction digits, trailing zeros
// dropped, truncated toward zero so a balance is never shown larger than it is).
export function formatIcnt(wei: bigint | string | null | undefined, decimals = 4, unit = 'ICNT'): string {
  const v = toBigInt(wei);
  if (v === null) return DASH;
  const negative = v < 0n;
  const abs = negative ? -v : v;
  const whole = abs / WAD;
  let fraction = (abs % WAD).toString().padStart(18, '0').slice(0, decimals).replace(/0+$/, '');
  const text = group(whole.toString()) + (fraction ? '.' + fraction : '');
  return (negative ? '-' : '') + text + (unit ? ' ' + unit : '');
}

// "12.5" → 12500000000000000000n; null for malformed input or more than 18 fraction digits.
export function parseIcnt(text: string): bigint | null {
  const m = /^\s*([0-9]{1,27})(?:\.([0-9]{1,18}))?\s*$/.exec(text);
  if (!m) return null;
  return BigInt(m[1]) * WAD + BigInt((m[2] ?? '').padEnd(18, '0'));
}

// 25e18 (100 % = 100e18) → "25 %"; WAD-scaled fractions go through formatRatio.
export function formatPercent(pct: bigint | null | undefined, decimals = 2): string {
  if (pct === null || pct === undefined) return DASH;
  return formatIcnt(pct, decimals, '') + ' %';
}

// A WAD multiplier (1e18 = 1×) → "0.75×".
export function formatMultiplier(m: bigint | null | undefined): string {
  if (m === null || m === undefined) return DASH;
  return formatIcnt(m, 4, '') + '×';
}

export function shortHex(hex: string | null | undefined, keep = 6): string {
  if (!hex) return DASH;
  return hex.length <= 2 + 2 * keep ? hex : `${hex.slice(0, 2 + keep)}…${hex.slice(-keep + 2)}`;
}

// A quote as CapacityMarket.quote returns it, broken down for the Builder.
export interface Quote {
  nodeId: bigint;
  price: bigint; // escrow for the node
  margin: bigint; // to the Treasury
  total: bigint; // what book() pulls
}
export interface QuoteBreakdown {
  perUnitPerMonth: bigint; // price ÷ capacity ÷ months: the rate min(cluster max, reservation)
  marginRate: bigint; // margin ÷ price, 100 % = 100e18
  months: string; // duration in protocol months (30 days), two decimals
}
const MONTH_SECONDS = 30n * 24n * 3600n;
export function quoteBreakdown(q: Quote, capacity: bigint, durationSeconds: bigint): QuoteBreakdown {
  const perUnitPerMonth =
    capacity > 0n && durationSeconds > 0n ? (q.price * MONTH_SECONDS) / (capacity * durationSeconds) : 0n;
  const marginRate = q.price > 0n ? (q.margin * HUNDRED_PERCENT) / q.price : 0n;
  const hundredths = (durationSeconds * 100n) / MONTH_SECONDS;
  const months = `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
  return { perUnitPerMonth, marginRate, months };
}

export function daysToSeconds(days: number): bigint {
  return BigInt(Math.round(days)) * 86400n;
}

// The APY a delegation locked for some days earns now: Delegation.currentApy() × lockMultiplier(days),
// 100 % = 100e18 (both read from the chain before signing).
export function expectedApy(currentApy: bigint, multiplier: bigint): bigint {
  return (currentApy * multiplier) / WAD;
}
// What `amount` earns in a year (360 days, the protocol's year) at `apy` (100 % = 100e18).
export function yearlyReward(amount: bigint, apy: bigint): bigint {
  return (amount * apy) / HUNDRED_PERCENT;
}

// The refund a booking's Builder gets back from its DOWN eras: each booked era releases price ÷ eras
// to the node only when UP, so escrow − releases returns at expiry.
export function expectedRefund(price: bigint, eras: bigint, downEras: bigint): bigint {
  if (eras <= 0n) return 0n;
  const perEra = price / eras;
  const down = downEras > eras ? eras : downEras;
  return perEra * down;
}

// Blocks until an era ends and a block time → "1m 05s".
export function formatCountdown(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return DASH;
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(r).padStart(2, '0')}s`;
  return `${r}s`;
}

// Capacity in class units (TB for storage classes): "1,234 TB".
export function formatCapacity(units: bigint | string | null | undefined, unit = 'TB'): string {
  const v = toBigInt(units);
  return v === null ? DASH : `${group(v.toString())} ${unit}`;
}

// Counts of things by country, from a list of items with an ISO 3166-1 alpha-3 `location`.
export function countByCountry(items: { location?: string | null }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const it of items) {
    const c = it.location;
    if (typeof c === 'string' && /^[A-Z]{3}$/.test(c)) out[c] = (out[c] ?? 0) + 1;
  }
  return out;
}

// Per-era verdicts → counts for the chart's legend.
export function verdictCounts(items: { verdict?: string | null }[]): { up: number; down: number; maintenance: number } {
  const out = { up: 0, down: 0, maintenance: 0 };
  for (const it of items) {
    if (it.verdict === 'up' || it.verdict === 'down' || it.verdict === 'maintenance') out[it.verdict]++;
  }
  return out;
}

// What an HP can claim from a published leaf (cumulative) and Settlement.claimedHpRewards.
export function claimable(leafUtilisation: bigint, leafSubsidy: bigint, claimedUtilisation: bigint, claimedSubsidy: bigint): bigint {
  const u = leafUtilisation > claimedUtilisation ? leafUtilisation - claimedUtilisation : 0n;
  const s = leafSubsidy > claimedSubsidy ? leafSubsidy - claimedSubsidy : 0n;
  return u + s;
}

// A list's page size: `stored` (localStorage "icn.pageSize", e.g. set by the e2e test to see
// paging on a small devnet) when it is an integer the API accepts (1 … 500), else `fallback`.
export function pageSize(stored: string | null | undefined, fallback: number): number {
  if (typeof stored !== 'string' || !/^[0-9]{1,3}$/.test(stored)) return fallback;
  const n = Number(stored);
  return n >= 1 && n <= 500 ? n : fallback;
}

// A node's collateral movements (GET /v1/scalernodes/{id}/collateral) summed per era, newest
// era first: rewards diverted into the collateral and collateral taken by slashes.
export interface CollateralMove { era: number; kind: string; amount: string }
export interface CollateralEra { era: number; diverted: bigint; slashed: bigint }
export function collateralPerEra(moves: CollateralMove[]): CollateralEra[] {
  const byEra = new Map<number, CollateralEra>();
  for (const m of moves) {
    const amount = toBigInt(m.amount);
    if (amount === null || !Number.isSafeInteger(m.era) || (m.kind !== 'diverted' && m.kind !== 'slashed')) continue;
    const row = byEra.get(m.era) ?? { era: m.era, diverted: 0n, slashed: 0n };
    row[m.kind] += amount;
    byEra.set(m.era, row);
  }
  return [...byEra.values()].sort((a, b) => b.era - a.era);
}

// The data of the event stream's `event: reorg` message; null when malformed.
export interface ReorgNotice { from_block: number; to_block: number; block_hash: string; last_event_id: number | null }
export function parseReorg(data: string): ReorgNotice | null {
  let v: any;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  const block = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  if (!v || !block(v.from_block) || !block(v.to_block) || typeof v.block_hash !== 'string' || !/^0x[0-9a-f]{64}$/.test(v.block_hash)) return null;
  if (v.last_event_id !== null && !block(v.last_event_id)) return null;
  return { from_block: v.from_block, to_block: v.to_block, block_hash: v.block_hash, last_event_id: v.last_event_id };
}
export function formatReorg(r: ReorgNotice): string {
  return r.from_block > r.to_block
    ? `chain reorganised: blocks ${r.to_block + 1}–${r.from_block} replaced; reloaded`
    : `chain reorganised at block ${r.to_block}; reloaded`;
}

// "3, 4 7" → [3n, 4n, 7n]: Link token ids for ICNLink.stake; null when any is not a positive
// integer, or none is given, or one repeats.
export function parseTokenIds(text: string): bigint[] | null {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0 || parts.some((p) => !/^[1-9][0-9]{0,5}$/.test(p))) return null;
  const ids = parts.map((p) => BigInt(p));
  return new Set(ids).size === ids.length ? ids : null;
}

// Per-era lists (/v1/…/eras) page oldest first by era; the cursor that starts at era `first`
// (null: from the beginning). The last `count` eras up to `lastEra`: eraCursor(lastEra − count + 1).
export function eraCursor(first: bigint | number | null | undefined): string | null {
  if (first === null || first === undefined) return null;
  const f = BigInt(first);
  return f > 0n ? (f - 1n).toString() : null;
}
export function lastErasFrom(lastEra: bigint | null, count: number): bigint | null {
  if (lastEra === null) return null;
  const first = lastEra - BigInt(count) + 1n;
  return first > 0n ? first : 0n;
}
