/**
 * --target specs: IPv4, IPv6, `a.b.c.d-a.b.c.e` (or `a.b.c.d-e`), or an IPv4 CIDR block up to a /8 (docs/SAFETY.md).
 * Pure; a bad spec is a UsageError (exit 2) whose message says what is accepted. Blocks are kept as ranges
 * (TargetSet), never as a list of a million strings.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { UsageError } from '../model/errors.js';
import { TargetSet, TargetSetBuilder, ipv4ToInt } from '../model/target-set.js';

/** A /8: the largest block or range one spec (and the whole sweep) may name. */
export const MAX_TARGETS_PER_SPEC = 16_777_216;
const SMALLEST_PREFIX = 8;
const ACCEPTED = 'give an IPv4 or IPv6 address, a range a.b.c.d-a.b.c.e, or a CIDR block (/8 or smaller)';

function addSpec(builder: TargetSetBuilder, spec: string): void {
  const raw = spec.trim();
  if (raw === '') throw new UsageError(`empty --target: ${ACCEPTED}`, 'E_BAD_TARGET');
  const unbracketed = raw.replace(/^\[(.*)\]$/, '$1');
  if (isIPv6(unbracketed)) return builder.addIpv6(unbracketed);
  if (isIPv4(unbracketed)) return builder.addRange(ipv4ToInt(unbracketed), 1);
  const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(raw);
  if (cidr) {
    const [, base, bitsText] = cidr;
    const bits = Number(bitsText);
    if (!isIPv4(base!) || bits > 32) throw new UsageError(`bad CIDR block "${raw}"`, 'E_BAD_TARGET');
    if (bits < SMALLEST_PREFIX) throw new UsageError(`--target ${raw} is ${2 ** (32 - bits)} addresses; the largest block accepted is /${SMALLEST_PREFIX} (${MAX_TARGETS_PER_SPEC}). Split it or narrow it.`, 'E_TARGET_TOO_LARGE');
    const size = 2 ** (32 - bits);
    const start = Math.floor(ipv4ToInt(base!) / size) * size;
    // Skip the network and broadcast addresses of real subnets; /31 and /32 have none (RFC 3021).
    if (bits >= 31) builder.addRange(start, size);
    else builder.addRange(start + 1, size - 2);
    return;
  }
  const range = /^(\d+\.\d+\.\d+\.\d+)-(\d+(?:\.\d+\.\d+\.\d+)?)$/.exec(raw);
  if (range) {
    const [, from, toText] = range;
    const to = toText!.includes('.') ? toText! : from!.replace(/\d+$/, toText!);
    if (!isIPv4(from!) || !isIPv4(to)) throw new UsageError(`bad address range "${raw}"`, 'E_BAD_TARGET');
    const a = ipv4ToInt(from!);
    const b = ipv4ToInt(to);
    if (b < a) throw new UsageError(`address range "${raw}" ends before it starts`, 'E_BAD_TARGET');
    if (b - a + 1 > MAX_TARGETS_PER_SPEC) throw new UsageError(`--target ${raw} is ${b - a + 1} addresses; at most ${MAX_TARGETS_PER_SPEC} (a /${SMALLEST_PREFIX}) per range`, 'E_TARGET_TOO_LARGE');
    builder.addRange(a, b - a + 1);
    return;
  }
  throw new UsageError(`bad --target "${raw}": ${ACCEPTED}`, 'E_BAD_TARGET');
}

/** Every spec, de-duplicated (an address named twice is swept once, where it was first named). */
export function parseTargets(specs: string[]): TargetSet {
  const builder = new TargetSetBuilder();
  for (const spec of specs) {
    addSpec(builder, spec);
    if (builder.size > MAX_TARGETS_PER_SPEC) throw new UsageError(`the --target specs name ${builder.size} addresses together; at most ${MAX_TARGETS_PER_SPEC} (a /${SMALLEST_PREFIX}) per scan`, 'E_TARGET_TOO_LARGE');
  }
  return builder.build();
}

/** One spec as a list of addresses (small specs: tests and the library API). */
export function expandTarget(spec: string): string[] {
  return parseTargets([spec]).toArray();
}

/** Expand every spec, de-duplicated, in the order given (IPv4 first, then IPv6). */
export function expandTargets(specs: string[]): string[] {
  return parseTargets(specs).toArray();
}
