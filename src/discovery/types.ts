import type { Observation } from '../model/record.js';
import type { MulticastInterface } from '../transport/interfaces.js';

export type { MulticastInterface };
import type { UdpSocketFactory } from '../transport/udp.js';


export interface DiscoveryContext {
  udp: UdpSocketFactory;
  /** Hosts to probe by unicast. */
  targets: string[];
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
  /** Probe and listen until ctx.waitMs has passed or ctx.signal aborts. */
  run(context: DiscoveryContext): Promise<void>;
}
