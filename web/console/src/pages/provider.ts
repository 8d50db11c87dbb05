// Hardware Provider: each ScalerNode with its status, collateral (required / held / shortfall),
// commitment, per-era verdicts, rewards (earned / claimed / claimable) and slashes; claim, top-up
// and maintenance declaration.
import { eraResults, getAll, getOptional, type EraResults, type NodeEra, type Page, type ScalerNode } from '../api';
import { addressOf, currentWallet, read, revertReason, sendTx } from '../chain';
import { claimable, DASH, formatCapacity, formatIcnt, parseIcnt, toBigInt, verdictCounts } from '../format';
import { debounce, onIndexedEvent } from '../live';
import { verdictChart } from '../map';
import { errorBox, field, h, input, section } from '../ui';
import { balanceLine, needWallet } from './common';

const NO_ERA = 2n ** 64n - 1n; // Settlement.lastCommittedEra before the first commit

export function providerPage(root: HTMLElement): () => void {
  const w = currentWallet();
  if (!w) return needWallet(root, 'Hardware Provider');
  const balance = balanceLine(w.address);
  const list = h('div', { class: 'nodes', testid: 'hp-nodes' }, h('p', { class: 'muted' }, 'Loading nodes…'));
  const eraLine = h('p', { class: 'muted', testid: 'last-committed' });
  root.replaceChildren(h('h1', {}, 'Hardware Provider'), balance.el, eraLine, list);

  let results: EraResults | null = null;
  let lastEra: bigint | null = null;
  async function refresh() {
    try {
      const nodes = await getAll<ScalerNode>('/v1/scalernodes', { owner: w!.address });
      const last = await read<bigint>('Settlement', 'lastCommittedEra');
      lastEra = last === NO_ERA ? null : last;
      results = null;
      if (lastEra !== null) {
        try {
          results = await eraResults(lastEra);
        } catch (e) {
          eraLine.textContent = `era ${lastEra} results unavailable: ${e instanceof Error ? e.message : e}`;
        }
      }
      if (lastEra === null) eraLine.textContent = 'No era committed yet: nothing to claim.';
      else if (results) eraLine.textContent = `Rewards as of era ${lastEra} (the last committed).`;
      if (nodes.length === 0) {
        list.replaceChildren(h('p', { class: 'card' }, 'This account owns no ScalerNode.'));
        return;
      }
      const cards = await Promise.all(nodes.map((n) => nodeCard(n)));
      list.replaceChildren(...cards);
    } catch (e) {
      list.replaceChildren(errorBox(e));
    }
  }

  async function nodeCard(n: ScalerNode): Promise<HTMLElement> {
    const id = BigInt(n.node_id);
    const [held, required, shortfall, settlement, owed, commitment] = await Promise.all([
      read<bigint>('Collateral', 'collateralOf', [id]),
      read<bigint>('Registry', 'collateralRequirement', [id]).catch(() => null),
      read<bigint>('Collateral', 'shortfall', [id]),
      read<any>('Settlement', 'nodeSettlement', [id]),
      read<bigint>('Settlement', 'slashOwed', [id]),
      read<any>('Collateral', 'commitment', [id]),
    ]);
    const leaf = results?.nodes.find((x) => x.nodeId === String(n.node_id)) ?? null;
    const earned = leaf ? (toBigInt(leaf.utilisation) ?? 0n) + (toBigInt(leaf.subsidy) ?? 0n) : null;
    const claimed = settlement.claimedUtilisation + settlement.claimedSubsidy;
    const canClaim = leaf ? claimable(toBigInt(leaf.utilisation) ?? 0n, toBigInt(leaf.subsidy) ?? 0n, settlement.claimedUtilisation, settlement.claimedSubsidy) : 0n;
    const end = Number(commitment.commitmentEnd);

    const claimBtn = h('button', { class: 'primary', testid: `claim-${n.node_id}`, disabled: canClaim === 0n }, 'Claim');
    claimBtn.addEventListener('click', async () => {
      if (!leaf || lastEra === null) return;
      claimBtn.disabled = true;
      const r = await sendTx(`Claim node ${n.node_id}`, {
        contract: 'Settlement', functionName: 'claimHpRewards',
        args: [lastEra, { nodeId: id, utilisation: BigInt(leaf.utilisation), subsidy: BigInt(leaf.subsidy), slashed: BigInt(leaf.slashed), bookingId: BigInt(leaf.bookingId), bookingUpEras: BigInt(leaf.bookingUpEras) }, leaf.proof],
      });
      if (r) { void balance.refresh(); void refresh(); } else claimBtn.disabled = false;
    });

    const topUp = input({ type: 'text', value: shortfall > 0n ? formatIcnt(shortfall, 18, '').replace(/,/g, '') : '1', testid: `topup-amount-${n.node_id}` });
    const topUpBtn = h('button', { testid: `topup-${n.node_id}` }, 'Top up');
    topUpBtn.addEventListener('click', async () => {
      const amount = parseIcnt(topUp.value);
      if (!amount || amount <= 0n) { topUpBtn.after(errorBox('amount: ICNT, e.g. 12.5')); return; }
      topUpBtn.disabled = true;
      const approved = await sendTx('Approve ICNT', { contract: 'ICNT', functionName: 'approve', args: [addressOf('Collateral'), amount] });
      if (approved) await sendTx(`Top up node ${n.node_id}`, { contract: 'Collateral', functionName: 'topUp', args: [id, amount] });
      topUpBtn.disabled = false;
      void balance.refresh(); void refresh();
    });

    const current = await read<bigint>('EraManager', 'currentEra').catch(() => 0n);
    const from = input({ type: 'number', min: 0, value: String(current + 2n), testid: `maint-from-${n.node_id}` });
    const count = input({ type: 'number', min: 1, value: 1, testid: `maint-eras-${n.node_id}` });
    const maintBtn = h('button', { testid: `maint-${n.node_id}` }, 'Declare maintenance');
    maintBtn.addEventListener('click', async () => {
      maintBtn.disabled = true;
      await sendTx(`Maintenance node ${n.node_id}`, { contract: 'Settlement', functionName: 'declareMaintenance', args: [id, BigInt(from.value), BigInt(count.value)] });
      maintBtn.disabled = false;
    });

    const chartBox = h('div', { class: 'chart' }, h('span', { class: 'muted' }, `per-era verdicts: ${DASH}`));
    void getOptional<Page<NodeEra>>(`/v1/scalernodes/${n.node_id}/eras?limit=100`).then((page) => {
      if (!page || page.items.length === 0) return;
      const c = verdictCounts(page.items);
      chartBox.replaceChildren(verdictChart(page.items), h('small', { class: 'muted' }, `UP ${c.up} · DOWN ${c.down} · maintenance ${c.maintenance} (last ${page.items.length} eras)`));
    }).catch((e) => chartBox.replaceChildren(errorBox(revertReason(e))));

    return h('article', { class: 'card node', testid: `hp-node-${n.node_id}` },
      h('h2', {}, `Node ${n.node_id} · ${n.name || ''} `, h('span', { class: `badge ${n.status}`, testid: `node-status-${n.node_id}` }, n.status)),
      h('p', { class: 'muted' }, `${formatCapacity(n.capacity)} in ${n.location} · cluster ${n.cluster_id} · commitment ends ${end ? new Date(end * 1000).toISOString().slice(0, 10) : DASH}`),
      h('dl', { class: 'grid' },
        h('dt', {}, 'Collateral required'), h('dd', {}, formatIcnt(required)),
        h('dt', {}, 'Collateral held'), h('dd', { testid: `collateral-${n.node_id}` }, formatIcnt(held)),
        h('dt', {}, 'Shortfall (rewards divert here first)'), h('dd', { testid: `shortfall-${n.node_id}` }, formatIcnt(shortfall)),
        h('dt', {}, 'Rewards earned'), h('dd', {}, formatIcnt(earned)),
        h('dt', {}, 'Claimed'), h('dd', {}, formatIcnt(claimed)),
        h('dt', {}, 'Claimable'), h('dd', { testid: `claimable-${n.node_id}` }, formatIcnt(canClaim)),
        h('dt', {}, 'Slashed (taken / owed)'), h('dd', {}, `${formatIcnt(settlement.slashTaken)} / ${formatIcnt(owed)}`)),
      chartBox,
      h('div', { class: 'actions' }, claimBtn),
      h('div', { class: 'actions' }, field('Top up (ICNT)', topUp), topUpBtn),
      h('div', { class: 'actions' }, field('Maintenance from era', from), field('eras', count), maintBtn));
  }

  void refresh();
  const again = debounce(() => void refresh(), 500);
  const off = onIndexedEvent((e) => { if (e.contract === 'Settlement' || e.contract === 'Collateral' || e.contract === 'Registry') again(); });
  return off;
}
