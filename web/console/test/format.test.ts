// The console's arithmetic and formatting: amounts, quotes, APY, refunds, countdowns.
import { describe, expect, it } from 'vitest';
import {
  claimable, eraCursor, lastErasFrom, collateralPerEra, countByCountry, DASH, daysToSeconds, expectedApy, expectedRefund, formatCapacity, formatCountdown, formatIcnt,
  formatMultiplier, formatPercent, formatReorg, orDash, pageSize, parseIcnt, parseReorg, parseTokenIds, quoteBreakdown, shortHex, toBigInt, verdictCounts, WAD, yearlyReward,
} from '../src/format';

describe('token amounts', () => {
  it('formats wei as ICNT with grouping, truncating toward zero', () => {
    expect(formatIcnt(0n)).toBe('0 ICNT');
    expect(formatIcnt(1234567890000000000000n)).toBe('1,234.5678 ICNT');
    expect(formatIcnt('1999999999999999999')).toBe('1.9999 ICNT'); // never rounded up
    expect(formatIcnt(100000n * WAD, 0)).toBe('100,000 ICNT');
    expect(formatIcnt(-5n * WAD / 2n)).toBe('-2.5 ICNT');
    expect(formatIcnt(1n, 18, '')).toBe('0.000000000000000001');
  });
  it('shows a dash for absent or malformed values', () => {
    expect(formatIcnt(undefined)).toBe(DASH);
    expect(formatIcnt(null)).toBe(DASH);
    expect(formatIcnt('12abc')).toBe(DASH);
    expect(formatIcnt('-1')).toBe(DASH);
    expect(orDash(undefined)).toBe(DASH);
    expect(orDash(0)).toBe('0');
    expect(formatCapacity(undefined)).toBe(DASH);
  });
  it('parses user input exactly', () => {
    expect(parseIcnt('12.5')).toBe(125n * WAD / 10n);
    expect(parseIcnt(' 1 ')).toBe(WAD);
    expect(parseIcnt('0.000000000000000001')).toBe(1n);
    expect(parseIcnt('0.0000000000000000001')).toBeNull(); // 19 decimals
    expect(parseIcnt('1e3')).toBeNull();
    expect(parseIcnt('-1')).toBeNull();
    expect(parseIcnt('')).toBeNull();
  });
  it('accepts only decimal strings, safe integers and bigints', () => {
    expect(toBigInt('123')).toBe(123n);
    expect(toBigInt(7)).toBe(7n);
    expect(toBigInt(1.5)).toBeNull();
    expect(toBigInt('0x10')).toBeNull();
    expect(toBigInt('9'.repeat(79))).toBeNull();
  });
});

describe('quote', () => {
  it('breaks the price down into rate, months and margin rate', () => {
    // 2.8 ICNT per unit-month, 10 units, 90 days = 3 months → price 84 ICNT, margin 25 % = 21 ICNT.
    const price = 84n * WAD;
    const margin = 21n * WAD;
    const b = quoteBreakdown({ nodeId: 3n, price, margin, total: price + margin }, 10n, daysToSeconds(90));
    expect(b.perUnitPerMonth).toBe(28n * WAD / 10n);
    expect(b.months).toBe('3.00');
    expect(b.marginRate).toBe(25n * WAD);
    expect(formatPercent(b.marginRate)).toBe('25 %');
  });
  it('never divides by zero', () => {
    const b = quoteBreakdown({ nodeId: 0n, price: 0n, margin: 0n, total: 0n }, 0n, 0n);
    expect(b.perUnitPerMonth).toBe(0n);
    expect(b.marginRate).toBe(0n);
  });
  it('computes durations in seconds', () => {
    expect(daysToSeconds(90)).toBe(7776000n);
  });
});

describe('staking', () => {
  it('scales the network APY by the lock multiplier', () => {
    const apy = 12n * WAD; // 12 %
    const multiplier = WAD / 2n; // 0.5×
    expect(expectedApy(apy, multiplier)).toBe(6n * WAD);
    expect(formatPercent(expectedApy(apy, multiplier))).toBe('6 %');
    expect(formatMultiplier(multiplier)).toBe('0.5×');
    expect(yearlyReward(1000n * WAD, 6n * WAD)).toBe(60n * WAD);
  });
});

describe('bookings and rewards', () => {
  it('refunds price ÷ eras per DOWN era, never more than the escrow', () => {
    expect(expectedRefund(100n, 10n, 3n)).toBe(30n);
    expect(expectedRefund(100n, 10n, 0n)).toBe(0n);
    expect(expectedRefund(100n, 10n, 25n)).toBe(100n);
    expect(expectedRefund(100n, 0n, 1n)).toBe(0n);
  });
  it('claims only what the cumulative leaf adds to what was claimed', () => {
    expect(claimable(10n, 5n, 4n, 5n)).toBe(6n);
    expect(claimable(10n, 5n, 12n, 6n)).toBe(0n); // an older leaf never pays
  });
  it('counts verdicts and countries', () => {
    expect(verdictCounts([{ verdict: 'up' }, { verdict: 'down' }, { verdict: 'up' }, { verdict: 'maintenance' }, { verdict: 'x' }])).toEqual({ up: 2, down: 1, maintenance: 1 });
    expect(countByCountry([{ location: 'DEU' }, { location: 'DEU' }, { location: 'FRA' }, { location: 'de' }, {}])).toEqual({ DEU: 2, FRA: 1 });
  });
});

describe('display', () => {
  it('formats countdowns and hashes', () => {
    expect(formatCountdown(5)).toBe('5s');
    expect(formatCountdown(65)).toBe('1m 05s');
    expect(formatCountdown(3700)).toBe('1h 01m');
    expect(formatCountdown(-1)).toBe(DASH);
    expect(shortHex('0x' + 'ab'.repeat(32))).toBe('0xababab…abab');
    expect(shortHex(null)).toBe(DASH);
  });
});

describe('paging, collateral history, reorgs, token ids', () => {
  it('takes a stored page size only when the API accepts it', () => {
    expect(pageSize(null, 20)).toBe(20);
    expect(pageSize('1', 20)).toBe(1);
    expect(pageSize('500', 20)).toBe(500);
    expect(pageSize('501', 20)).toBe(20);
    expect(pageSize('0', 20)).toBe(20);
    expect(pageSize('2.5', 20)).toBe(20);
    expect(pageSize('-1', 20)).toBe(20);
  });
  it('sums collateral movements per era, newest first', () => {
    const rows = collateralPerEra([
      { era: 3, kind: 'diverted', amount: '115' },
      { era: 4, kind: 'slashed', amount: '40' },
      { era: 4, kind: 'diverted', amount: '7' },
      { era: 4, kind: 'diverted', amount: '3' },
      { era: 5, kind: 'topup', amount: '9' }, // not a kind the route sends: skipped
      { era: 6, kind: 'diverted', amount: 'x' }, // malformed: skipped
    ]);
    expect(rows).toEqual([
      { era: 4, diverted: 10n, slashed: 40n },
      { era: 3, diverted: 115n, slashed: 0n },
    ]);
    expect(collateralPerEra([])).toEqual([]);
  });
  it('parses the event stream\'s reorg message strictly', () => {
    const hash = '0x' + 'ab'.repeat(32);
    const r = parseReorg(JSON.stringify({ from_block: 12, to_block: 10, block_hash: hash, last_event_id: 1 }));
    expect(r).toEqual({ from_block: 12, to_block: 10, block_hash: hash, last_event_id: 1 });
    expect(formatReorg(r!)).toBe('chain reorganised: blocks 11–12 replaced; reloaded');
    expect(parseReorg(JSON.stringify({ from_block: 12, to_block: 10, block_hash: hash, last_event_id: null }))?.last_event_id).toBeNull();
    expect(parseReorg('{')).toBeNull();
    expect(parseReorg(JSON.stringify({ from_block: -1, to_block: 10, block_hash: hash, last_event_id: 1 }))).toBeNull();
    expect(parseReorg(JSON.stringify({ from_block: 12, to_block: 10, block_hash: '0x12', last_event_id: 1 }))).toBeNull();
  });
  it('parses Link token ids', () => {
    expect(parseTokenIds('3, 4 7')).toEqual([3n, 4n, 7n]);
    expect(parseTokenIds('1')).toEqual([1n]);
    expect(parseTokenIds('')).toBeNull();
    expect(parseTokenIds('0')).toBeNull();
    expect(parseTokenIds('3, 3')).toBeNull();
    expect(parseTokenIds('3; rm')).toBeNull();
  });
});

describe('per-era windows', () => {
  it('starts a per-era list at an era', () => {
    expect(eraCursor(null)).toBeNull();
    expect(eraCursor(0)).toBeNull(); // era 0 is the first: no cursor
    expect(eraCursor(1)).toBe('0');
    expect(eraCursor(500n)).toBe('499');
  });
  it('finds the first of the last n eras', () => {
    expect(lastErasFrom(null, 10)).toBeNull();
    expect(lastErasFrom(3n, 10)).toBe(0n);
    expect(lastErasFrom(9n, 10)).toBe(0n);
    expect(lastErasFrom(10n, 10)).toBe(1n);
    expect(lastErasFrom(2159n, 100)).toBe(2060n);
  });
});
