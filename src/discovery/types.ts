import type { Observation } from '../model/record.js';
import type { MulticastInterface } from '../transport/interfaces.js';

export type { MulticastInterface };
import type { UdpSocketFactory } from '../transport/udp.js';
import type { Sweep } from './sweep.js';
import type { NeighbourView } from '../transport/neighbours.js';


export interface DiscoveryContext {
  udp: UdpSocketFactory;
  /** The unicast sweep every channel joins (its targets, pace, resends and listening window). */
  sweep: Sweep;
  /** The kernel's neighbour (ARP) view: the TCP probe skips an on-link address nobody answered ARP for. */
  neighbours?: NeighbourView;
  /** Interfaces to multicast on; empty when --no-multicast. */
  interfaces: MulticastInterface[];
  waitMs: number;
  signal: AbortSignal;
  found(observation: Observation): void;
  warn(address: string | null, message: string, code?: string): void;
  /** Injected randomness: a fresh UUID for message ids. */
  newUuid(): string;
  /** True when some channel already heard this address (the TCP `probe` sweep skips it). */
  known?(address: string): boolean;
}

export interface DiscoveryChannelRunner {
  readonly name: Observation['channel'];
  /** Probe and listen until the sweep's listening window is over (sweep.listen) or ctx.signal aborts. */
  run(context: DiscoveryContext): Promise<void>;
}
