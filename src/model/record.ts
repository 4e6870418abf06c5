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

/**
 * One copy of each short evidence string: every datagram and response makes its own copy of "onvif", "sadp", the
 * device's address and its model name, and a 10,000-device scan kept ~190,000 copies of addresses alone. Bounded:
 * past INTERN_MAX distinct strings (a hostile network making up values) new ones are kept as they come.
 */
const INTERN_MAX = 200_000;
const INTERN_LONGEST = 96;
const interned = new Map<string, string>();

export function intern(value: string): string {
  if (value.length > INTERN_LONGEST) return value;
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size < INTERN_MAX) {
    // A fresh flat copy: a slice of a response body would keep the whole body alive (the slice taken here keeps
    // only the one-character-longer string it was cut from).
    const flat = (' ' + value).slice(1);
    interned.set(flat, flat);
    return flat;
  }
  return value;
}

/** Add one piece of evidence unless the same source already said the same thing from the same address. */
export function addEvidence(device: Device, item: Evidence): void {
  const exists = device.evidence.some(
    (e) => e.source === item.source && e.field === item.field && e.value === item.value && !!e.verified === !!item.verified && e.address === item.address,
  );
  if (exists) return;
  const kept: Evidence = { ...item, source: intern(item.source) as Evidence['source'], field: intern(item.field), value: intern(item.value) };
  if (item.address !== undefined) kept.address = intern(item.address);
  // Frozen: a device event shares its evidence with the record instead of copying it (snapshotDevice).
  device.evidence.push(Object.freeze(kept));
}

/**
 * A copy of a device for an event: every object and array is new (the record goes on changing), but strings and
 * frozen evidence are shared, not copied — structuredClone gave each of 10,000 devices a second set of strings.
 */
export function snapshotDevice(device: Device): Device {
  return copyShared(device) as Device;
}

function copyShared(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) return value.map(copyShared);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = copyShared(inner);
  return out;
}
