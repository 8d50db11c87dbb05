// The chain as the console sees it: a public client on the deployment's RPC, the contracts by name
// (ABIs from the build's artifacts), the signing wallet (EIP-1193 or a devnet account), and every
// transaction's life shown as pending → confirmed → failed with the decoded revert reason.
import {
  BaseError, ContractFunctionRevertedError, createPublicClient, createWalletClient, custom, defineChain,
  http, type Abi, type Address, type Chain, type PublicClient, type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { abis } from 'virtual:icn-abis';
import type { ConsoleConfig, DevnetAccount } from './api';

let config: ConsoleConfig;
let chain: Chain;
export let publicClient: PublicClient;

// Every custom error of every contract: a revert from an inner call is decoded whoever raised it.
const allErrors: Abi = (() => {
  const seen = new Set<string>();
  const out: any[] = [];
  for (const abi of Object.values(abis)) {
    for (const item of abi as any[]) {
      if (item.type !== 'error') continue;
      const key = item.name + '(' + item.inputs.map((i: any) => i.type).join(',') + ')';
      if (!seen.has(key)) { seen.add(key); out.push(item); }
    }
  }
  return out as Abi;
})();

export function abiOf(contract: string): Abi {
  const abi = abis[contract];
  if (!abi) throw new Error(`no ABI for ${contract}`);
  const names = new Set((abi as any[]).filter((i) => i.type === 'error').map((i) => i.name));
  return [...(abi as any[]), ...(allErrors as any[]).filter((e) => !names.has(e.name))] as Abi;
}

export function addressOf(contract: string): Address {
  const a = config.contracts[contract];
  if (!a) throw new Error(`the deployment has no ${contract}`);
  return a;
}

export function initChain(c: ConsoleConfig) {
  config = c;
  chain = defineChain({
    id: c.chain_id,
    name: c.devnet ? 'ICN devnet' : `ICN (chain ${c.chain_id})`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [c.rpc_url] } },
  });
  publicClient = createPublicClient({ chain, transport: http(c.rpc_url), pollingInterval: 1000 }) as PublicClient;
}

export function read<T = any>(contract: string, functionName: string, args: unknown[] = []): Promise<T> {
  return publicClient.readContract({ address: addressOf(contract), abi: abiOf(contract), functionName, args } as any) as Promise<T>;
}

// ---- wallet

export interface Wallet {
  kind: 'eip1193' | 'devnet';
  label: string;
  address: Address;
  client: WalletClient;
}
let wallet: Wallet | null = null;
const listeners: (() => void)[] = [];
export const currentWallet = () => wallet;
export function onWalletChange(f: () => void) { listeners.push(f); }
function setWallet(w: Wallet | null) {
  wallet = w;
  for (const f of listeners) f();
}

export function useDevnetAccount(a: DevnetAccount) {
  const account = privateKeyToAccount(a.private_key);
  const client = createWalletClient({ account, chain, transport: http(config.rpc_url) });
  localStorage.setItem('icn.devnetAccount', a.name);
  setWallet({ kind: 'devnet', label: a.name, address: account.address, client });
}

export async function connectInjected(): Promise<void> {
  const eth = (window as any).ethereum;
  if (!eth) throw new Error('no EIP-1193 wallet in this browser (window.ethereum)');
  const client = createWalletClient({ chain, transport: custom(eth) });
  const [address] = await client.requestAddresses();
  const current = await client.getChainId();
  if (current !== chain.id) {
    try {
      await client.switchChain({ id: chain.id });
    } catch {
      await client.addChain({ chain });
    }
  }
  localStorage.removeItem('icn.devnetAccount');
  setWallet({ kind: 'eip1193', label: 'wallet', address, client });
  eth.on?.('accountsChanged', (accounts: Address[]) => {
    if (accounts[0]) setWallet({ kind: 'eip1193', label: 'wallet', address: accounts[0], client });
    else setWallet(null);
  });
}

export function disconnect() {
  localStorage.removeItem('icn.devnetAccount');
  setWallet(null);
}

// ---- transactions

// The reason a call or transaction failed, in the contract's own words: "PriceAboveMax(12, 10)".
export function revertReason(e: unknown): string {
  if (e instanceof BaseError) {
    const reverted = e.walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
    if (reverted) {
      if (reverted.data?.errorName) {
        const args = (reverted.data.args ?? []).map((a) => (typeof a === 'bigint' ? a.toString() : JSON.stringify(a)));
        return `${reverted.data.errorName}(${args.join(', ')})`;
      }
      if (reverted.reason) return reverted.reason;
      return reverted.shortMessage;
    }
    return e.shortMessage;
  }
  return e instanceof Error ? e.message : String(e);
}

export interface TxRequest {
  contract: string;
  functionName: string;
  args: unknown[];
}
export type TxState = 'pending' | 'confirmed' | 'failed';

// Shows one transaction in the transactions panel and returns its receipt (null when it failed).
// The call is simulated first, so a revert is caught — and decoded — before anything is signed.
export async function sendTx(label: string, req: TxRequest): Promise<{ hash: `0x${string}`; logs: any[] } | null> {
  const row = txRow(label);
  const w = wallet;
  if (!w) {
    row.set('failed', 'no wallet connected');
    return null;
  }
  try {
    const abi = abiOf(req.contract);
    const { request } = await publicClient.simulateContract({
      address: addressOf(req.contract), abi, functionName: req.functionName, args: req.args, account: w.client.account ?? w.address,
    } as any);
    const hash = await w.client.writeContract({ ...(request as any), account: w.client.account ?? w.address, chain });
    row.set('pending', `sent ${hash.slice(0, 10)}…`, hash);
    const receipt = await publicClient.waitForTransactionReceipt({ hash, timeout: 120_000 });
    if (receipt.status !== 'success') {
      // Mined but reverted (the chain moved since the simulation): replay it to learn why.
      let reason = 'reverted';
      try {
        await publicClient.simulateContract({ ...(request as any), blockNumber: receipt.blockNumber });
      } catch (e) {
        reason = revertReason(e);
      }
      row.set('failed', `${reason} (block ${receipt.blockNumber})`, hash);
      return null;
    }
    row.set('confirmed', `block ${receipt.blockNumber}`, hash);
    return { hash, logs: receipt.logs as any[] };
  } catch (e) {
    row.set('failed', revertReason(e));
    return null;
  }
}

function txRow(label: string) {
  const panel = document.getElementById('toasts')!;
  const el = document.createElement('div');
  el.className = 'tx';
  el.dataset.testid = 'tx';
  el.dataset.label = label;
  el.innerHTML = `<strong></strong> <span class="state"></span> <span class="detail"></span>`;
  el.querySelector('strong')!.textContent = label;
  el.title = 'click to dismiss';
  el.addEventListener('click', () => el.remove());
  panel.prepend(el);
  while (panel.children.length > 6) panel.lastElementChild!.remove();
  const set = (state: TxState, detail: string, hash?: string) => {
    el.dataset.state = state;
    el.querySelector('.state')!.textContent = state;
    el.querySelector('.detail')!.textContent = detail;
    if (hash) el.title = hash;
  };
  set('pending', 'simulating…');
  return { set };
}
