// The console's entry: loads /v1/console-config, sets up the chain and wallet, routes between the
// pages (history API; the indexer serves index.html for every route) and starts the live stream.
import './style.css';
import { loadConfig, type ConsoleConfig } from './api';
import { connectInjected, currentWallet, disconnect, initChain, onWalletChange, revertReason, useDevnetAccount } from './chain';
import { formatReorg, shortHex } from './format';
import { startLive } from './live';
import { builderPage } from './pages/builder';
import { networkPage } from './pages/network';
import { providerPage } from './pages/provider';
import { stakingPage } from './pages/staking';
import { h } from './ui';

const ROUTES: { path: string; title: string; page: (root: HTMLElement) => () => void }[] = [
  { path: '/', title: 'Network', page: networkPage },
  { path: '/builder', title: 'Builder', page: builderPage },
  { path: '/provider', title: 'Hardware Provider', page: providerPage },
  { path: '/staking', title: 'HyperNodes & staking', page: stakingPage },
];

let leave: () => void = () => {};
function render() {
  const route = ROUTES.find((r) => r.path === location.pathname) ?? ROUTES[0];
  document.title = `${route.title} · ICN Console`;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('#nav a')) a.classList.toggle('active', a.getAttribute('href') === route.path);
  leave();
  const app = document.getElementById('app')!;
  app.dataset.page = route.path;
  leave = route.page(app);
}

function navigate(path: string) {
  history.pushState(null, '', path);
  render();
}

function renderWallet(config: ConsoleConfig) {
  const box = document.getElementById('wallet')!;
  const w = currentWallet();
  const parts: HTMLElement[] = [];
  if (config.devnet && config.accounts?.length) {
    const sel = h('select', { testid: 'devnet-account', title: 'devnet wallet: keys this devnet generated' },
      h('option', { value: '' }, 'devnet account…'),
      ...config.accounts.map((a) => h('option', { value: a.name, selected: w?.kind === 'devnet' && w.label === a.name }, a.name)));
    sel.addEventListener('change', () => {
      const a = config.accounts!.find((x) => x.name === sel.value);
      if (a) useDevnetAccount(a);
      else disconnect();
    });
    parts.push(sel);
  }
  if (w?.kind !== 'devnet') {
    const btn = h('button', { testid: 'connect-wallet' }, w ? shortHex(w.address, 4) : 'Connect wallet');
    btn.addEventListener('click', () => connectInjected().catch((e) => alert(revertReason(e))));
    parts.push(btn);
  } else {
    parts.push(h('code', { testid: 'wallet-address', title: w.address }, shortHex(w.address, 4)));
  }
  box.replaceChildren(...parts);
}

async function main() {
  const app = document.getElementById('app')!;
  let config: ConsoleConfig;
  try {
    config = await loadConfig();
  } catch (e) {
    app.replaceChildren(h('p', { class: 'error' }, `Cannot load the console config: ${e instanceof Error ? e.message : e}`));
    return;
  }
  initChain(config);
  const nav = document.getElementById('nav')!;
  nav.replaceChildren(...ROUTES.map((r) => h('a', { href: r.path, testid: `nav-${r.path === '/' ? 'network' : r.path.slice(1)}` }, r.title)));
  nav.addEventListener('click', (e) => {
    const a = (e.target as HTMLElement).closest('a');
    if (a && a.origin === location.origin) {
      e.preventDefault();
      navigate(a.pathname);
    }
  });
  window.addEventListener('popstate', render);
  const live = h('span', { class: 'live', testid: 'live' }, 'connecting');
  document.querySelector('header.top')!.append(live);
  // A reorg: the pages refetch (live.ts onResync); the header says so and counts them.
  let reorgs = 0;
  startLive((s) => { live.textContent = s; live.dataset.state = s; }, (r) => {
    reorgs++;
    live.title = formatReorg(r);
    live.dataset.reorgs = String(reorgs);
    live.dataset.reorgTo = String(r.to_block);
  });

  const remembered = localStorage.getItem('icn.devnetAccount');
  const account = config.accounts?.find((a) => a.name === remembered);
  if (config.devnet && account) useDevnetAccount(account);
  onWalletChange(() => { renderWallet(config); render(); });
  renderWallet(config);
  render();
}

void main();
