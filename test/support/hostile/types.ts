/** The hostile responders' kinds, options and counters (test/support/hostile.ts says what each kind does). */
import type { UdpSocketFactory } from '../../../src/transport/udp.js';

export type HostileKind =
  | 'garbage'
  | 'xml-bomb'
  | 'non-utf8'
  | 'jumbo'
  | 'flood'
  | 'impersonator'
  | 'points-elsewhere'
  | 'huge-body'
  | 'trickle'
  | 'slowloris'
  | 'reset'
  | 'redirect'
  | 'absurd-digest';

export const HOSTILE_UDP_KINDS: readonly HostileKind[] = ['garbage', 'xml-bomb', 'non-utf8', 'jumbo', 'flood', 'impersonator', 'points-elsewhere'];
export const HOSTILE_HTTP_KINDS: readonly HostileKind[] = ['huge-body', 'trickle', 'slowloris', 'reset', 'redirect', 'absurd-digest'];
export const HOSTILE_KINDS: readonly HostileKind[] = [...HOSTILE_UDP_KINDS, ...HOSTILE_HTTP_KINDS];

export { WS_DISCOVERY_PORT } from '../../../src/protocols/ws-discovery/index.js';
export { SADP_PORT } from '../../../src/protocols/sadp/index.js';
export { DHIP_PORT } from '../../../src/protocols/dhip/index.js';

export interface HostileOptions {
  /** First three octets; responders get <subnet>.<firstHost>, .<firstHost + 1>, … in the order of `kinds`. */
  subnet: string;
  kinds?: readonly HostileKind[];
  firstHost?: number;
  /** Where payloads point (XAddrs, SADP/DHIP addresses, redirects, XXE): a credential collector. */
  collector?: { address: string; port: number };
  /** The identity an `impersonator` claims: a real device's MAC, serial and (optionally) endpoint UUID. */
  impersonate?: { mac: string; serial: string; endpointUuid?: string; model?: string };
  /** ProbeMatches per probe for `flood` (default 500). */
  floodCount?: number;
  /** Body size for `huge-body` (default 40 MiB). */
  hugeBodyBytes?: number;
  udpFactory?: UdpSocketFactory;
}

export interface HostileCounters {
  /** WS-Discovery, SADP and DHIP probes heard. */
  probes: number;
  datagramsSent: number;
  httpRequests: number;
  /** HTTP requests carrying an Authorization header or a WS-Security UsernameToken. */
  credentialedRequests: number;
  /** Body bytes the HTTP side managed to write (a client that stops reading keeps this small). */
  bodyBytesWritten: number;
}

export interface HostileResponder {
  kind: HostileKind;
  address: string;
  /** The HTTP (or raw TCP) port of an HTTP kind; null for UDP kinds. */
  httpPort: number | null;
  /** The identity this host advertises (the impersonated one for `impersonator`). */
  mac: string;
  serial: string;
  endpointUuid: string;
  counters: HostileCounters;
}

export interface HostileResponders {
  responders: HostileResponder[];
  addresses: string[];
  stop(): Promise<void>;
}

