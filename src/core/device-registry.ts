/**
 * One record per physical device. Observations from every channel are merged by MAC, serial and endpoint UUID,
 * and by address for observations that carry no identity of their own. Conflicting evidence is kept with its
 * source (resolved later, never overwritten).
 */
import { deviceIdOf, normaliseMac, type Device, type DiscoveryChannel, type Evidence, type OnvifInfo } from './device.js';
import { unknownLockout } from './lockout-default.js';

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

export class DeviceRegistry {
  private readonly records: DeviceRecord[] = [];
  private nextKey = 1;

  all(): DeviceRecord[] {
    return this.records;
  }

  get(key: number): DeviceRecord | undefined {
    return this.records.find((r) => r.key === key);
  }

  /** Merge an observation; returns the record and the id it had before (when the id changed). */
  observe(observation: Observation): { record: DeviceRecord; previousId: string | null; created: boolean; foldedId?: string; foldedKeys: number[] } {
    const mac = normaliseMac(observation.mac);
    const serial = observation.serial?.trim() || null;
    const endpoint = normaliseEndpoint(observation.endpoint);
    const matches = this.records.filter(
      (r) =>
        (mac !== null && r.device.mac === mac) ||
        (serial !== null && r.device.serial === serial) ||
        (endpoint !== null && r.endpoints.has(endpoint)),
    );
    let record = matches[0];
    // An observation that ties two records together (one knew the MAC, the other the serial) proves they are
    // one device: fold them, or the device would be knocked twice.
    let foldedId: string | null = null;
    const foldedKeys: number[] = [];
    for (const other of matches.slice(1)) {
      foldedId ??= other.device.id;
      foldedKeys.push(other.key);
      this.fold(record!, other);
    }
    // An observation without identity (a plain probe answer) joins the record that already owns its address.
    if (!record && mac === null && serial === null && endpoint === null) {
      record = this.records.find((r) => r.device.addresses.includes(observation.address));
    }
    const created = !record;
    if (!record) {
      record = {
        key: this.nextKey++,
        endpoints: new Set(),
        ports: {},
        device: {
          id: '',
          addresses: [],
          mac: null,
          serial: null,
          vendor: null,
          model: null,
          firmware: null,
          activated: null,
          discoveredBy: [],
          evidence: [],
          onvif: null,
          lockout: unknownLockout(),
          login: { status: 'not-requested', method: null, at: null, reason: null },
        },
      };
      this.records.push(record);
    }
    const previousId = record.device.id || null;
    const device = record.device;
    if (!device.addresses.includes(observation.address)) device.addresses.push(observation.address);
    if (!device.discoveredBy.includes(observation.channel)) device.discoveredBy.push(observation.channel);
    if (mac && !device.mac) device.mac = mac;
    if (serial && !device.serial) device.serial = serial;
    if (endpoint) record.endpoints.add(endpoint);
    for (const item of observation.evidence ?? []) addEvidence(device, item);
    if (mac) addEvidence(device, { source: observation.channel, field: 'mac', value: mac });
    if (serial) addEvidence(device, { source: observation.channel, field: 'serial', value: serial });
    if (observation.onvif) device.onvif = mergeOnvif(device.onvif, observation.onvif);
    Object.assign(record.ports, observation.ports ?? {});
    device.id = deviceIdOf({ mac: device.mac, serial: device.serial, uuid: firstUuid(record.endpoints), address: device.addresses[0] ?? null });
    return { record, previousId: previousId !== device.id ? previousId : null, created, foldedKeys, ...(foldedId ? { foldedId } : {}) };
  }

  private fold(into: DeviceRecord, other: DeviceRecord): void {
    const target = into.device;
    const source = other.device;
    for (const a of source.addresses) if (!target.addresses.includes(a)) target.addresses.push(a);
    for (const c of source.discoveredBy) if (!target.discoveredBy.includes(c)) target.discoveredBy.push(c);
    for (const e of source.evidence) addEvidence(target, e);
    target.mac ??= source.mac;
    target.serial ??= source.serial;
    if (source.onvif) target.onvif = mergeOnvif(target.onvif, source.onvif);
    for (const e of other.endpoints) into.endpoints.add(e);
    Object.assign(into.ports, other.ports);
    this.records.splice(this.records.indexOf(other), 1);
  }
}

export function addEvidence(device: Device, item: Evidence): void {
  const exists = device.evidence.some((e) => e.source === item.source && e.field === item.field && e.value === item.value && !!e.verified === !!item.verified);
  if (!exists) device.evidence.push(item);
}

function mergeOnvif(current: OnvifInfo | null, next: { xaddrs: string[]; scopes: string[] }): OnvifInfo {
  const merged: OnvifInfo = current ?? { xaddrs: [], scopes: [], clockOffsetMs: null };
  for (const x of next.xaddrs) if (!merged.xaddrs.includes(x)) merged.xaddrs.push(x);
  for (const s of next.scopes) if (!merged.scopes.includes(s)) merged.scopes.push(s);
  return merged;
}

function normaliseEndpoint(endpoint: string | null | undefined): string | null {
  const value = endpoint?.trim().toLowerCase();
  if (!value) return null;
  return value.replace(/^urn:uuid:/, '').replace(/^uuid:/, '');
}

function firstUuid(endpoints: Set<string>): string | null {
  for (const e of endpoints) return e;
  return null;
}
