// Live updates: the indexer's event stream (SSE GET /v1/events) and the chain head. Pages subscribe
// and re-read what they show, so a new era appears without a reload.
import { publicClient } from './chain';
import { parseReorg, type ReorgNotice } from './format';

export interface IndexedEvent {
  id: number;
  block_number: number;
  contract: string;
  event: string;
  args: Record<string, unknown>;
}

type Listener<T> = (value: T) => void;
const eventListeners = new Set<Listener<IndexedEvent>>();
const blockListeners = new Set<Listener<bigint>>();
const resyncListeners = new Set<Listener<ReorgNotice | null>>();
export let headBlock: bigint | null = null;
export let streamState: 'connecting' | 'live' | 'reconnecting' = 'connecting';

export function onIndexedEvent(f: Listener<IndexedEvent>): () => void {
  eventListeners.add(f);
  return () => eventListeners.delete(f);
}
// Everything a page shows may be stale: the indexer rolled back a reorg (the notice), or the
// stream reconnected after a gap (null) — a reorg while disconnected is not replayed. Pages
// refetch what they show.
export function onResync(f: Listener<ReorgNotice | null>): () => void {
  resyncListeners.add(f);
  return () => resyncListeners.delete(f);
}
// A page's subscription: events of `contracts` (all when null) and every resync call `f`.
export function onChange(contracts: string[] | null, f: () => void): () => void {
  const offEvent = onIndexedEvent((e) => { if (!contracts || contracts.includes(e.contract)) f(); });
  const offResync = onResync(() => f());
  return () => { offEvent(); offResync(); };
}
export function onBlock(f: Listener<bigint>): () => void {
  blockListeners.add(f);
  return () => blockListeners.delete(f);
}

// Coalesces bursts (a range of events commits at once) into one call after `ms`.
export function debounce(f: () => void, ms = 300): () => void {
  let t: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (t) clearTimeout(t);
    t = setTimeout(() => { t = null; f(); }, ms);
  };
}

export function startLive(onState: (s: string) => void, onReorg: (r: ReorgNotice) => void = () => {}) {
  // EventSource resends Last-Event-ID on reconnect: nothing is missed, nothing comes twice.
  const source = new EventSource('/v1/events');
  source.onopen = () => {
    const resumed = streamState === 'reconnecting';
    streamState = 'live';
    onState(streamState);
    if (resumed) for (const f of resyncListeners) f(null);
  };
  source.addEventListener('reorg', (m) => {
    const r = parseReorg((m as MessageEvent).data);
    if (!r) return;
    onReorg(r);
    for (const f of resyncListeners) f(r);
  });
  source.onerror = () => { streamState = 'reconnecting'; onState(streamState); };
  source.onmessage = (m) => {
    try {
      const e = JSON.parse(m.data) as IndexedEvent;
      for (const f of eventListeners) f(e);
    } catch {
      /* a malformed message is skipped */
    }
  };
  publicClient.watchBlockNumber({
    emitOnBegin: true,
    pollingInterval: 1000,
    onBlockNumber: (b) => { headBlock = b; for (const f of blockListeners) f(b); },
  });
}
