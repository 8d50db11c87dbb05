// The indexer's public API (docs/indexer.md, docs/openapi/indexer.yaml) and the console config it
// serves. Everything is read from the console's own origin: the indexer serves both.
import { eraCursor } from './format';

export interface DevnetAccount {
  name: string;
  address: `0x${string}`;
  private_key: `0x${string}`;
}
export interface ConsoleConfig {
  chain_id: number;
  rpc_url: string;
  deploy_block: number;
  contracts: Record<string, `0x${string}`>;
  devnet: boolean;
  accounts?: DevnetAccount[];
  satellites: number;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function getJson<T>(path: string): Promise<T> {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  let body: any = null;
  try {
    body = await r.json();
  } catch {
    throw new ApiError(r.status, 'bad_json', `${path}: HTTP ${r.status}, not JSON`);
  }
  if (!r.ok) {
    const e = body?.error ?? {};
    throw new ApiError(r.status, e.code ?? 'http', `${path}: ${e.message ?? 'HTTP ' + r.status}`);
  }
  return body as T;
}

// A route another branch may not serve yet: null on 404 (the page shows "—").
export async function getOptional<T>(path: string): Promise<T | null> {
  try {
    return await getJson<T>(path);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) return null;
    throw e;
  }
}

export function withQuery(path: string, query: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

// Every page of a list (bounded: the map needs all nodes, at most `max` items).
export async function getAll<T>(path: string, query: Record<string, string | number | null | undefined> = {}, max = 5000): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await getJson<Page<T>>(withQuery(path, { ...query, limit: 500, cursor }));
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor !== null && out.length < max);
  return out;
}

// The items of a per-era list (/v1/scalernodes/{id}/eras, /v1/hypernodes/{id}/eras) with
// from ≤ era < to, paged from `from` on (at most `maxPages` pages of 500).
export async function getEraRange<T extends { era: number }>(path: string, from: bigint, to: bigint | null, maxPages = 10): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = eraCursor(from);
  for (let i = 0; i < maxPages; i++) {
    const page: Page<T> = await getJson<Page<T>>(withQuery(path, { limit: 500, cursor }));
    for (const x of page.items) if (to === null || BigInt(x.era) < to) out.push(x);
    cursor = page.next_cursor;
    const lastEra = page.items.length ? BigInt(page.items[page.items.length - 1].era) : null;
    if (cursor === null || (to !== null && lastEra !== null && lastEra + 1n >= to)) break;
  }
  return out;
}

export const loadConfig = () => getJson<ConsoleConfig>('/v1/console-config');

export interface Stats {
  indexed_block: number | null;
  head_block: number | null;
  lag_blocks: number | null;
  events: number;
  regions: number;
  clusters: number;
  hardware_providers: number;
  scaler_nodes: { registered: number; validated: number; rejected: number; booked: number; offboarded: number; total: number };
  hyper_nodes: number;
  bookings_active: number;
  eras_committed: number;
  capacity: string;
  capacity_booked: string;
  icnt_locked?: string;
  icnt_delegated?: string;
  links_staked?: number;
  countries?: { scaler_nodes: Record<string, number>; hyper_nodes: Record<string, number> };
}
export interface Region { region_id: number; name: string }
export interface Cluster { cluster_id: number; region_id: number; class_id: number; name: string; max_price: string }
export interface ScalerNode {
  node_id: number; name: string; status: string; hp_id: number; owner: string | null; daemon: string;
  cluster_id: number; region_id: number; capacity: string; location: string; reservation_price: string;
  max_booking_duration: number; collateral: string;
}
export interface HyperNode { hyper_node_id: number; operator: string; location: string; endpoint: string; retired: boolean }
export interface Booking {
  booking_id: number; builder: string; node_id: number; cluster_id: number; capacity: string; duration: string;
  activation_era: number; eras: string; price: string; margin: string; status: string;
  expired_era: number | null; refund: string | null; block_number: number;
}
export interface Era {
  era: number; results_root: string; data_root: string; block_number: number; tx_hash: string;
  up?: number | null; down?: number | null; maintenance?: number | null;
}
export interface NodeEra { era: number; verdict: 'up' | 'down' | 'maintenance'; utilisation?: string; subsidy?: string; slashed?: string }
export interface HyperNodeEra { era: number; performance: number | string | null; link_reward?: string | null }
export interface Account {
  address: string;
  hp_id?: number | null;
  [key: string]: unknown;
}
export interface Lock { lock_id: number; owner: string; amount: string; status: string; [k: string]: unknown }
export interface Delegation { delegation_id: number; lock_id: number; owner: string; node_id: number; amount: string; status: string; reclaim_era: number | null }
export interface LinkBundle { bundle_id: number; owner: string; hyper_node_id: number; quantity: number; status: string; unlock_era: number | null }

// The satellites' published results of an era (docs/claims.md), through the indexer.
export interface NodeLeaf { nodeId: string; utilisation: string; subsidy: string; slashed: string; bookingId: string; bookingUpEras: string; leaf: string; proof: string[] }
export interface LinkLeaf { bundleId: string; reward: string; leaf: string; proof: string[] }
export interface EraResults { era: number; resultsRoot: string; nodes: NodeLeaf[]; links: LinkLeaf[] }
export const eraResults = (era: number | bigint) => getJson<EraResults>(`/v1/console/era-results/${era}`);
