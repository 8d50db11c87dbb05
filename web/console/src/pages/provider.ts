// Hardware Provider: each ScalerNode with its status, collateral (required / held / shortfall,
// and per era what rewards diverted into it and slashes took), commitment, per-era verdicts,
// rewards (earned / claimed / claimable) and slashes; claim, top-up and maintenance declaration.
// The nodes page like every list ("More").
import { eraResults, getOptional, withQuery, type EraResults, type NodeEra, type Page, type ScalerNode } from '../api';
import { addressOf, currentWallet, read, revertReason, sendTx } from '../chain';
import { claimable, collateralPerEra, DASH, eraCursor, lastErasFrom, formatCapacity, formatIcnt, parseIcnt, toBigInt, verdictCounts, type CollateralMove } from '../format';
import { debounce, onChange } from '../live';
import { verdictChart } from '../map';
import { errorBox, field, h, input, pager } from '../ui';
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
  // The last committed era's published results (every node's leaf), read again only when a
  // newer era is committed.
  async function loadResults() {
    const last = await read<bigint>('Settlement', 'lastCommittedEra');
    const era = last === NO_ERA ? null : last;
    if (era !== lastEra || (era !== null && !results)) {
      lastEra = era;
      results = null;
      if (era !== null) {
        try {
          results = await eraResults(era);
        } catch (e) {
          eraLine.textContent = `era ${era} results unavailable: ${e instanceof Error ? e.message : e}`;
        }
      }
    }
    if (lastEra === null) eraLine.textContent = 'No era committed yet: nothing to claim.';
    else if (results) eraLine.textContent = `Rewards as of era ${lastEra} (the last committed).`;
  }

  const nodes = pager<ScalerNode>('/v1/scalernodes', { owner: w.address }, { testid: 'hp-nodes' }, async (items) => {
    try {
      await loadResults();
      if (items.length === 0) {
        list.replaceChildren(h('p', { class: 'card' }, 'This account owns no ScalerNode.'));
        return;
      }
      list.replaceChildren(...(await Promise.all(items.map((n) => nodeCard(n)))));
    } catch (e) {
      list.replaceChildren(errorBox(e));
    }
  });
  root.append(nodes.controls);
  const refresh = () => nodes.reload();

  // What the user typed survives the cards being rebuilt (every relevant event rebuilds them).
  const typed = new Map<string, string>();
  function sticky(testid: string, attrs: Record<string, string | number>): HTMLInputElement {
    const el = input({ ...attrs, testid, value: typed.get(testid) ?? attrs.value });
    el.addEventListener('input', () => typed.set(testid, el.value));
    return el;
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

    const topUp = sticky(`topup-amount-${n.node_id}`, { type: 'text', value: shortfall > 0n ? formatIcnt(shortfall, 18, '').replace(/,/g, '') : '1' });
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
    const from = sticky(`maint-from-${n.node_id}`, { type: 'number', min: 0, value: String(current + 2n) });
    const count = sticky(`maint-eras-${n.node_id}`, { type: 'number', min: 1, value: 1 });
    const maintBtn = h('button', { testid: `maint-${n.node_id}` }, 'Declare maintenance');
    maintBtn.addEventListener('click', async () => {
      maintBtn.disabled = true;
      await sendTx(`Maintenance node ${n.node_id}`, { contract: 'Settlement', functionName: 'declareMaintenance', args: [id, BigInt(from.value), BigInt(count.value)] });
      maintBtn.disabled = false;
    });

    // Per era: rewards diverted into the collateral (claims while it was short) and what slashes
    // took from it (GET /v1/scalernodes/{id}/collateral, paged by movement).
    const historyBody = h('tbody');
    const history = pager<CollateralMove>(`/v1/scalernodes/${n.node_id}/collateral`, {}, { testid: `collateral-history-${n.node_id}` }, (moves) => {
      const rows = collateralPerEra(moves).map((r) => h('tr', { 'data-era': r.era },
        h('td', { 'data-label': 'Era' }, String(r.era)),
        h('td', { 'data-label': 'Diverted in', 'data-wei': r.diverted.toString() }, formatIcnt(r.diverted)),
        h('td', { 'data-label': 'Slashed', 'data-wei': r.slashed.toString() }, formatIcnt(r.slashed))));
      historyBody.replaceChildren(...(rows.length ? rows : [h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'Nothing diverted or slashed yet'))]));
    });
    const historyBox = h('div', { class: 'history' },
      h('h3', {}, 'Collateral diverted / slashed per era'),
      h('div', { class: 'table-wrap' },
        h('table', { testid: `collateral-history-${n.node_id}` }, h('thead', {}, h('tr', {}, h('th', {}, 'Era'), h('th', {}, 'Rewards diverted in'), h('th', {}, 'Slashed from it'))), historyBody),
        history.controls));

    const chartBox = h('div', { class: 'chart' }, h('span', { class: 'muted' }, `per-era verdicts: ${DASH}`));
    // The last 100 committed eras (the list runs oldest first: start 99 eras before the last).
    void getOptional<Page<NodeEra>>(withQuery(`/v1/scalernodes/${n.node_id}/eras`, { limit: 100, cursor: eraCursor(lastErasFrom(lastEra, 100)) })).then((page) => {
      if (!page || page.items.length === 0) return;
      const c = verdictCounts(page.items);
      chartBox.replaceChildren(verdictChart(page.items), h('small', { class: 'muted' }, `UP ${c.up} · DOWN ${c.down} · maintenance ${c.maintenance} (last ${page.items.length} eras)`));
    }).catch((e) => chartBox.replaceChildren(errorBox(revertReason(e))));

    return h('article', { class: 'card node', testid: `hp-node-${n.node_id}` },
      h('h2', {}, `Node ${n.node_id} · ${n.name || ''} `, h('span', { class: `badge ${n.status}`, testid: `node-status-${n.node_id}` }, n.status)),
      h('p', { class: 'muted' }, `${formatCapacity(n.capacity)} in ${n.location} · cluster ${n.cluster_id} · commitment ends ${end ? new Date(end * 1000).toISOString().slice(0, 10) : DASH}`),
      h('dl', { class: 'grid' },
        h('dt', {}, 'Collateral required'), h('dd', {}, formatIcnt(required)),
        h('dt', {}, 'Collateral held'), h('dd', { testid: `collateral-${n.node_id}`, 'data-wei': held.toString() }, formatIcnt(held)),
        h('dt', {}, 'Shortfall (rewards divert here first)'), h('dd', { testid: `shortfall-${n.node_id}` }, formatIcnt(shortfall)),
        h('dt', {}, 'Rewards earned'), h('dd', {}, formatIcnt(earned)),
        h('dt', {}, 'Claimed'), h('dd', {}, formatIcnt(claimed)),
        h('dt', {}, 'Claimable'), h('dd', { testid: `claimable-${n.node_id}` }, formatIcnt(canClaim)),
        h('dt', {}, 'Slashed (taken / owed)'), h('dd', {}, `${formatIcnt(settlement.slashTaken)} / ${formatIcnt(owed)}`)),
      historyBox,
      chartBox,
      h('div', { class: 'actions' }, claimBtn),
      h('div', { class: 'actions' }, field('Top up (ICNT)', topUp), topUpBtn),
      h('div', { class: 'actions' }, field('Maintenance from era', from), field('eras', count), maintBtn));
  }

  const again = debounce(() => void refresh(), 500);
  return onChange(['Settlement', 'Collateral', 'Registry'], again);
}
