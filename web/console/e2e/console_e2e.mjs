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
import { createPublicClient, createWalletClient, http, parseEventLogs } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';

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
  const WAD = 10n ** 18n;
  const icntText = (wei) => `${wei / WAD}.${(wei % WAD).toString().padStart(18, '0')}`; // exact, for inputs
  // The logs of `eventName` that `contract` emitted in blocks [fromBlock, latest].
  const logsOf = async (contract, eventName, fromBlock) => parseEventLogs({
    abi: abi(contract), eventName,
    logs: await chainClient.getLogs({ address: config.contracts[contract], fromBlock, toBlock: 'latest' }),
  });

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

  // The node list pages: with a page size of 1 the first node shows with "More", which loads the rest.
  check(hpNodes.length >= 2, 'hp-1 owns more than one ScalerNode (paging needs two)', `(${hpNodes.length})`);
  const cards = () => page.locator('article[data-testid^="hp-node-"]').count();
  async function withPageSize(size, nav) {
    await page.evaluate((v) => (v === null ? localStorage.removeItem('icn.pageSize') : localStorage.setItem('icn.pageSize', v)), size);
    await go('network');
    await go(nav);
  }
  await withPageSize('1', 'provider');
  await waitFor('one node card and a More button', async () => (await cards()) === 1 && (await page.getByTestId('hp-nodes-more').isVisible()));
  await page.getByTestId('hp-nodes-more').click();
  await waitFor('every node card after More', async () => (await cards()) === hpNodes.length);
  const shownIds = await page.locator('article[data-testid^="hp-node-"]').evaluateAll((els) => els.map((e) => e.dataset.testid.slice('hp-node-'.length)));
  check(shownIds.join(',') === hpNodes.map((n) => String(n.node_id)).join(','), 'the HP\'s node list pages: 1 card, then "More" loads the rest', `(${shownIds.join(', ')})`);
  await withPageSize(null, 'provider');
  await waitFor('the HP\'s node cards (default page size)', async () => (await cards()) === hpNodes.length);

  // Top-up through the UI: the shortfall (rewards go there first; closing it makes the claim pay the
  // HP) plus 2.5 ICNT; the collateral grows and the HP's ICNT falls by exactly that.
  const shortfall = await read('Collateral', 'shortfall', [BigInt(node)]);
  const topUpWei = shortfall + 25n * WAD / 10n;
  const collateralBefore = await read('Collateral', 'collateralOf', [BigInt(node)]);
  const hpBeforeTopUp = await read('ICNT', 'balanceOf', [hp.address]);
  await page.getByTestId(`topup-amount-${node}`).fill(icntText(topUpWei));
  await page.getByTestId(`topup-${node}`).click();
  const topped = await txOutcome(`Top up node ${node}`);
  check(topped.state === 'confirmed', 'a collateral top-up through the UI is confirmed', `(${icntText(topUpWei)} ICNT, shortfall was ${shortfall} wei)`);
  const collateralAfter = await read('Collateral', 'collateralOf', [BigInt(node)]);
  const hpAfterTopUp = await read('ICNT', 'balanceOf', [hp.address]);
  check(collateralAfter - collateralBefore === topUpWei && hpBeforeTopUp - hpAfterTopUp === topUpWei,
    'the top-up moved exactly the amount entered from the HP into the node\'s collateral', `(collateral ${collateralBefore} → ${collateralAfter})`);
  await waitFor('the UI\'s collateral to show the top-up', async () => (await page.getByTestId(`collateral-${node}`).getAttribute('data-wei')) === collateralAfter.toString());

  const claimableWei = await waitFor(`node ${node} to have something to claim (a committed era with its leaf)`, async () => {
    const t = await page.getByTestId(`claimable-${node}`).innerText({ timeout: 1000 });
    return t !== '0 ICNT' && t !== '—' && (await page.getByTestId(`claim-${node}`).isEnabled()) ? t : null;
  }, 240_000, 500);
  const hpBefore = await read('ICNT', 'balanceOf', [hp.address]);
  const claimFrom = await chainClient.getBlockNumber();
  await page.getByTestId(`claim-${node}`).click();
  const claimed = await txOutcome(`Claim node ${node}`);
  check(claimed.state === 'confirmed', 'the HP claim through the UI is confirmed', `(claimable ${claimableWei})`);
  const hpAfter = await read('ICNT', 'balanceOf', [hp.address]);
  const claims = (await logsOf('Settlement', 'HpRewardsClaimed', claimFrom)).filter((l) => l.args.nodeId === BigInt(node));
  check(claims.length === 1, 'the claim emitted one HpRewardsClaimed', `(${claims.length})`);
  const paid = claims[0].args;
  check(hpAfter - hpBefore === paid.toHp && paid.toHp > 0n, 'the claim raised the HP\'s ICNT by exactly its toHp', `(${hpBefore} → ${hpAfter}; utilisation ${paid.utilisation} + subsidy ${paid.subsidy} = collateral ${paid.toCollateral} + delegators ${paid.toDelegators} + HP ${paid.toHp})`);
  await waitFor('the UI balance to show the new balance', async () => (await page.getByTestId('icnt-balance').getAttribute('data-wei')) === hpAfter.toString());
  check(true, 'the UI shows the HP\'s new ICNT balance');

  // Collateral diverted / slashed per era: the UI's table equals the indexer's movements summed per
  // era, and a claim that diverted anything is among them.
  const moves = await waitFor('the claim in the indexer', async () => {
    const items = [];
    let cursor = null;
    do {
      const p = await getJson(`/v1/scalernodes/${node}/collateral?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      items.push(...p.items);
      cursor = p.next_cursor;
    } while (cursor);
    const indexed = (await getJson(`/v1/accounts/${hp.address}`)).claims.some((c) => c.subject_id === node && c.era === Number(paid.era));
    return indexed ? items : null;
  });
  if (paid.toCollateral > 0n) {
    check(moves.some((m) => m.kind === 'diverted' && m.era === Number(paid.era) && m.amount === paid.toCollateral.toString()), 'the indexer lists the rewards the claim diverted into collateral', `(${paid.toCollateral} wei, era ${paid.era})`);
  }
  const perEra = new Map();
  for (const m of moves) {
    const r = perEra.get(m.era) ?? { diverted: 0n, slashed: 0n };
    r[m.kind] += BigInt(m.amount);
    perEra.set(m.era, r);
  }
  const uiRows = await waitFor('the collateral history table', async () => {
    const rows = await page.locator(`[data-testid="collateral-history-${node}"] tbody tr[data-era]`).evaluateAll((trs) => trs.map((tr) => ({ era: Number(tr.dataset.era), wei: [...tr.querySelectorAll('td[data-wei]')].map((td) => td.dataset.wei) })));
    return rows.length === perEra.size ? rows : null;
  });
  const matches = uiRows.every((r) => { const e = perEra.get(r.era); return e && r.wei[0] === e.diverted.toString() && r.wei[1] === e.slashed.toString(); });
  check(matches, 'the HP page shows the collateral diverted and slashed per era as indexed', `(${uiRows.length} era(s)${uiRows.length ? ': ' + uiRows.map((r) => `${r.era}: +${r.wei[0]} −${r.wei[1]}`).join(', ') : ', nothing diverted'})`);
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

  // ---- HyperNode operator and Link holder. A second HyperNode for the operator (registered and
  // retired at once, so no daemon is sent to it) makes its list two long: it pages.
  const operator = account('hypernode-1-operator');
  const operatorWallet = createWalletClient({ account: privateKeyToAccount(operator.private_key), transport: http(status.rpcUrl) });
  const write = async (contract, functionName, a) => {
    const hash = await operatorWallet.writeContract({ chain: null, address: config.contracts[contract], abi: abi(contract), functionName, args: a });
    const receipt = await chainClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new Error(`${contract}.${functionName} reverted`);
    return receipt;
  };
  const signer = privateKeyToAccount(generatePrivateKey());
  const proofHash = await read('HyperNodeRegistry', 'hyperNodeKeyProofHash', [operator.address]);
  const keyProof = await signer.signMessage({ message: { raw: proofHash } });
  const registered = await write('HyperNodeRegistry', 'registerHyperNode', [signer.address, '0x444555', 'http://127.0.0.1:9', keyProof]);
  const extraId = parseEventLogs({ abi: abi('HyperNodeRegistry'), eventName: 'HyperNodeRegistered', logs: registered.logs })[0].args.hyperNodeId;
  await write('HyperNodeRegistry', 'retireHyperNode', [extraId]);
  const operated = await waitFor('the operator\'s two HyperNodes in the indexer', async () => {
    const items = (await getJson(`/v1/hypernodes?operator=${operator.address}`)).items;
    return items.length >= 2 && items.some((x) => x.hyper_node_id === Number(extraId) && x.retired) ? items : null;
  });
  await selectAccount('hypernode-1-operator');
  await withPageSize('1', 'staking');
  const hyperRows = () => page.locator('[data-testid="hypernodes-table"] [data-testid="hypernode-id"]').allInnerTexts();
  await waitFor('one HyperNode row and a More button', async () => (await hyperRows()).length === 1 && (await page.getByTestId('hypernodes-table-more').isVisible()));
  await page.getByTestId('hypernodes-table-more').click();
  const allRows = await waitFor('every HyperNode row after More', async () => { const r = await hyperRows(); return r.length === operated.length ? r : null; });
  check(allRows.join(',') === operated.map((x) => String(x.hyper_node_id)).join(','), 'the operator\'s HyperNodes page: 1 row, then "More" loads the rest', `(ids ${allRows.join(', ')})`);
  await withPageSize(null, 'staking');

  // Link rewards: the operator's bundle (staked by the devnet) claims through the UI; its ICNT grows
  // by exactly the leaf's reward minus what was claimed before.
  const bundle = (await getJson(`/v1/links?owner=${operator.address}&status=staked`)).items[0];
  check(bundle !== undefined, 'the operator holds a staked Link bundle', `(${JSON.stringify(bundle)})`);
  const bundleId = BigInt(bundle.bundle_id);
  await waitFor(`Link rewards due on bundle ${bundleId}`, async () => page.getByTestId(`claim-link-${bundleId}`).isEnabled({ timeout: 1000 }), 240_000, 500);
  const claimedBefore = await read('Settlement', 'claimedLinkRewards', [bundleId]);
  const opBefore = await read('ICNT', 'balanceOf', [operator.address]);
  const linkFrom = await chainClient.getBlockNumber();
  await page.getByTestId(`claim-link-${bundleId}`).click();
  const linkClaim = await txOutcome(`Claim bundle ${bundleId}`);
  check(linkClaim.state === 'confirmed', 'a Link reward claim through the UI is confirmed', `(${linkClaim.detail.replace(/\s+/g, ' ')})`);
  const linkLogs = (await logsOf('Settlement', 'LinkRewardsClaimed', linkFrom)).filter((l) => l.args.bundleId === bundleId);
  const claimedAfter = await read('Settlement', 'claimedLinkRewards', [bundleId]);
  const opAfter = await read('ICNT', 'balanceOf', [operator.address]);
  const leafEra = linkLogs[0]?.args.era;
  const leaf = leafEra === undefined ? null : (await getJson(`/v1/console/era-results/${leafEra}`)).links.find((l) => l.bundleId === String(bundleId));
  check(linkLogs.length === 1 && leaf && BigInt(leaf.reward) === claimedAfter && opAfter - opBefore === claimedAfter - claimedBefore && linkLogs[0].args.amount === claimedAfter - claimedBefore,
    'the Link claim paid the owner exactly the era leaf\'s reward minus what was claimed', `(era ${leafEra}: reward ${leaf?.reward}, claimed ${claimedBefore} → ${claimedAfter}, ICNT +${opAfter - opBefore})`);

  // Unstake through the UI: the HyperNode's staked Links drop by exactly the bundle's; after the
  // unstaking delay "Complete unstake" frees them; staking them again through the UI adds them back.
  const hn = BigInt(bundle.hyper_node_id);
  const tokenIds = await read('ICNLink', 'bundleTokenIds', [bundleId]);
  const stakedBefore = await read('ICNLink', 'stakedLinks', [hn]);
  await page.getByTestId(`unstake-${bundleId}`).click();
  const unstaking = await txOutcome(`Unstake bundle ${bundleId}`);
  const stakedUnstaking = await read('ICNLink', 'stakedLinks', [hn]);
  const b1 = await read('ICNLink', 'bundle', [bundleId]);
  check(unstaking.state === 'confirmed' && stakedBefore - stakedUnstaking === BigInt(tokenIds.length) && b1.status === 2,
    'unstaking through the UI takes exactly the bundle\'s Links off the HyperNode', `(HyperNode ${hn}: ${stakedBefore} → ${stakedUnstaking} Links; withdrawable from era ${b1.withdrawableEra})`);
  await waitFor('the unstaking delay to pass and the UI to offer "Complete unstake"', async () =>
    (await read('EraManager', 'currentEra')) >= b1.withdrawableEra && (await page.getByTestId(`unstake-${bundleId}`).innerText({ timeout: 1000 })) === 'Complete unstake', 180_000, 500);
  await page.getByTestId(`unstake-${bundleId}`).click();
  const completed = await txOutcome(`Complete unstake ${bundleId}`);
  const b2 = await read('ICNLink', 'bundle', [bundleId]);
  const freed = await Promise.all(tokenIds.map((t) => read('ICNLink', 'stakedBundleOf', [t])));
  check(completed.state === 'confirmed' && b2.status === 3 && freed.every((x) => x === 0n), 'completing the unstake through the UI frees the Links', `(tokens ${tokenIds.join(', ')})`);
  await page.getByTestId('stake-hypernode').fill(String(hn));
  await page.getByTestId('stake-tokens').fill(tokenIds.join(', '));
  await page.getByTestId('stake-button').click();
  const staked = await txOutcome('Stake Links');
  const stakedAgain = await read('ICNLink', 'stakedLinks', [hn]);
  const newBundle = await read('ICNLink', 'bundleCount');
  const nb = await read('ICNLink', 'bundle', [newBundle]);
  check(staked.state === 'confirmed' && stakedAgain - stakedUnstaking === BigInt(tokenIds.length) && nb.owner.toLowerCase() === operator.address.toLowerCase() && nb.hyperNodeId === hn,
    'staking Links through the UI adds exactly them to the HyperNode as a new bundle', `(bundle ${newBundle}: ${stakedUnstaking} → ${stakedAgain} Links)`);
  await waitFor('the new bundle in the UI\'s list', async () => (await page.getByTestId(`unstake-${newBundle}`).count()) > 0, 60_000);
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
  // ---- a reorg, last (it rewinds every process's chain): anvil reverts to a snapshot below what the
  // indexer has indexed and mines other blocks at those heights; the indexer rolls back, its event
  // stream says `event: reorg`, and the page hears it (and refetches, live.ts onResync).
  await page.setViewportSize({ width: 1280, height: 900 });
  await go('network');
  const snapshot = await chainClient.request({ method: 'evm_snapshot', params: [] });
  const forkBlock = await chainClient.getBlockNumber();
  await waitFor('the indexer to index past the snapshot', async () => (await getJson('/v1/stats')).indexed_block >= Number(forkBlock) + 2, 60_000);
  const reverted = await chainClient.request({ method: 'evm_revert', params: [snapshot] });
  await chainClient.request({ method: 'anvil_mine', params: ['0x5'] }); // a longer fork at the same heights
  const reorgTo = await waitFor('the page to hear the reorg', async () => {
    const live = page.getByTestId('live');
    return (await live.getAttribute('data-reorgs')) === '1' ? Number(await live.getAttribute('data-reorg-to')) : null;
  }, 60_000);
  check(reverted === true && reorgTo <= Number(forkBlock), 'a chain reorg reaches the console through the event stream', `(fork at block ${forkBlock}, indexer rolled back to ${reorgTo}: "${await page.getByTestId('live').getAttribute('title')}")`);
  await waitFor('the dashboard to match the indexer after the reorg', async () => {
    const s = await getJson('/v1/stats');
    return (await text('stat-scaler-nodes')) === String(s.scaler_nodes.total) && (await text('stat-hyper-nodes')) === String(s.hyper_nodes);
  });
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
