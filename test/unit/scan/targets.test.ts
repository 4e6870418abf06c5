import { describe, expect, it } from 'vitest';
import { expandTarget, expandTargets, parseTargets } from '../../../src/scan/targets.js';
import { UsageError } from '../../../src/model/errors.js';

describe('--target specs', () => {
  it('accepts single IPv4 and IPv6 addresses (bracketed too)', () => {
    expect(expandTarget('192.0.2.7')).toEqual(['192.0.2.7']);
    expect(expandTarget('fe80::1')).toEqual(['fe80::1']);
    expect(expandTarget('[2001:db8::5]')).toEqual(['2001:db8::5']);
  });

  it('expands ranges, short ranges and CIDR blocks without network/broadcast', () => {
    expect(expandTarget('192.0.2.250-192.0.3.1')).toEqual(['192.0.2.250', '192.0.2.251', '192.0.2.252', '192.0.2.253', '192.0.2.254', '192.0.2.255', '192.0.3.0', '192.0.3.1']);
    expect(expandTarget('10.1.1.5-7')).toEqual(['10.1.1.5', '10.1.1.6', '10.1.1.7']);
    const block = expandTarget('198.18.4.0/24');
    expect(block).toHaveLength(254);
    expect(block[0]).toBe('198.18.4.1');
    expect(block.at(-1)).toBe('198.18.4.254');
    expect(expandTarget('198.18.0.0/16')).toHaveLength(65534);
    expect(expandTarget('198.18.0.7/32')).toEqual(['198.18.0.7']);
  });

  it('refuses blocks larger than /8 and malformed specs with a usage error that says what is accepted', () => {
    expect(() => expandTarget('10.0.0.0/7')).toThrow(UsageError);
    expect(() => expandTarget('10.0.0.0/7')).toThrow(/largest block accepted is \/8/);
    expect(() => expandTarget('10.0.0.0-12.0.0.0')).toThrow(/at most 16777216/);
    expect(() => parseTargets(['10.0.0.0/8', '11.0.0.0/9'])).toThrow(/together; at most 16777216/);
    expect(() => expandTarget('camera.local')).toThrow(/give an IPv4 or IPv6 address/);
    expect(() => expandTarget('10.0.0.9-10.0.0.1')).toThrow(/ends before it starts/);
    expect(() => expandTarget('300.1.1.1')).toThrow(UsageError);
  });

  it('de-duplicates across specs, keeping order', () => {
    expect(expandTargets(['10.0.0.2', '10.0.0.1-3'])).toEqual(['10.0.0.2', '10.0.0.1', '10.0.0.3']);
  });

  it('holds a /12 as ranges: size, addresses on demand, overlaps swept once', () => {
    const set = parseTargets(['10.16.0.0/12', '10.16.0.5-10.16.0.9', '10.31.255.250-10.32.0.3', 'fd00::1']);
    // /12 without network and broadcast, plus the part of the last range outside the block, plus one IPv6.
    expect(set.size).toBe(2 ** 20 - 2 + 5 + 1);
    expect(set.at(0)).toBe('10.16.0.1');
    expect(set.at(2 ** 20 - 3)).toBe('10.31.255.254');
    expect(set.slice(2 ** 20 - 2, 2 ** 20 + 3)).toEqual(['10.31.255.255', '10.32.0.0', '10.32.0.1', '10.32.0.2', '10.32.0.3']);
    expect(set.at(set.size - 1)).toBe('fd00::1');
    expect(set.ipv4Count).toBe(set.size - 1);
  });
});
