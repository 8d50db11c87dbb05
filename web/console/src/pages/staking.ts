// HyperNode operators, Link holders and ICNT holders: HyperNodes with their per-era performance,
// Link bundles (stake / unstake / claim rewards), and ICNT lock + delegate with the lock multiplier
// and the expected APY shown before signing.
import { eraResults, getAll, getOptional, withQuery, type Delegation, type HyperNode, type HyperNodeEra, type LinkBundle, type Lock, type Page, type ScalerNode } from '../api';
import { addressOf, currentWallet, read, revertReason, sendTx } from '../chain';
import { DASH, expectedApy, formatIcnt, formatMultiplier, formatPercent, orDash, parseIcnt, yearlyReward } from '../format';
import { debounce, onIndexedEvent } from '../live';
import { errorBox, field, h, input, pagedTable, section, type Column } from '../ui';
import { balanceLine, needWallet } from './common';

const NO_ERA = 2n ** 64n - 1n;

export function stakingPage(root: HTMLElement): () => void {
  const w = currentWallet();
  if (!w) return needWallet(root, 'Staking');
  const balance = balanceLine(w.address);
  const hyper = h('div', { testid: 'hypernodes' });
  const links = h('div', { testid: 'links' });
  const locks = h('div', { testid: 'locks' });

  // ---- lock + delegate
  const nodeSel = h('select', { testid: 'delegate-node' });
  const amount = input({ type: 'text', value: '100', testid: 'delegate-amount' });
  const lockDays = input({ type: 'number', min: 1, max: 1440, value: 360, testid: 'lock-days' });
  const preview = h('dl', { class: 'quote', testid: 'apy-preview' });
  const delegateBtn = h('button', { class: 'primary', testid: 'delegate-button' }, 'Approve + lock + delegate');
  async function updatePreview() {
    const days = Number(lockDays.value);
    const amt = parseIcnt(amount.value);
    try {
      if (!(days >= 1 && days <= 1440) || !amt) throw new Error('amount in ICNT and 1 … 1,440 lock days');
      const [multiplier, apy] = await Promise.all([read<bigint>('Delegation', 'lockMultiplier', [BigInt(days)]), read<bigint>('Delegation', 'currentApy')]);
      const eff = expectedApy(apy, multiplier);
      preview.replaceChildren(
        h('dt', {}, 'Lock multiplier'), h('dd', { testid: 'lock-multiplier' }, formatMultiplier(multiplier)),
        h('dt', {}, 'Network APY now'), h('dd', {}, formatPercent(apy)),
        h('dt', {}, 'Expected APY'), h('dd', { testid: 'expected-apy', class: 'big' }, formatPercent(eff)),
        h('dt', {}, 'Per year at that rate'), h('dd', {}, formatIcnt(yearlyReward(amt, eff))));
      delegateBtn.disabled = false;
    } catch (e) {
      preview.replaceChildren(errorBox(revertReason(e)));
      delegateBtn.disabled = true;
    }
  }
  delegateBtn.addEventListener('click', async () => {
    const amt = parseIcnt(amount.value);
    if (!amt) return;
    delegateBtn.disabled = true;
    const ok = await sendTx('Approve ICNT', { contract: 'ICNT', functionName: 'approve', args: [addressOf('Delegation'), amt] });
    if (ok) await sendTx('Lock + delegate', { contract: 'Delegation', functionName: 'delegate', args: [BigInt(nodeSel.value), amt, BigInt(lockDays.value)] });
    delegateBtn.disabled = false;
    void balance.refresh(); void refreshLocks();
  });
  amount.addEventListener('input', () => void updatePreview());
  lockDays.addEventListener('input', () => void updatePreview());

  // ---- stake Links
  const stakeHn = input({ type: 'number', min: 1, value: 1, testid: 'stake-hypernode' });
  const stakeTokens = input({ type: 'text', placeholder: 'token ids, e.g. 3, 4', testid: 'stake-tokens' });
  const stakeBtn = h('button', { testid: 'stake-button' }, 'Stake Links');
  stakeBtn.addEventListener('click', async () => {
    const ids = stakeTokens.value.split(/[\s,]+/).filter(Boolean).map((x) => BigInt(x));
    await sendTx('Stake Links', { contract: 'ICNLink', functionName: 'stake', args: [BigInt(stakeHn.value), ids] });
    void refreshLinks();
  });

  root.replaceChildren(
    h('h1', {}, 'HyperNodes, Links and ICNT staking'),
    balance.el,
    section('Your HyperNodes', hyper),
    section('Your Link bundles', links, h('div', { class: 'actions' }, field('HyperNode', stakeHn), field('Link token ids', stakeTokens), stakeBtn)),
    section('Lock and delegate ICNT',
      h('div', { class: 'form' }, field('ScalerNode', nodeSel), field('Amount (ICNT)', amount), field('Lock (days)', lockDays, 'longer locks earn a larger multiplier')),
      preview, h('div', { class: 'actions' }, delegateBtn)),
    section('Your locks and delegations', locks),
  );

  async function refreshHyper() {
    try {
      const all = await getAll<HyperNode>('/v1/hypernodes');
      const mine = all.filter((x) => x.operator.toLowerCase() === w!.address.toLowerCase());
      if (mine.length === 0) { hyper.replaceChildren(h('p', { class: 'muted' }, 'This account operates no HyperNode.')); return; }
      const rows = await Promise.all(mine.map(async (x) => {
        const eras = await getOptional<Page<HyperNodeEra>>(`/v1/hypernodes/${x.hyper_node_id}/eras?limit=10`);
        const perf = eras?.items.map((e) => `${e.era}: ${orDash(e.performance)}`).join(' · ') || DASH;
        return h('tr', {}, h('td', {}, String(x.hyper_node_id)), h('td', {}, x.location), h('td', {}, x.endpoint), h('td', {}, x.retired ? 'retired' : 'active'), h('td', {}, perf));
      }));
      hyper.replaceChildren(h('table', { testid: 'hypernodes-table' }, h('thead', {}, h('tr', {}, ...['Id', 'Location', 'Endpoint', 'State', 'Performance per era'].map((t) => h('th', {}, t)))), h('tbody', {}, ...rows)));
    } catch (e) {
      hyper.replaceChildren(errorBox(e));
    }
  }

  // Lists another branch's indexer adds: probed first, "—" until the route exists, then paged.
  async function optionalTable<T>(box: HTMLElement, path: string, what: string, columns: Column<T>[], testid: string) {
    try {
      const probe = await getOptional<Page<T>>(withQuery(path, { owner: w!.address, limit: 1 }));
      if (!probe) {
        box.replaceChildren(h('p', { class: 'muted' }, `${what}: ${DASH} (this indexer does not list them yet)`));
        return;
      }
      const table = pagedTable<T>(path, { owner: w!.address }, columns, { testid, empty: `No ${what.toLowerCase()}` });
      box.replaceChildren(h('h3', {}, what), table.root);
    } catch (e) {
      box.replaceChildren(errorBox(e));
    }
  }

  async function refreshLinks() {
    const last = await read<bigint>('Settlement', 'lastCommittedEra').catch(() => NO_ERA);
    const results = last === NO_ERA ? null : await eraResults(last).catch(() => null);
    await optionalTable<LinkBundle>(links, '/v1/links', 'Link bundles', [
      { title: 'Bundle', cell: (b) => String(b.bundle_id) },
      { title: 'HyperNode', cell: (b) => String(b.hyper_node_id) },
      { title: 'Links', cell: (b) => String(b.quantity) },
      { title: 'State', cell: (b) => b.status },
      { title: 'Unlock era', cell: (b) => orDash(b.unlock_era) },
      { title: 'Rewards', cell: (b) => {
        const leaf = results?.links.find((l) => l.bundleId === String(b.bundle_id));
        const el = h('span', {}, DASH);
        const claim = h('button', { disabled: true }, 'Claim');
        claim.addEventListener('click', () => void sendTx(`Claim bundle ${b.bundle_id}`, { contract: 'Settlement', functionName: 'claimLinkRewards', args: [last, BigInt(b.bundle_id), BigInt(leaf!.reward), leaf!.proof] }));
        void read<bigint>('Settlement', 'claimedLinkRewards', [BigInt(b.bundle_id)]).then((claimed) => {
          const due = leaf ? BigInt(leaf.reward) - claimed : 0n;
          el.textContent = `${formatIcnt(claimed)} claimed · ${formatIcnt(due > 0n ? due : 0n)} due `;
          claim.disabled = !leaf || due <= 0n;
        });
        return h('span', {}, el, claim);
      } },
      { title: '', cell: (b) => {
        const staked = b.status === 'staked';
        const unstake = h('button', {}, staked ? 'Unstake' : 'Complete unstake');
        unstake.addEventListener('click', () => void sendTx(`Unstake bundle ${b.bundle_id}`, { contract: 'ICNLink', functionName: staked ? 'initiateUnstake' : 'completeUnstake', args: [BigInt(b.bundle_id)] }));
        return unstake;
      } },
    ], 'links-table');
  }

  async function refreshLocks() {
    const lockBox = h('div');
    const delegationBox = h('div');
    locks.replaceChildren(lockBox, delegationBox);
    await Promise.all([
      optionalTable<Lock>(lockBox, '/v1/locks', 'Locks', [
        { title: 'Lock', cell: (l) => String(l.lock_id) },
        { title: 'Amount', cell: (l) => formatIcnt(l.amount) },
        { title: 'State', cell: (l) => l.status },
      ], 'locks-table'),
      optionalTable<Delegation>(delegationBox, '/v1/delegations', 'Delegations', [
        { title: 'Delegation', cell: (d) => String(d.delegation_id) },
        { title: 'Lock', cell: (d) => String(d.lock_id) },
        { title: 'Node', cell: (d) => String(d.node_id) },
        { title: 'Amount', cell: (d) => formatIcnt(d.amount) },
        { title: 'State', cell: (d) => d.status },
        { title: 'Reclaim era', cell: (d) => orDash(d.reclaim_era) },
      ], 'delegations-table'),
    ]);
  }

  async function loadNodes() {
    const nodes = await getAll<ScalerNode>('/v1/scalernodes');
    const delegatable = nodes.filter((n) => n.status === 'validated' || n.status === 'booked');
    nodeSel.replaceChildren(...delegatable.map((n) => h('option', { value: n.node_id }, `node ${n.node_id} · ${n.location} · ${n.status}`)));
  }

  void refreshHyper(); void refreshLinks(); void refreshLocks(); void loadNodes().then(updatePreview);
  const again = debounce(() => { void refreshLinks(); void refreshLocks(); void refreshHyper(); }, 500);
  return onIndexedEvent((e) => { if (['Settlement', 'ICNLink', 'Delegation', 'HyperNodeRegistry'].includes(e.contract)) again(); });
}
