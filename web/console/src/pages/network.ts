// Network dashboard: totals, the world map, the current era with its countdown, recent eras.
import { getAll, getJson, type Era, type HyperNode, type ScalerNode, type Stats } from '../api';
import { read } from '../chain';
import { countByCountry, DASH, formatCapacity, formatCountdown, formatIcnt, orDash, shortHex } from '../format';
import { debounce, onBlock, onIndexedEvent } from '../live';
import { worldMap } from '../map';
import { errorBox, h, pagedTable, section, stat } from '../ui';

export function networkPage(root: HTMLElement): () => void {
  const stats = h('div', { class: 'stats', testid: 'stats' });
  const mapBox = h('div', { class: 'map' });
  const eraNow = h('span', { testid: 'current-era' }, DASH);
  const countdown = h('span', { testid: 'era-countdown' }, DASH);
  const eraBox = section('Current era', h('p', { class: 'big' }, 'Era ', eraNow, ' · ends in ', countdown));
  const eras = pagedTable<Era>('/v1/eras', {}, [
    { title: 'Era', cell: (e) => String(e.era) },
    { title: 'UP', cell: (e) => orDash(e.up) },
    { title: 'DOWN', cell: (e) => orDash(e.down) },
    { title: 'Maint.', cell: (e) => orDash(e.maintenance) },
    { title: 'Results root', cell: (e) => h('code', { title: e.results_root }, shortHex(e.results_root)) },
    { title: 'Data root', cell: (e) => h('code', { title: e.data_root }, shortHex(e.data_root)) },
    { title: 'Block', cell: (e) => String(e.block_number) },
  ], { testid: 'eras-table', limit: 10, empty: 'No era committed yet' });

  root.replaceChildren(
    h('h1', {}, 'Network'),
    stats,
    eraBox,
    section('Where the nodes are', mapBox, h('p', { class: 'legend' }, h('span', { class: 'dot sn' }), ' ScalerNodes ', h('span', { class: 'dot hn' }), ' HyperNodes')),
    section('Recent eras', eras.root),
  );

  let eraEnd: bigint | null = null;
  async function refreshStats() {
    try {
      const s = await getJson<Stats>('/v1/stats');
      stats.replaceChildren(
        stat('ScalerNodes', String(s.scaler_nodes.total), 'stat-scaler-nodes', `${s.scaler_nodes.validated} validated · ${s.scaler_nodes.booked} booked`),
        stat('HyperNodes', String(s.hyper_nodes), 'stat-hyper-nodes'),
        stat('Hardware Providers', String(s.hardware_providers), 'stat-hps'),
        stat('Capacity', formatCapacity(s.capacity), 'stat-capacity', `${formatCapacity(s.capacity_booked)} booked`),
        stat('Active bookings', String(s.bookings_active), 'stat-bookings'),
        stat('Eras committed', String(s.eras_committed), 'stat-eras'),
        stat('ICNT locked', formatIcnt(s.icnt_locked, 0), 'stat-icnt-locked', `${formatIcnt(s.icnt_delegated, 0)} delegated`),
        stat('Links staked', orDash(s.links_staked), 'stat-links'),
        stat('Indexed block', orDash(s.indexed_block), 'stat-indexed', `lag ${orDash(s.lag_blocks)}`),
      );
      let sn = s.countries?.scaler_nodes;
      let hn = s.countries?.hyper_nodes;
      if (!sn || !hn) {
        // Older indexers: count from the lists themselves.
        const [nodes, hypers] = await Promise.all([getAll<ScalerNode>('/v1/scalernodes'), getAll<HyperNode>('/v1/hypernodes', { retired: 'false' })]);
        sn = countByCountry(nodes.filter((n) => n.status !== 'offboarded' && n.status !== 'rejected'));
        hn = countByCountry(hypers);
      }
      mapBox.replaceChildren(worldMap(sn, hn));
    } catch (e) {
      stats.replaceChildren(errorBox(e));
    }
  }
  async function refreshEra() {
    try {
      const era = await read<bigint>('EraManager', 'currentEra');
      eraNow.textContent = era.toString();
      eraEnd = await read<bigint>('EraManager', 'eraEndBlock', [era]);
    } catch (e) {
      eraNow.textContent = DASH;
    }
  }

  void refreshStats();
  void refreshEra();
  const refresh = debounce(() => { void refreshStats(); void eras.reload(); });
  const offEvent = onIndexedEvent(() => refresh());
  const offBlock = onBlock((b) => {
    if (eraEnd === null || b > eraEnd) void refreshEra();
    // Blocks come every second on a devnet; elsewhere the estimate is per block.
    countdown.textContent = eraEnd === null ? DASH : `${formatCountdown(Number(eraEnd - b))} (${eraEnd - b} blocks)`;
  });
  return () => { offEvent(); offBlock(); };
}
