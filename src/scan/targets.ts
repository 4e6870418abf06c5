/**
 * --target specs: IPv4, IPv6, `a.b.c.d-a.b.c.e` (or `a.b.c.d-e`), or CIDR no larger than /16 (docs/SAFETY.md).
 * Pure; a bad spec is a UsageError (exit 2) whose message says what is accepted.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { UsageError } from '../model/errors.js';

export const MAX_TARGETS_PER_SPEC = 65_536;

function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function intToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function expandTarget(spec: string): string[] {
  const raw = spec.trim();
  if (raw === '') throw new UsageError('empty --target: give an IPv4 or IPv6 address, a range a.b.c.d-a.b.c.e, or a CIDR block (/16 or smaller)', 'E_BAD_TARGET');
  const unbracketed = raw.replace(/^\[(.*)\]$/, '$1');
  if (isIPv4(unbracketed) || isIPv6(unbracketed)) return [unbracketed];
  const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(raw);
  if (cidr) {
    const [, base, bitsText] = cidr;
    const bits = Number(bitsText);
    if (!isIPv4(base!) || bits > 32) throw new UsageError(`bad CIDR block "${raw}"`, 'E_BAD_TARGET');
    if (bits < 16) throw new UsageError(`--target ${raw} is ${2 ** (32 - bits)} addresses; the largest block accepted is /16 (65536). Split it into /16 blocks or narrow it.`, 'E_TARGET_TOO_LARGE');
    const size = 2 ** (32 - bits);
    const start = Math.floor(ipv4ToInt(base!) / size) * size;
    // Skip the network and broadcast addresses of real subnets; /31 and /32 have none (RFC 3021).
    const [first, last] = bits >= 31 ? [start, start + size - 1] : [start + 1, start + size - 2];
    const out: string[] = [];
    for (let value = first; value <= last; value++) out.push(intToIpv4(value));
    return out;
  }
  const range = /^(\d+\.\d+\.\d+\.\d+)-(\d+(?:\.\d+\.\d+\.\d+)?)$/.exec(raw);
  if (range) {
    const [, from, toText] = range;
    const to = toText!.includes('.') ? toText! : from!.replace(/\d+$/, toText!);
    if (!isIPv4(from!) || !isIPv4(to)) throw new UsageError(`bad address range "${raw}"`, 'E_BAD_TARGET');
    const a = ipv4ToInt(from!);
    const b = ipv4ToInt(to);
    if (b < a) throw new UsageError(`address range "${raw}" ends before it starts`, 'E_BAD_TARGET');
    if (b - a + 1 > MAX_TARGETS_PER_SPEC) throw new UsageError(`--target ${raw} is ${b - a + 1} addresses; at most ${MAX_TARGETS_PER_SPEC} (a /16) per range`, 'E_TARGET_TOO_LARGE');
    const out: string[] = [];
    for (let value = a; value <= b; value++) out.push(intToIpv4(value));
    return out;
  }
  throw new UsageError(`bad --target "${raw}": give an IPv4 or IPv6 address, a range a.b.c.d-a.b.c.e, or a CIDR block (/16 or smaller)`, 'E_BAD_TARGET');
}

/** Expand every spec, de-duplicated, in the order given. */
export function expandTargets(specs: string[]): string[] {
  const seen = new Set<string>();
  for (const spec of specs) for (const address of expandTarget(spec)) seen.add(address);
  return [...seen];
}
