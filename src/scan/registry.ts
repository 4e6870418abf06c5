/**
 * One record per physical device. Observations from every channel are merged by MAC, serial and endpoint UUID,
 * and by address for observations that carry no identity of their own. Conflicting evidence is kept with its
 * source (resolved later, never overwritten).
 */
import { deviceIdOf, normaliseMac, type Device, type OnvifInfo } from '../model/device.js';
import { addEvidence, type DeviceRecord, type Observation } from '../model/record.js';

export { addEvidence, type DeviceRecord, type Observation };
import { unknownLockout } from '../guard/lockout/lookup.js';
import { isFixedSerial, isFixedUuid } from '../model/fixed-identities.js';



export interface ObserveResult {
  record: DeviceRecord;
  previousId: string | null;
  created: boolean;
  /** Records folded into this one (they proved to be the same device). */
  foldedKeys: number[];
  foldedIds: string[];
  /** Other records whose id changed because of this observation (a uuid they shared stopped being an id). */
  rekeyed?: Array<{ record: DeviceRecord; previousId: string }>;
}

/** Two identities contradict when both name a MAC, or both a serial, and they differ. */
function compatible(device: Device, mac: string | null, serial: string | null): boolean {
  if (mac !== null && device.mac !== null && device.mac !== mac) return false;
  if (serial !== null && device.serial !== null && device.serial !== serial) return false;
  return true;
}

/** Serials redacted by the device or its firmware ("**************", all zeros), or shipped by many boxes, identify nothing. */
function usableSerial(raw: string | null | undefined): string | null {
  const value = raw?.trim();
  if (!value || !/[1-9a-z]/i.test(value)) return null;
  if (isFixedSerial(value)) return null;
  // A serial becomes the device id and ledger key: printable ASCII only (a control byte is no serial).
  if (!/^[\x21-\x7e]{1,64}$/.test(value)) return null;
  return value;
}

const family = (address: string): 4 | 6 => (address.includes(':') ? 6 : 4);

/**
 * Records by MAC, serial, endpoint uuid or address. Entries are only ever added (when the registry sees a value);
 * a lookup checks that the record is still alive and still holds the value, so a fold, a split or a value that
 * changed leaves nothing wrong behind, only a stale entry skipped. Keeps every lookup O(matches), not O(records):
 * 10,000 devices × a few observations each was 10⁸ comparisons with a scan of the whole list.
 */
class RecordIndex {
  private readonly map = new Map<string, DeviceRecord[]>();

  add(value: string | null, record: DeviceRecord): void {
    if (value === null) return;
    const list = this.map.get(value);
    if (!list) this.map.set(value, [record]);
    else if (!list.includes(record)) list.push(record);
  }

  /** Live records still holding `value`, oldest first (the order of `all()`). */
  find(value: string | null, alive: (r: DeviceRecord) => boolean, holds: (r: DeviceRecord) => boolean): DeviceRecord[] {
    if (value === null) return [];
    const list = this.map.get(value);
    if (!list) return [];
    const live = list.filter((r) => alive(r) && holds(r));
    if (live.length !== list.length) {
      if (live.length === 0) this.map.delete(value);
      else this.map.set(value, live);
    }
    return live;
  }
}

const byKeyOrder = (a: DeviceRecord, b: DeviceRecord): number => a.key - b.key;

export class DeviceRegistry {
  private readonly records: DeviceRecord[] = [];
  private readonly byKey = new Map<number, DeviceRecord>();
  private readonly byMac = new RecordIndex();
  private readonly bySerial = new RecordIndex();
  private readonly byEndpoint = new RecordIndex();
  private readonly byAddress = new RecordIndex();
  private nextKey = 1;
  /** Pairs of record keys proved to be different devices (split apart): never folded again. */
  private readonly apart = new Set<string>();
  private readonly alive = (r: DeviceRecord): boolean => this.byKey.get(r.key) === r;

  private isApart(a: number, b: number): boolean {
    return this.apart.has(`${Math.min(a, b)}:${Math.max(a, b)}`);
  }

  all(): DeviceRecord[] {
    return this.records;
  }

  get(key: number): DeviceRecord | undefined {
    return this.byKey.get(key);
  }

  /** The first live record answering from `address` (records are in creation order). */
  ownerOf(address: string): DeviceRecord | undefined {
    return this.withAddress(address)[0];
  }

  /** True when some record lists `address`. */
  hasAddress(address: string): boolean {
    return this.withAddress(address).length > 0;
  }

  /**
   * Index what the record holds now. The registry does this itself; call it after changing a record's MAC,
   * serial or addresses from outside (refreshIdentity), before the next lookup.
   */
  reindex(record: DeviceRecord): void {
    this.byMac.add(record.device.mac, record);
    this.bySerial.add(record.device.serial, record);
    for (const endpoint of record.endpoints) this.byEndpoint.add(endpoint, record);
    for (const address of record.device.addresses) this.byAddress.add(address, record);
  }

  private withAddress(address: string): DeviceRecord[] {
    return this.byAddress.find(address, this.alive, (r) => r.device.addresses.includes(address));
  }

  private withMac(mac: string | null): DeviceRecord[] {
    return this.byMac.find(mac, this.alive, (r) => r.device.mac === mac);
  }

  private withSerial(serial: string | null): DeviceRecord[] {
    return this.bySerial.find(serial, this.alive, (r) => r.device.serial === serial);
  }

  private withEndpoint(endpoint: string | null): DeviceRecord[] {
    return this.byEndpoint.find(endpoint, this.alive, (r) => r.endpoints.has(endpoint!));
  }

  private add(record: DeviceRecord): void {
    this.records.push(record);
    this.byKey.set(record.key, record);
    this.reindex(record);
  }

  /** Records with this MAC or serial or endpoint, oldest first, each once. */
  private sharing(mac: string | null, serial: string | null, endpoint: string | null): DeviceRecord[] {
    const found = new Set([...this.withMac(mac), ...this.withSerial(serial), ...this.withEndpoint(endpoint)]);
    return [...found].sort(byKeyOrder);
  }

  /** Merge an observation; returns the record, the id it had before (when the id changed) and what was folded. */
  observe(observation: Observation): ObserveResult {
    const mac = normaliseMac(observation.mac);
    const serial = usableSerial(observation.serial);
    const endpoint = normaliseEndpoint(observation.endpoint);
    const byKey = (r: DeviceRecord): boolean => (mac !== null && r.device.mac === mac) || (serial !== null && r.device.serial === serial);
    const candidates = this.sharing(mac, serial, endpoint).filter((r) => {
      const key = byKey(r);
      const byEndpoint = endpoint !== null && r.endpoints.has(endpoint);
      if (!key && !byEndpoint) return false;
      // A shared key never outweighs a contradiction: a different MAC or serial is a different device.
      if (!compatible(r.device, mac, serial)) return false;
      // An endpoint uuid alone (cheap cameras ship fixed ones; a replayed capture repeats one) joins an IPv4 and an
      // IPv6 address of one dual-stack device, never two addresses of one family (issue 16).
      if (byEndpoint && !key && !r.device.addresses.includes(observation.address) && r.device.addresses.some((a) => family(a) === family(observation.address))) return false;
      return true;
    });
    // A MAC or serial, or the uuid of a record already answering from this very address, proves records are one
    // device (fold them); a uuid seen from another address joins one record and folds none.
    const keyed = candidates.filter((r) => byKey(r) || r.device.addresses.includes(observation.address));
    let matches = keyed.length > 0 ? keyed : candidates.slice(0, 1);
    // Within one scan, answers from one address come from one host: join the record that owns the address unless
    // the identities contradict (a different MAC or serial means a second device, e.g. behind a NAT or a proxy).
    if (matches.length === 0) {
      const owner = this.withAddress(observation.address).find((r) => compatible(r.device, mac, serial));
      if (owner) matches = [owner];
    }
    let record = matches[0];
    const created = !record;
    if (!record) {
      record = {
        key: this.nextKey++,
        endpoints: new Set(),
        ports: {},
        device: blankDevice(),
      };
      this.add(record);
    }
    const previousId = record.device.id || null;
    // An observation that ties two records together (one knew the MAC, the other the serial) proves they are
    // one device: fold them, or the device would be knocked twice.
    const folded = matches.slice(1).filter((other) => !this.isApart(record!.key, other.key)).map((other) => this.fold(record!, other));
    const device = record.device;
    if (!device.addresses.includes(observation.address)) device.addresses.push(observation.address);
    if (!device.discoveredBy.includes(observation.channel)) device.discoveredBy.push(observation.channel);
    if (mac && !device.mac) device.mac = mac;
    if (serial && !device.serial) device.serial = serial;
    if (endpoint) record.endpoints.add(endpoint);
    const at = observation.address;
    for (const item of observation.evidence ?? []) addEvidence(device, { ...item, address: item.address ?? at });
    if (mac) addEvidence(device, { source: observation.channel, field: 'mac', value: mac, address: at });
    if (serial) addEvidence(device, { source: observation.channel, field: 'serial', value: serial, address: at });
    if (observation.onvif) device.onvif = mergeOnvif(device.onvif, observation.onvif);
    Object.assign(record.ports, observation.ports ?? {});
    this.reindex(record);
    this.updateId(record);
    // A uuid now held by two records is nobody's id (one failed login must not block the other via the ledger).
    const rekeyed: Array<{ record: DeviceRecord; previousId: string }> = [];
    if (endpoint) {
      for (const other of this.withEndpoint(endpoint)) {
        if (other === record) continue;
        const before = other.device.id;
        this.updateId(other);
        if (other.device.id !== before) rekeyed.push({ record: other, previousId: before });
      }
    }
    return { record, previousId: previousId !== device.id ? previousId : null, created, foldedKeys: folded.map((f) => f.key), foldedIds: folded.map((f) => f.id), rekeyed };
  }

  /**
   * Fingerprinting learned a MAC or serial: record it and fold any other record that has the same one
   * (e.g. a WS-Discovery record with a random UUID and an SSDP record keyed by the MAC).
   */
  identify(record: DeviceRecord, identity: { mac: string | null; serial: string | null }): ObserveResult {
    if (!this.alive(record)) throw new Error(`identify() on record ${record.key}, which was folded away`);
    const mac = normaliseMac(identity.mac);
    const serial = usableSerial(identity.serial);
    const previousId = record.device.id;
    if (mac && !record.device.mac) record.device.mac = mac;
    if (serial && !record.device.serial) record.device.serial = serial;
    this.reindex(record);
    const others = this.sharing(mac, serial, null).filter((r) => r !== record && !this.isApart(r.key, record.key) && compatible(r.device, mac, serial));
    const folded = others.map((other) => this.fold(record, other));
    this.updateId(record);
    return { record, previousId: previousId !== record.device.id ? previousId : null, created: false, foldedKeys: folded.map((f) => f.key), foldedIds: folded.map((f) => f.id) };
  }

  /**
   * `address` answered with this record's identity (a shared uuid, a replayed MAC or serial) but its own TCP
   * answers disagree: give it a record of its own, identified only by what it says over TCP. Its discovery claims of
   * MAC and serial are kept as `claimed-mac` / `claimed-serial` evidence (shown, never an identity), so the impostor
   * never takes the real device's id or ledger entry. Returns the new record; both are marked apart.
   */
  split(record: DeviceRecord, address: string): DeviceRecord {
    const device = record.device;
    const moved = device.evidence.filter((e) => e.address === address);
    device.evidence = device.evidence.filter((e) => e.address !== address);
    device.addresses = device.addresses.filter((a) => a !== address);
    const channels = new Set(moved.map((e) => e.source));
    const fresh: DeviceRecord = {
      key: this.nextKey++,
      endpoints: new Set(),
      ports: { ...record.ports },
      device: {
        ...blankDevice(),
        addresses: [address],
        discoveredBy: device.discoveredBy.filter((c) => channels.has(c)),
        evidence: moved.map((e) => (!TCP.has(e.source) && (e.field === 'mac' || e.field === 'serial') ? { ...e, field: `claimed-${e.field}` } : e)),
        onvif: device.onvif ? { xaddrs: [...device.onvif.xaddrs], scopes: [...device.onvif.scopes], clockOffsetMs: null } : null,
      },
    };
    if (fresh.device.discoveredBy.length === 0) fresh.device.discoveredBy = [...device.discoveredBy];
    // The record keeps only identity its remaining evidence still states.
    const still = (field: 'mac' | 'serial', value: string | null): boolean =>
      value !== null && device.evidence.some((e) => (e.field === field || (field === 'mac' && e.field === 'serial')) && (field === 'mac' ? normaliseMac(e.value) === value : e.value.trim() === value));
    if (!still('mac', device.mac)) device.mac = null;
    if (!still('serial', device.serial)) device.serial = null;
    this.add(fresh);
    this.apart.add(`${Math.min(record.key, fresh.key)}:${Math.max(record.key, fresh.key)}`);
    this.updateId(record);
    this.updateId(fresh);
    return fresh;
  }

  /** The record's endpoint uuids that no other record also holds (a shared one is nobody's identity). */
  ownEndpoints(record: DeviceRecord): string[] {
    return [...record.endpoints].filter((e) => !this.withEndpoint(e).some((r) => r !== record));
  }

  private updateId(record: DeviceRecord): void {
    const device = record.device;
    const own = this.ownEndpoints(record);
    device.id = deviceIdOf({ mac: device.mac, serial: device.serial, uuid: own[0] ?? null, address: device.addresses[0] ?? null });
  }

  private fold(into: DeviceRecord, other: DeviceRecord): { key: number; id: string } {
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
    this.byKey.delete(other.key);
    this.reindex(into);
    return { key: other.key, id: source.id };
  }
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
  const uuid = value.replace(/^urn:uuid:/, '').replace(/^uuid:/, '');
  if (!/^[\x21-\x7e]{1,128}$/.test(uuid)) return null;
  // A uuid many boxes ship (FIXED_IDENTITIES) identifies none of them.
  return isFixedUuid(uuid) ? null : uuid;
}

/** Answers over TCP (kept as identity when a record is split); discovery datagrams are only claims. */
const TCP = new Set(['http', 'onvif', 'isapi', 'axis', 'rtsp', 'probe']);


/** A device nothing is known about yet: the record every observation starts from (explicit nulls, docs/SAFETY.md). */
function blankDevice(): Device {
  return {
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
  };
}
