/**
 * An on-link /16 inside two network namespaces: a scanner (198.18.0.1/16) and a fleet joined by one veth pair, the
 * fleet holding a base address plus N device addresses scattered pseudo-randomly (fixed seed: every run the same)
 * over 198.18.0.0/16. No gateway on either side: the /16 is on-link, so every probe to a new address makes the
 * scanner's kernel resolve a neighbour (ARP). The kernel's neighbour settings are left as they are.
 *
 * The addresses are added with one `ip -n <fleet> -batch -` (2,000 separate execs take far too long). destroy()
 * deletes both namespaces (the veth goes with them); run.ts calls it on every exit path.
 */
import { execFileSync } from 'node:child_process';
import { joinNamespaces } from '../../test/support/netns.js';

export const ONLINK_PREFIX = '198.18.0.0/16';
export const ONLINK_SCANNER_ADDRESS = '198.18.0.1';
export const ONLINK_BASE_ADDRESS = '198.18.0.2';
/** The seed of the scatter: change it and every figure's device set changes. */
export const ONLINK_SEED = 0x0e4e_c0c0;

export interface OnlinkNetwork {
  scanner: string;
  fleet: string;
  scannerInterface: string;
  fleetInterface: string;
  scannerAddress: string;
  baseAddress: string;
  deviceAddresses: string[];
  /** Wall time to create the namespaces and add every address, ms. */
  setupMs: number;
  destroy(): void;
}

function ip(args: string[], input?: string): void {
  execFileSync('ip', args, { input, stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'], timeout: 60_000 });
}

function quietly(action: () => void): void {
  try {
    action();
  } catch {
    // already gone
  }
}

/** mulberry32: a small deterministic PRNG, so the scatter is the same on every run and every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const PREFIX_BASE = 198 * 16_777_216 + 18 * 65_536;

function toAddress(offset: number): string {
  const value = PREFIX_BASE + offset;
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/**
 * `count` distinct addresses of 198.18.0.0/16, drawn with a fixed seed, never ending in .0 or .255 and never the
 * scanner's or the fleet's base address; sorted numerically (the profiles are then cycled over them in that order).
 */
export function scatteredAddresses(count: number, seed = ONLINK_SEED): string[] {
  const excluded = new Set([ONLINK_SCANNER_ADDRESS, ONLINK_BASE_ADDRESS]);
  const eligible = 256 * 254 - excluded.size;
  if (count > eligible) throw new Error(`at most ${eligible} device addresses fit in ${ONLINK_PREFIX}`);
  const random = prng(seed);
  const chosen = new Set<number>();
  while (chosen.size < count) {
    const offset = Math.floor(random() * 65_536);
    const last = offset % 256;
    if (last === 0 || last === 255 || excluded.has(toAddress(offset))) continue;
    chosen.add(offset);
  }
  return [...chosen].sort((a, b) => a - b).map(toAddress);
}

/** `tag` is a short label (≤ 4 chars) so interface names stay within 15 characters. */
export function createOnlinkNetwork(tag: string, deviceCount: number): OnlinkNetwork {
  const begin = performance.now();
  const id = `${tag}${process.pid % 100000}`;
  const scanner = `ok-${id}-s`;
  const fleet = `ok-${id}-f`;
  const scannerInterface = `vs${id}`.slice(0, 15);
  const fleetInterface = `vf${id}`.slice(0, 15);
  const deviceAddresses = scatteredAddresses(deviceCount);
  const destroy = (): void => {
    for (const ns of [scanner, fleet]) quietly(() => ip(['netns', 'del', ns]));
    // Left in the root namespace when setup failed before the move; deleting one end removes the pair.
    quietly(() => ip(['link', 'del', scannerInterface]));
  };
  // A namespace of the same name can only be a leftover of an earlier run that had this pid and crashed.
  destroy();
  try {
    joinNamespaces({ scanner, fleet, scannerInterface, fleetInterface });
    // Each address with the /16 prefix: the kernel adds the on-link route 198.18.0.0/16 (no gateway) on both sides.
    ip(['-n', scanner, 'addr', 'add', `${ONLINK_SCANNER_ADDRESS}/16`, 'dev', scannerInterface]);
    const batch = [ONLINK_BASE_ADDRESS, ...deviceAddresses].map((address) => `addr add ${address}/16 dev ${fleetInterface}`).join('\n');
    ip(['-n', fleet, '-batch', '-'], `${batch}\n`);
  } catch (error) {
    destroy();
    throw error;
  }
  return {
    scanner,
    fleet,
    scannerInterface,
    fleetInterface,
    scannerAddress: ONLINK_SCANNER_ADDRESS,
    baseAddress: ONLINK_BASE_ADDRESS,
    deviceAddresses,
    setupMs: performance.now() - begin,
    destroy,
  };
}
