// Builder: region → cluster → capacity and duration → quote with the margin broken down → approve +
// book; the Builder's bookings with their node, state and the refund their DOWN eras bring back.
import { getAll, getEraRange, getJson, getOptional, type Booking, type Cluster, type NodeEra, type Page, type Region, type ScalerNode } from '../api';
import { addressOf, currentWallet, read, revertReason, sendTx } from '../chain';
import {
  daysToSeconds, DASH, expectedRefund, formatCapacity, formatIcnt, formatPercent, quoteBreakdown, toBigInt, type Quote,
} from '../format';
import { debounce, onChange } from '../live';
import { errorBox, field, h, input, pagedTable, section } from '../ui';
import { balanceLine, needWallet } from './common';

export function builderPage(root: HTMLElement): () => void {
  const w = currentWallet();
  if (!w) return needWallet(root, 'Builder');
  const regionSel = h('select', { testid: 'region' });
  const clusterSel = h('select', { testid: 'cluster' });
  const clusterInfo = h('p', { class: 'muted', testid: 'cluster-info' });
  const capacity = input({ type: 'number', min: 1, value: 10, testid: 'capacity' });
  const days = input({ type: 'number', min: 90, value: 90, testid: 'duration-days' });
  const accessKey = input({ type: 'text', value: 'ssh-ed25519 AAAA… builder@console', testid: 'access-key' });
  const quoteBox = h('div', { class: 'quote', testid: 'quote' });
  const quoteBtn = h('button', { testid: 'quote-button' }, 'Quote');
  const bookBtn = h('button', { class: 'primary', testid: 'book-button', disabled: true }, 'Approve + book');
  const balance = balanceLine(w.address);
  let quote: Quote | null = null;
  let clusters: Cluster[] = [];

  const bookings = pagedTable<Booking>('/v1/bookings', { builder: w.address }, [
    { title: 'Booking', cell: (b) => h('span', { testid: 'booking-id' }, String(b.booking_id)) },
    { title: 'Node', cell: (b) => String(b.node_id) },
    { title: 'Cluster', cell: (b) => String(b.cluster_id) },
    { title: 'Capacity', cell: (b) => formatCapacity(b.capacity) },
    { title: 'State', cell: (b) => h('span', { class: `badge ${b.status}` }, b.status) },
    { title: 'From era', cell: (b) => String(b.activation_era) },
    { title: 'Eras', cell: (b) => b.eras },
    { title: 'Escrow', cell: (b) => formatIcnt(b.price, 2) },
    { title: 'Refund (expected)', cell: (b) => refundCell(b) },
  ], { testid: 'bookings-table', empty: 'No bookings yet' });

  root.replaceChildren(
    h('h1', {}, 'Builder'),
    balance.el,
    section('Book capacity',
      h('div', { class: 'form' },
        field('Region', regionSel), field('Cluster', clusterSel, clusterInfo),
        field('Capacity (units)', capacity), field('Duration (days)', days, 'at least 90 days'),
        field('Access key', accessKey, 'what the node provisions access with (an SSH public key)')),
      h('div', { class: 'actions' }, quoteBtn, bookBtn), quoteBox),
    section('Your bookings', bookings.root),
  );

  async function loadRegions() {
    try {
      const regions = await getAll<Region>('/v1/regions');
      regionSel.replaceChildren(...regions.map((r) => h('option', { value: r.region_id }, `${r.name} (#${r.region_id})`)));
      await loadClusters();
    } catch (e) {
      quoteBox.replaceChildren(errorBox(e));
    }
  }
  async function loadClusters() {
    clusters = await getAll<Cluster>('/v1/clusters', { region: regionSel.value });
    clusterSel.replaceChildren(...clusters.map((c) => h('option', { value: c.cluster_id }, `${c.name} (#${c.cluster_id})`)));
    await showCluster();
  }
  async function showCluster() {
    const c = clusters.find((x) => String(x.cluster_id) === clusterSel.value);
    if (!c) { clusterInfo.textContent = 'no cluster in this region'; return; }
    const free = await getAll<ScalerNode>('/v1/scalernodes', { cluster: c.cluster_id, status: 'validated' });
    const total = free.reduce((s, n) => s + (toBigInt(n.capacity) ?? 0n), 0n);
    const sizes = [...new Set(free.map((n) => n.capacity))].join(', ') || DASH;
    clusterInfo.textContent = `available ${formatCapacity(total)} on ${free.length} node(s) (sizes ${sizes}); max price ${formatIcnt(c.max_price)} per unit-month`;
    if (free[0]) capacity.value = free[0].capacity;
    invalidate();
  }
  function invalidate() {
    quote = null;
    bookBtn.disabled = true;
    quoteBox.replaceChildren();
  }
  async function doQuote() {
    invalidate();
    const cap = toBigInt(capacity.value);
    const dur = daysToSeconds(Number(days.value));
    if (!cap || cap <= 0n || !(Number(days.value) > 0)) { quoteBox.replaceChildren(errorBox('capacity and duration must be positive')); return; }
    try {
      const [nodeId, price, margin, total] = await read<[bigint, bigint, bigint, bigint]>('CapacityMarket', 'quote', [Number(clusterSel.value), cap, dur]);
      quote = { nodeId, price, margin, total };
      const b = quoteBreakdown(quote, cap, dur);
      quoteBox.replaceChildren(h('dl', {},
        h('dt', {}, 'Node'), h('dd', { testid: 'quote-node' }, nodeId.toString()),
        h('dt', {}, 'Rate'), h('dd', {}, `${formatIcnt(b.perUnitPerMonth)} per unit-month × ${cap} units × ${b.months} months`),
        h('dt', {}, 'Price (escrow for the node)'), h('dd', { testid: 'quote-price' }, formatIcnt(price)),
        h('dt', {}, 'Protocol margin'), h('dd', { testid: 'quote-margin' }, `${formatIcnt(margin)} (${formatPercent(b.marginRate)})`),
        h('dt', {}, 'Total'), h('dd', { testid: 'quote-total', class: 'big' }, formatIcnt(total))));
      bookBtn.disabled = false;
    } catch (e) {
      quoteBox.replaceChildren(errorBox('no quote: ' + revertReason(e)));
    }
  }
  async function doBook() {
    if (!quote) return;
    const q = quote;
    bookBtn.disabled = true;
    const cap = toBigInt(capacity.value)!;
    const dur = daysToSeconds(Number(days.value));
    const allowance = await read<bigint>('ICNT', 'allowance', [w!.address, addressOf('CapacityMarket')]);
    if (allowance < q.total) {
      const ok = await sendTx('Approve ICNT', { contract: 'ICNT', functionName: 'approve', args: [addressOf('CapacityMarket'), q.total] });
      if (!ok) { bookBtn.disabled = false; return; }
    }
    const key = new TextEncoder().encode(accessKey.value);
    const hex = ('0x' + [...key].map((b) => b.toString(16).padStart(2, '0')).join('')) as `0x${string}`;
    const r = await sendTx('Book capacity', { contract: 'CapacityMarket', functionName: 'book', args: [Number(clusterSel.value), cap, dur, q.total, hex] });
    if (r) { invalidate(); void balance.refresh(); void showCluster(); }
    else bookBtn.disabled = false;
  }

  regionSel.addEventListener('change', () => void loadClusters());
  clusterSel.addEventListener('change', () => void showCluster());
  capacity.addEventListener('input', invalidate);
  days.addEventListener('input', invalidate);
  quoteBtn.addEventListener('click', () => void doQuote());
  bookBtn.addEventListener('click', () => void doBook());
  void loadRegions();
  const refresh = debounce(() => { void bookings.reload(); void balance.refresh(); });
  const off = onChange(['CapacityMarket', 'Settlement'], refresh);
  return off;
}

// Expired: the refund paid. Active: price ÷ eras for each DOWN era so far (from the node's
// per-era verdicts, when the indexer serves them).
function refundCell(b: Booking): HTMLElement {
  const el = h('span', {}, DASH);
  if (b.refund !== null && b.refund !== undefined) {
    el.textContent = formatIcnt(b.refund, 2);
    return el;
  }
  const eras = toBigInt(b.eras) ?? 0n;
  const from = BigInt(b.activation_era);
  // The booking's own eras, paged from its activation (not the node's first 500).
  void getEraRange<NodeEra>(`/v1/scalernodes/${b.node_id}/eras`, from, from + eras).then((items) => {
    const down = items.filter((x) => x.verdict === 'down').length;
    el.textContent = formatIcnt(expectedRefund(toBigInt(b.price) ?? 0n, eras, BigInt(down)), 2);
  }).catch(() => { /* no per-era verdicts from this indexer: "—" */ });
  return el;
}
