// Network dashboard: totals, the world map, the current era with its countdown, recent eras.
import { getAll, getJson, getOptional, type Era, type HyperNode, type ScalerNode, type Stats } from '../api';
import { read } from '../chain';
import { countByCountry, DASH, formatCapacity, formatCountdown, formatIcnt, orDash, shortHex } from '../format';
import { debounce, onBlock, onChange } from '../live';
import { worldMap } from '../map';
import { errorBox, h, section, stat } from '../ui';

export function networkPage(root: HTMLElement): () => void {
  const stats = h('div', { class: 'stats', testid: 'stats' });
  const mapBox = h('div', { class: 'map' });
  const eraNow = h('span', { testid: 'current-era' }, DASH);
  const countdown = h('span', { testid: 'era-countdown' }, DASH);
  const eraBox = section('Current era', h('p', { class: 'big' }, 'Era ', eraNow, ' · ends in ', countdown));
  const eras = recentEras();
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
  const offEvent = onChange(null, refresh);
  const offBlock = onBlock((b) => {
    if (eraEnd === null || b > eraEnd) void refreshEra();
    // Blocks come every second on a devnet; elsewhere the estimate is per block.
    countdown.textContent = eraEnd === null ? DASH : `${formatCountdown(Number(eraEnd - b))} (${eraEnd - b} blocks)`;
  });
  return () => { offEvent(); offBlock(); };
}

const NO_ERA = 2n ** 64n - 1n; // Settlement.lastCommittedEra before the first commit
const ERAS_PER_PAGE = 10;

// The latest committed eras, newest first: the indexer lists eras oldest first, so the table walks
// down from Settlement.lastCommittedEra with GET /v1/eras/{era}; "Older" continues below.
function recentEras() {
  const tbody = h('tbody');
  const older = h('button', { class: 'more', testid: 'eras-table-more' }, 'Older');
  const columns: [string, (e: Era) => string | Node][] = [
    ['Era', (e) => String(e.era)],
    ['UP', (e) => orDash(e.up)],
    ['DOWN', (e) => orDash(e.down)],
    ['Maint.', (e) => orDash(e.maintenance)],
    ['Results root', (e) => h('code', { title: e.results_root }, shortHex(e.results_root))],
    ['Data root', (e) => h('code', { title: e.data_root }, shortHex(e.data_root))],
    ['Block', (e) => String(e.block_number)],
  ];
  const root = h('div', { class: 'table-wrap' },
    h('table', { testid: 'eras-table' }, h('thead', {}, h('tr', {}, ...columns.map(([t]) => h('th', {}, t)))), tbody),
    h('div', { class: 'pager' }, older));
  let next: bigint | null = null; // the next era to show below the table
  let generation = 0;
  async function load(reset: boolean) {
    const mine = reset ? ++generation : generation;
    if (reset) {
      const last = await read<bigint>('Settlement', 'lastCommittedEra').catch(() => NO_ERA);
      next = last === NO_ERA ? null : last;
    }
    const rows: HTMLElement[] = [];
    while (next !== null && rows.length < ERAS_PER_PAGE) {
      const era = next;
      next = era === 0n ? null : era - 1n;
      const e = await getOptional<Era>(`/v1/eras/${era}`); // null: committed but not indexed yet
      if (e) rows.push(h('tr', {}, ...columns.map(([t, cell]) => h('td', { 'data-label': t }, cell(e)))));
    }
    if (mine !== generation) return;
    if (reset) tbody.replaceChildren();
    tbody.append(...rows);
    if (reset && rows.length === 0) tbody.append(h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, 'No era committed yet')));
    older.hidden = next === null;
  }
  older.addEventListener('click', () => void load(false));
  void load(true);
  return { root, reload: () => load(true) };
}
