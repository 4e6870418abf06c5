/** What a discovery responder needs to know about the simulated device it speaks for. */
import type { UdpSocketFactory } from '../../transport/udp.js';
import type { SimulatorProfile } from '../profile.js';

export interface ResponderDeviceInfo {
  /** The device's own address: every answer is sent from it (a scanner reports the responder, docs/SAFETY.md S3). */
  address: string;
  /** The port the device's HTTP server actually listens on (after an ephemeral bind). */
  httpPort: number;
  vendor: string;
  model: string;
  firmware: string;
  serial: string;
  /** Any common MAC spelling. */
  mac: string;
  /** Hikvision Activated / Dahua initialised. */
  activated: boolean;
}

export interface ProbeNotice {
  /** Who sent the probe. */
  source: string;
  /** True when the datagram carried anything that looks like a credential (docs/SAFETY.md S1 says it never should). */
  credentialed: boolean;
  /** Heard on the multicast group rather than on the device's own address. */
  multicast: boolean;
}

export interface ResponderOptions {
  device: ResponderDeviceInfo;
  udpFactory: UdpSocketFactory;
  /**
   * Also answer on the channel's multicast group, joined on this local interface address (a network namespace
   * test). Without it the responder answers unicast only, which is all loopback can carry.
   */
  multicast?: { interfaceAddress: string };
  /** Called for every probe heard, so the device can count discovery probes and credentialed datagrams. */
  onProbe?: (notice: ProbeNotice) => void;
}

export interface Responder {
  close(): Promise<void>;
}

export function responderDeviceInfo(profile: SimulatorProfile, address: string, httpPort: number): ResponderDeviceInfo {
  const id = profile.identity;
  return { address, httpPort, vendor: id.vendor, model: id.model, firmware: id.firmware, serial: id.serial, mac: id.mac, activated: profile.activated };
}

/** Datagrams that would be a login attempt on a real device: SADP/DHIP commands carrying a password, WS-Security. */
export function looksCredentialed(data: Buffer): boolean {
  return /password|UsernameToken|Authorization/i.test(data.toString('latin1'));
}
