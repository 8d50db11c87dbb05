// End-to-end test of the console in real headless Chromium (Debian's, driven by playwright-core)
// against a real devnet started with the `icn` binary: the dashboard shows the devnet's counts and
// new eras without a reload, a Builder books through the UI (on chain, in the indexer and in the
// UI), a revert is shown decoded, an HP claim through the UI raises its ICNT balance. Screenshots
// of each page go to --out. Every wait is a condition with a deadline.
//
//   node e2e/console_e2e.mjs --icn build/release/cmd/icn/icn --artifacts build/release/artifacts \
//        --out build/release/console-e2e [--attach DEVNET_DIR]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { createPublicClient, http } from 'viem';

const { values: args } = parseArgs({
  options: {
    icn: { type: 'string' },
    artifacts: { type: 'string' },
    out: { type: 'string' },
    attach: { type: 'string' }, // an already running devnet's directory (development)
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
for (const k of ['artifacts', 'out']) if (!args[k]) throw new Error(`--${k} is required`);
if (!args.attach && !args.icn) throw new Error('--icn (or --attach) is required');
mkdirSync(args.out, { recursive: true });

const started = Date.now();
const log = (...m) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...m);
const results = [];
function check(ok, what, detail = '') {
  results.push({ ok, what, detail });
  log(ok ? 'ok  ' : 'FAIL', what, detail);
  if (!ok) throw new Error(`${what} ${detail}`);
}

// Polls `probe` until it returns a truthy value; throws with `what` and the last value at the deadline.
async function waitFor(what, probe, timeoutMs = 60_000, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

// ---- the devnet
let devnet = null;
let dir = args.attach;
if (!dir) {
  dir = mkdtempSync(join(tmpdir(), 'icn-console-e2e-'));
  const out = join(args.out, 'devnet.log');
  devnet = spawn(args.icn, ['devnet', '--dir', dir, '--fresh', '--scalernodes', '2', '--hypernodes', '1', '--satellites', '1', '--era-blocks', '8'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  devnet.stdout.on('data', (d) => { text += d; writeFileSync(out, text); });
  devnet.stderr.on('data', (d) => { text += d; writeFileSync(out, text); });
  devnet.on('exit', (code) => log(`icn devnet exited (${code})`));
}
async function stopDevnet() {
  if (!devnet || devnet.exitCode !== null) return;
  const exited = new Promise((r) => devnet.once('exit', r));
  devnet.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
  if (devnet.exitCode === null) devnet.kill('SIGKILL');
}

let browser = null;
let failed = false;
const profile = mkdtempSync(join(tmpdir(), 'icn-console-chromium-'));
try {
  const status = await waitFor('the devnet to be ready', () => {
    if (devnet && devnet.exitCode !== null) throw new Error('icn devnet exited early; see devnet.log');
    const s = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8'));
    return s.state === 'ready' ? s : null;
  }, 300_000, 500);
  const api = status.apiUrl;
  log('devnet ready: API', api, 'RPC', status.rpcUrl);
  const getJson = async (path) => {
    const r = await fetch(api + path);
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
    return r.json();
  };
  const abi = (name) => JSON.parse(readFileSync(join(args.artifacts, `${name}.json`), 'utf8')).abi;
  const deployment = JSON.parse(readFileSync(join(dir, 'deployment.json'), 'utf8'));
  const address = (name) => deployment.contracts[name] ?? deployment.contracts.find?.((c) => c.name === name)?.address;
  const config = await getJson('/v1/console-config');
  check(config.devnet === true && config.accounts.length > 0, 'the devnet serves its console config with devnet accounts', `(${config.accounts.map((a) => a.name).join(', ')})`);
  const chainClient = createPublicClient({ transport: http(status.rpcUrl) });
  const read = (contract, functionName, a = []) => chainClient.readContract({ address: config.contracts[contract], abi: abi(contract), functionName, args: a });
  const account = (name) => config.accounts.find((a) => a.name === name);

  // ---- the browser
  // A fresh profile per run (playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: args.chromium,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const text = (testid) => page.getByTestId(testid).first().innerText();
  const shot = (name) => page.screenshot({ path: join(args.out, `${name}.png`), fullPage: true });
  const txRow = (label) => page.locator(`[data-testid="tx"][data-label="${label}"]`).first();
  async function txOutcome(label, timeoutMs = 90_000) {
    return waitFor(`transaction "${label}" to finish`, async () => {
      const state = await txRow(label).getAttribute('data-state', { timeout: 1000 });
      if (state === 'confirmed' || state === 'failed') return { state, detail: await txRow(label).innerText() };
      return null;
    }, timeoutMs);
  }
  async function selectAccount(name) {
    await page.getByTestId('devnet-account').selectOption(name);
    await waitFor(`wallet ${name}`, async () => (await page.getByTestId('wallet-address').getAttribute('title')) === account(name).address);
  }
  async function go(nav) {
    await page.getByTestId(`nav-${nav}`).click();
  }

  // ---- Network dashboard: the devnet's counts, the map, eras arriving live
  await page.goto(api + '/');
  const stats = await getJson('/v1/stats');
  await waitFor('the dashboard\'s counts to match /v1/stats', async () => {
    const s = await getJson('/v1/stats');
    return (await text('stat-scaler-nodes')) === String(s.scaler_nodes.total) &&
      (await text('stat-hyper-nodes')) === String(s.hyper_nodes) && (await text('stat-hps')) === String(s.hardware_providers);
  });
  check(true, 'dashboard counts match the indexer', `(ScalerNodes ${stats.scaler_nodes.total}, HyperNodes ${stats.hyper_nodes}, HPs ${stats.hardware_providers})`);
  const nodes = (await getJson('/v1/scalernodes?limit=500')).items;
  const countries = new Set(nodes.map((n) => n.location));
  const mapped = await waitFor('the map\'s ScalerNode bubbles', async () => {
    const n = await page.locator('[data-testid="world-map"] circle.sn').count();
    return n > 0 ? n : null;
  });
  check(mapped === countries.size, 'the map has one ScalerNode bubble per country', `(${mapped} for ${[...countries].join(', ')})`);
  await waitFor('the event stream to be live', async () => (await page.getByTestId('live').getAttribute('data-state')) === 'live');
  const topEra = async () => {
    const cell = page.locator('[data-testid="eras-table"] tbody tr td').first();
    const t = await cell.innerText({ timeout: 1000 });
    return /^\d+$/.test(t) ? { era: Number(t) } : null; // era 0 is an era: wrapped, so truthy
  };
  const firstEra = (await waitFor('a committed era in the eras table', topEra, 120_000)).era;
  const newerEra = (await waitFor('a newer era to appear without a reload', async () => {
    const e = await topEra();
    return e !== null && e.era > firstEra ? e : null;
  }, 120_000)).era;
  const apiEra = await getJson(`/v1/eras/${newerEra}`);
  check(newerEra > firstEra && apiEra.era === newerEra, 'a new era appeared without a reload', `(era ${firstEra} → ${newerEra}, root ${apiEra.results_root.slice(0, 10)}… as the indexer has it)`);
  const eraShown = await text('current-era');
  const eraChain = await read('EraManager', 'currentEra');
  check(Math.abs(Number(eraShown) - Number(eraChain)) <= 1, 'the current era matches the chain', `(${eraShown} vs ${eraChain})`);
  await shot('network');

  // ---- Builder: quote, a decoded revert, approve + book
  const builder = account('builder');
  await selectAccount('builder');
  await go('builder');
  await waitFor('the cluster\'s available capacity', async () => (await text('cluster-info')).startsWith('available'));
  await page.getByTestId('duration-days').fill('10'); // below the 90-day minimum
  await page.getByTestId('quote-button').click();
  const refused = await waitFor('the quote refusal', async () => {
    const t = await page.getByTestId('quote').innerText();
    return t.includes('no quote') ? t : null;
  });
  check(/no quote: [A-Z][A-Za-z]+\(/.test(refused), 'a reverting quote shows the decoded custom error', `(${refused})`);
  await page.getByTestId('duration-days').fill('90');
  await page.getByTestId('quote-button').click();
  await waitFor('a quote', async () => (await page.getByTestId('quote-total').count()) > 0);
  const quotedNode = await text('quote-node');
  const margin = await text('quote-margin');
  check(/ICNT \(\d+(\.\d+)? %\)/.test(margin), 'the quote shows the margin and its rate', `(${margin})`);
  const bookingsBefore = (await getJson(`/v1/bookings?builder=${builder.address}`)).items.length;
  const builderIcntBefore = await read('ICNT', 'balanceOf', [builder.address]);
  await page.getByTestId('book-button').click();
  const booked = await txOutcome('Book capacity');
  check(booked.state === 'confirmed', 'booking through the UI is confirmed', `(${booked.detail.replace(/\s+/g, ' ')})`);
  const booking = await waitFor('the booking in the indexer', async () => {
    const items = (await getJson(`/v1/bookings?builder=${builder.address}`)).items;
    return items.length > bookingsBefore ? items.reduce((a, b) => (b.booking_id > a.booking_id ? b : a)) : null;
  });
  const onChain = await read('CapacityMarket', 'booking', [BigInt(booking.booking_id)]);
  check(onChain.builder.toLowerCase() === builder.address.toLowerCase() && String(onChain.nodeId) === quotedNode,
    'the booking is on chain for the quoted node', `(booking ${booking.booking_id}, node ${onChain.nodeId})`);
  const builderIcntAfter = await read('ICNT', 'balanceOf', [builder.address]);
  check(builderIcntAfter < builderIcntBefore, 'the Builder paid ICNT', `(${builderIcntBefore} → ${builderIcntAfter})`);
  await waitFor('the booking in the UI\'s list', async () => (await page.getByTestId('booking-id').allInnerTexts()).includes(String(booking.booking_id)));
  check(true, 'the booking appears in the UI without a reload', `(booking ${booking.booking_id})`);
  await shot('builder');

  // ---- Hardware Provider: a decoded failed transaction, then a claim that pays the HP
  const hp = account('hp-1');
  await selectAccount('hp-1');
  await go('provider');
  const hpNodes = (await getJson(`/v1/scalernodes?owner=${hp.address}`)).items;
  check(hpNodes.length > 0, 'hp-1 owns ScalerNodes', `(${hpNodes.map((n) => n.node_id).join(', ')})`);
  const node = hpNodes[0].node_id;
  await waitFor('the HP\'s node cards', async () => (await page.getByTestId(`hp-node-${node}`).count()) > 0);
  await page.getByTestId(`maint-from-${node}`).fill('0'); // in the past: Settlement refuses
  await page.getByTestId(`maint-${node}`).click();
  const maint = await txOutcome(`Maintenance node ${node}`);
  check(maint.state === 'failed' && /failed [A-Z][A-Za-z]+\(/.test(maint.detail.replace(/\s+/g, ' ')), 'a refused transaction shows failed with the decoded revert', `(${maint.detail.replace(/\s+/g, ' ')})`);

  // Rewards go to a node's collateral shortfall first: top it up through the UI, so the claim pays the HP.
  const shortfall = await read('Collateral', 'shortfall', [BigInt(node)]);
  if (shortfall > 0n) {
    await page.getByTestId(`topup-${node}`).click();
    const topped = await txOutcome(`Top up node ${node}`);
    check(topped.state === 'confirmed', 'a collateral top-up through the UI is confirmed', `(${shortfall} wei)`);
  }
  const claimableWei = await waitFor(`node ${node} to have something to claim (a committed era with its leaf)`, async () => {
    const t = await page.getByTestId(`claimable-${node}`).innerText({ timeout: 1000 });
    return t !== '0 ICNT' && t !== '—' && (await page.getByTestId(`claim-${node}`).isEnabled()) ? t : null;
  }, 240_000, 500);
  const hpBefore = await read('ICNT', 'balanceOf', [hp.address]);
  await page.getByTestId(`claim-${node}`).click();
  const claimed = await txOutcome(`Claim node ${node}`);
  check(claimed.state === 'confirmed', 'the HP claim through the UI is confirmed', `(claimable ${claimableWei})`);
  const hpAfter = await read('ICNT', 'balanceOf', [hp.address]);
  check(hpAfter > hpBefore, 'the claim raised the HP\'s ICNT balance', `(${hpBefore} → ${hpAfter})`);
  await waitFor('the UI balance to show the new balance', async () => (await page.getByTestId('icnt-balance').getAttribute('data-wei')) === hpAfter.toString());
  check(true, 'the UI shows the HP\'s new ICNT balance');
  await shot('provider');

  // ---- Staking: multiplier and expected APY before signing, equal to the chain's
  await go('staking');
  await waitFor('the APY preview', async () => (await page.getByTestId('expected-apy').count()) > 0);
  const multiplier = await read('Delegation', 'lockMultiplier', [360n]);
  const shown = await text('lock-multiplier');
  const tenThousandths = multiplier / 10n ** 14n; // the console truncates to 4 decimals
  const expected = `${tenThousandths / 10000n}.${(tenThousandths % 10000n).toString().padStart(4, '0')}`.replace(/\.?0+$/, '');
  check(shown === `${expected}×`, 'the lock multiplier shown is the chain\'s', `(${shown} vs ${multiplier})`);
  // Lock + delegate through the UI, the multiplier and expected APY on screen before signing.
  const delegateTo = BigInt(await page.getByTestId('delegate-node').inputValue());
  const delegatedBefore = await read('Delegation', 'delegatedTo', [delegateTo]);
  await page.getByTestId('delegate-amount').fill('100');
  await waitFor('the APY preview for 100 ICNT', async () => /%$/.test(await text('expected-apy')) && page.getByTestId('delegate-button').isEnabled());
  const apyShown = await text('expected-apy');
  await page.getByTestId('delegate-button').click();
  const delegated = await txOutcome('Lock + delegate');
  check(delegated.state === 'confirmed', 'lock + delegate through the UI is confirmed', `(expected APY shown ${apyShown})`);
  const delegatedAfter = await read('Delegation', 'delegatedTo', [delegateTo]);
  check(delegatedAfter - delegatedBefore === 100n * 10n ** 18n, 'the node\'s delegation grew by 100 ICNT on chain', `(node ${delegateTo}: ${delegatedBefore} → ${delegatedAfter})`);
  await shot('staking');

  // A HyperNode operator sees its HyperNode.
  const operator = account('hypernode-1-operator');
  const operated = (await getJson('/v1/hypernodes')).items.filter((x) => x.operator.toLowerCase() === operator.address.toLowerCase());
  await selectAccount('hypernode-1-operator');
  await waitFor('the operator\'s HyperNodes table', async () => (await page.getByTestId('hypernodes-table').count()) > 0);
  const rows = await page.locator('[data-testid="hypernodes-table"] tbody tr').count();
  check(operated.length > 0 && rows === operated.length, 'the HyperNode operator sees its HyperNodes', `(${rows} row(s), ids ${operated.map((x) => x.hyper_node_id).join(', ')})`);
  await shot('staking-operator');

  // ---- an EIP-1193 wallet: a minimal window.ethereum forwarding to anvil, which signs for the
  // Builder by impersonation; the console must use it instead of a devnet key.
  await chainClient.request({ method: 'anvil_impersonateAccount', params: [builder.address] });
  const walletPage = await browser.newPage();
  walletPage.on('pageerror', (e) => pageErrors.push(e.message));
  await walletPage.addInitScript(({ rpc, from }) => {
    localStorage.removeItem('icn.devnetAccount');
    let id = 0;
    window.ethereum = {
      isTestWallet: true,
      async request({ method, params }) {
        if (method === 'eth_requestAccounts' || method === 'eth_accounts') return [from];
        const r = await fetch(rpc, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params: params ?? [] }) });
        const body = await r.json();
        if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code, data: body.error.data });
        return body.result;
      },
      on() {},
    };
  }, { rpc: status.rpcUrl, from: builder.address });
  await walletPage.goto(api + '/builder');
  await walletPage.getByTestId('need-wallet').waitFor();
  await walletPage.getByTestId('connect-wallet').click();
  await waitFor('the injected wallet to connect', async () => (await walletPage.getByTestId('connect-wallet').innerText()).startsWith(builder.address.slice(0, 6)));
  await waitFor('the cluster\'s available capacity (injected wallet)', async () => (await walletPage.getByTestId('cluster-info').innerText()).startsWith('available'));
  const bookingsBeforeInjected = (await getJson(`/v1/bookings?builder=${builder.address}`)).items.length;
  await walletPage.getByTestId('quote-button').click();
  await waitFor('a quote (injected wallet)', async () => (await walletPage.getByTestId('quote-total').count()) > 0);
  await walletPage.getByTestId('book-button').click();
  const injected = await waitFor('the injected wallet\'s booking to finish', async () => {
    const row = walletPage.locator('[data-testid="tx"][data-label="Book capacity"]').first();
    const state = await row.getAttribute('data-state', { timeout: 1000 });
    return state === 'confirmed' || state === 'failed' ? { state, detail: await row.innerText() } : null;
  }, 90_000);
  check(injected.state === 'confirmed', 'a booking signed through an EIP-1193 wallet is confirmed', `(${injected.detail.replace(/\s+/g, ' ')})`);
  await waitFor('the second booking in the indexer', async () => (await getJson(`/v1/bookings?builder=${builder.address}`)).items.length > bookingsBeforeInjected);
  await chainClient.request({ method: 'anvil_stopImpersonatingAccount', params: [builder.address] });
  await walletPage.close();

  // ---- phone width: no page scrolls sideways
  await page.setViewportSize({ width: 390, height: 844 });
  for (const nav of ['network', 'builder', 'provider', 'staking']) {
    await go(nav);
    await page.waitForLoadState('networkidle').catch(() => {});
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `the ${nav} page fits a phone's width`, `(overflow ${overflow} px)`);
    await shot(`${nav}-phone`);
  }
  check(pageErrors.length === 0, 'no uncaught errors in the page', pageErrors.join('; '));
} catch (e) {
  failed = true;
  console.error('console e2e failed:', e instanceof Error ? e.stack : e);
  try {
    const pages = browser?.pages() ?? [];
    if (pages[0]) await pages[0].screenshot({ path: join(args.out, 'failure.png'), fullPage: true });
  } catch {}
} finally {
  await browser?.close().catch(() => {});
  await stopDevnet();
  rmSync(profile, { recursive: true, force: true });
  if (!failed && devnet && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  writeFileSync(join(args.out, 'results.json'), JSON.stringify(results, null, 2));
  log(`${results.filter((r) => r.ok).length} checks passed${failed ? ', then one failed' : ''}; artefacts in ${args.out}`);
  process.exit(failed ? 1 : 0);
}
