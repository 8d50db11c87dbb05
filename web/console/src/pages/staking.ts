// HyperNode operators, Link holders and ICNT holders: HyperNodes with their per-era performance,
// Link bundles (stake / unstake / claim rewards), and ICNT lock + delegate with the lock multiplier
// and the expected APY shown before signing.
import { eraResults, getAll, getOptional, withQuery, type Delegation, type EraResults, type HyperNode, type HyperNodeEra, type LinkBundle, type Lock, type Page, type ScalerNode } from '../api';
import { addressOf, currentWallet, read, revertReason, sendTx } from '../chain';
import { DASH, eraCursor, expectedApy, formatIcnt, formatMultiplier, formatPercent, lastErasFrom, orDash, parseIcnt, parseTokenIds, yearlyReward } from '../format';
import { debounce, onChange } from '../live';
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
    const ids = parseTokenIds(stakeTokens.value);
    const hn = /^[1-9][0-9]{0,17}$/.test(stakeHn.value) ? BigInt(stakeHn.value) : null;
    if (!ids || hn === null) { stakeBtn.after(errorBox('a HyperNode id and Link token ids, e.g. 3, 4')); return; }
    stakeBtn.disabled = true;
    await sendTx('Stake Links', { contract: 'ICNLink', functionName: 'stake', args: [hn, ids] });
    stakeBtn.disabled = false;
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

  // The operator's HyperNodes, paged (GET /v1/hypernodes?operator=), each with its latest eras'
  // performance.
  let hyperTable: { root: HTMLElement; reload: () => Promise<void> } | null = null;
  function refreshHyper() {
    if (hyperTable) { void hyperTable.reload(); return; }
    hyperTable = pagedTable<HyperNode>('/v1/hypernodes', { operator: w!.address }, [
      { title: 'Id', cell: (x) => h('span', { testid: 'hypernode-id' }, String(x.hyper_node_id)) },
      { title: 'Location', cell: (x) => x.location },
      { title: 'Endpoint', cell: (x) => x.endpoint },
      { title: 'State', cell: (x) => (x.retired ? 'retired' : 'active') },
      { title: 'Performance per era', cell: (x) => {
        const el = h('span', {}, '…');
        // The last 10 committed eras (the list runs oldest first).
        void read<bigint>('Settlement', 'lastCommittedEra')
          .then((lastEra) => getOptional<Page<HyperNodeEra>>(withQuery(`/v1/hypernodes/${x.hyper_node_id}/eras`, { limit: 10, cursor: eraCursor(lastErasFrom(lastEra === NO_ERA ? null : lastEra, 10)) })))
          .then((eras) => { el.textContent = eras?.items.map((e) => `${e.era}: ${orDash(e.performance)}`).join(' · ') || DASH; })
          .catch((e) => { el.textContent = revertReason(e); });
        return el;
      } },
    ], { testid: 'hypernodes-table', empty: 'This account operates no HyperNode.' });
    hyper.replaceChildren(hyperTable.root);
  }

  // Lists another branch's indexer adds: probed first, "—" until the route exists, then paged.
  // Made once; a refresh re-reads the pages shown.
  const tables = new Map<HTMLElement, { reload: () => Promise<void> }>();
  async function optionalTable<T>(box: HTMLElement, path: string, what: string, columns: Column<T>[], testid: string) {
    const made = tables.get(box);
    if (made) { await made.reload(); return; }
    try {
      const probe = await getOptional<Page<T>>(withQuery(path, { owner: w!.address, limit: 1 }));
      if (!probe) {
        box.replaceChildren(h('p', { class: 'muted' }, `${what}: ${DASH} (this indexer does not list them yet)`));
        return;
      }
      const table = pagedTable<T>(path, { owner: w!.address }, columns, { testid, empty: `No ${what.toLowerCase()}` });
      tables.set(box, table);
      box.replaceChildren(h('h3', {}, what), table.root);
    } catch (e) {
      box.replaceChildren(errorBox(e));
    }
  }

  // The last committed era and its published results: what Link rewards are claimed with.
  let last = NO_ERA;
  let results: EraResults | null = null;
  async function refreshLinks() {
    const era = await read<bigint>('Settlement', 'lastCommittedEra').catch(() => NO_ERA);
    if (era !== last || !results) {
      results = era === NO_ERA ? null : await eraResults(era).catch(() => null);
      last = era;
    }
    await optionalTable<LinkBundle>(links, '/v1/links', 'Link bundles', [
      { title: 'Bundle', cell: (b) => String(b.bundle_id) },
      { title: 'HyperNode', cell: (b) => String(b.hyper_node_id) },
      { title: 'Links', cell: (b) => String(b.quantity) },
      { title: 'State', cell: (b) => b.status },
      { title: 'Unlock era', cell: (b) => orDash(b.unlock_era) },
      { title: 'Rewards', cell: (b) => {
        const era = last; // the leaf and its era, as rendered
        const leaf = results?.links.find((l) => l.bundleId === String(b.bundle_id));
        const el = h('span', { testid: `link-rewards-${b.bundle_id}` }, DASH);
        const claim = h('button', { disabled: true, testid: `claim-link-${b.bundle_id}` }, 'Claim');
        claim.addEventListener('click', async () => {
          claim.disabled = true;
          await sendTx(`Claim bundle ${b.bundle_id}`, { contract: 'Settlement', functionName: 'claimLinkRewards', args: [era, BigInt(b.bundle_id), BigInt(leaf!.reward), leaf!.proof] });
          void balance.refresh(); void refreshLinks();
        });
        void read<bigint>('Settlement', 'claimedLinkRewards', [BigInt(b.bundle_id)]).then((claimed) => {
          const due = leaf ? BigInt(leaf.reward) - claimed : 0n;
          el.textContent = `${formatIcnt(claimed)} claimed · ${formatIcnt(due > 0n ? due : 0n)} due `;
          el.dataset.due = (due > 0n ? due : 0n).toString();
          claim.disabled = !leaf || due <= 0n;
        });
        return h('span', {}, el, claim);
      } },
      { title: '', cell: (b) => {
        if (b.status !== 'staked' && b.status !== 'unstaking') return null; // unstaked: its Links are free
        const staked = b.status === 'staked';
        const label = staked ? `Unstake bundle ${b.bundle_id}` : `Complete unstake ${b.bundle_id}`;
        const unstake = h('button', { testid: `unstake-${b.bundle_id}` }, staked ? 'Unstake' : 'Complete unstake');
        unstake.addEventListener('click', async () => {
          unstake.disabled = true;
          await sendTx(label, { contract: 'ICNLink', functionName: staked ? 'initiateUnstake' : 'completeUnstake', args: [BigInt(b.bundle_id)] });
          void refreshLinks();
        });
        return unstake;
      } },
    ], 'links-table');
  }

  const lockBox = h('div');
  const delegationBox = h('div');
  locks.replaceChildren(lockBox, delegationBox);
  async function refreshLocks() {
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
  const again = debounce(() => { void refreshLinks(); void refreshLocks(); refreshHyper(); }, 500);
  return onChange(['Settlement', 'ICNLink', 'Delegation', 'HyperNodeRegistry'], again);
}
