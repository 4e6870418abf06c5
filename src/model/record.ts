/**
 * What discovery hands the scan (an Observation: one answer from one address) and the scan's live record of one
 * device. Shared by discovery/, fingerprint/ and scan/, so it lives in the ground layer.
 */
import type { Device, DiscoveryChannel, Evidence } from './device.js';

export interface Observation {
  channel: DiscoveryChannel;
  /** The address the answer came from (the responder). */
  address: string;
  mac?: string | null;
  serial?: string | null;
  /** Endpoint reference, e.g. urn:uuid:… */
  endpoint?: string | null;
  evidence?: Evidence[];
  onvif?: { xaddrs: string[]; scopes: string[] };
  /** Ports learned for this address (http, https, rtsp…). */
  ports?: Record<string, number>;
}

export interface DeviceRecord {
  /** Internal key, stable for the life of the scan even when the public id improves. */
  key: number;
  device: Device;
  endpoints: Set<string>;
  ports: Record<string, number>;
}

/** Add one piece of evidence unless the same source already said the same thing from the same address. */
export function addEvidence(device: Device, item: Evidence): void {
  const exists = device.evidence.some(
    (e) => e.source === item.source && e.field === item.field && e.value === item.value && !!e.verified === !!item.verified && e.address === item.address,
  );
  if (!exists) device.evidence.push(item);
}
