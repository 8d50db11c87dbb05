// Pieces several pages share: the wallet prompt and an account's ICNT balance.
import { read } from '../chain';
import { formatIcnt } from '../format';
import { h } from '../ui';

export function needWallet(root: HTMLElement, page: string): () => void {
  root.replaceChildren(h('h1', {}, page), h('p', { class: 'card', testid: 'need-wallet' }, 'Connect a wallet (top right) to use this page.'));
  return () => {};
}

export function balanceLine(address: `0x${string}`) {
  const value = h('strong', { testid: 'icnt-balance' }, '…');
  const el = h('p', { class: 'balance' }, h('code', {}, address), ' · ', value);
  async function refresh() {
    try {
      const b = await read<bigint>('ICNT', 'balanceOf', [address]);
      value.textContent = formatIcnt(b);
      value.dataset.wei = b.toString();
    } catch (e) {
      value.textContent = 'balance unavailable';
    }
  }
  void refresh();
  return { el, refresh };
}
