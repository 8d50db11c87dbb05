// HyperNode operators, Link holders and ICNT holders: HyperNodes with their per-era performance,
// Link bundles (stake / unstake / claim rewards), and ICNT lock + delegate with the lock multiplier
// and the expected APY shown before signing.
import { eraResults, getAll, getOptional, type Delegation, type HyperNode, type HyperNodeEra, type LinkBundle, type Lock, type Page, type ScalerNode } from '../api';
import { addressOf, currentWallet, read, revertReason, sendTx } from '../chain';
import { DASH, expectedApy, formatIcnt, formatMultiplier, formatPercent, orDash, parseIcnt, yearlyReward } from '../format';
import { debounce, onIndexedEvent } from '../live';
import { errorBox, field, h, input, section } from '../ui';
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

  async function refreshLinks() {
    try {
      const page = await getOptional<Page<LinkBundle>>(`/v1/links?owner=${w!.address}&limit=50`);
      if (!page) { links.replaceChildren(h('p', { class: 'muted' }, `Link bundles: ${DASH} (this indexer does not list them yet)`)); return; }
      const last = await read<bigint>('Settlement', 'lastCommittedEra');
      const results = last === NO_ERA ? null : await eraResults(last).catch(() => null);
      const rows = await Promise.all(page.items.map(async (b) => {
        const leaf = results?.links.find((l) => l.bundleId === String(b.bundle_id));
        const claimed = await read<bigint>('Settlement', 'claimedLinkRewards', [BigInt(b.bundle_id)]);
        const due = leaf ? BigInt(leaf.reward) - claimed : 0n;
        const claim = h('button', { disabled: !leaf || due <= 0n }, 'Claim');
        claim.addEventListener('click', () => void sendTx(`Claim bundle ${b.bundle_id}`, { contract: 'Settlement', functionName: 'claimLinkRewards', args: [last, BigInt(b.bundle_id), BigInt(leaf!.reward), leaf!.proof] }));
        const unstake = h('button', {}, b.status === 'staked' ? 'Unstake' : 'Complete unstake');
        unstake.addEventListener('click', () => void sendTx(`Unstake bundle ${b.bundle_id}`, { contract: 'ICNLink', functionName: b.status === 'staked' ? 'initiateUnstake' : 'completeUnstake', args: [BigInt(b.bundle_id)] }));
        return h('tr', {}, h('td', {}, String(b.bundle_id)), h('td', {}, String(b.hyper_node_id)), h('td', {}, String(b.quantity)), h('td', {}, b.status), h('td', {}, orDash(b.unlock_era)),
          h('td', {}, `${formatIcnt(claimed)} claimed · ${formatIcnt(due > 0n ? due : 0n)} due`), h('td', {}, claim, unstake));
      }));
      links.replaceChildren(h('table', {}, h('thead', {}, h('tr', {}, ...['Bundle', 'HyperNode', 'Links', 'State', 'Unlock era', 'Rewards', ''].map((t) => h('th', {}, t)))), h('tbody', {}, ...rows)));
    } catch (e) {
      links.replaceChildren(errorBox(e));
    }
  }

  async function refreshLocks() {
    try {
      const [lockPage, delPage] = await Promise.all([
        getOptional<Page<Lock>>(`/v1/locks?owner=${w!.address}&limit=50`),
        getOptional<Page<Delegation>>(`/v1/delegations?owner=${w!.address}&limit=50`),
      ]);
      const parts: HTMLElement[] = [];
      parts.push(lockPage
        ? h('table', {}, h('thead', {}, h('tr', {}, ...['Lock', 'Amount', 'State'].map((t) => h('th', {}, t)))), h('tbody', {}, ...lockPage.items.map((l) => h('tr', {}, h('td', {}, String(l.lock_id)), h('td', {}, formatIcnt(l.amount)), h('td', {}, l.status)))))
        : h('p', { class: 'muted' }, `Locks: ${DASH}`));
      parts.push(delPage
        ? h('table', {}, h('thead', {}, h('tr', {}, ...['Delegation', 'Lock', 'Node', 'Amount', 'State', 'Reclaim era'].map((t) => h('th', {}, t)))),
            h('tbody', {}, ...delPage.items.map((d) => h('tr', {}, h('td', {}, String(d.delegation_id)), h('td', {}, String(d.lock_id)), h('td', {}, String(d.node_id)), h('td', {}, formatIcnt(d.amount)), h('td', {}, d.status), h('td', {}, orDash(d.reclaim_era))))))
        : h('p', { class: 'muted' }, `Delegations: ${DASH}`));
      locks.replaceChildren(...parts);
    } catch (e) {
      locks.replaceChildren(errorBox(e));
    }
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
