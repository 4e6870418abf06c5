/**
 * SSDP (UPnP Device Architecture 1.1 §1.3): M-SEARCH by unicast to each target's UDP 1900 and by multicast to
 * 239.255.255.250:1900 on each chosen IPv4 interface; devices answer by unicast to the sender. Each answer's
 * LOCATION names a description XML readable without login (Axis: manufacturer, model, serialNumber = MAC). It is
 * fetched anonymously, and only when LOCATION names the responder itself: an address learned from a payload is
 * reported, never contacted (docs/SAFETY.md S3 — a spoofed answer must not turn the scanner against a third host).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { buildMSearch, parseDeviceDescription, parseSsdpMessage, type SsdpMessage, type UpnpDeviceDescription } from '../protocols/ssdp/index.js';
import { normaliseMac, type Evidence } from '../model/device.js';
import type { Observation } from '../model/record.js';
import { createHttpTransport, type HttpTransport } from '../transport/http.js';
import type { UdpMessage } from '../transport/udp.js';
import { delay } from '../util/async-queue.js';
import type { DiscoveryChannelRunner, DiscoveryContext } from './types.js';
import { createDuplicateFilter, createProbeSockets, limitSources, openSweepSockets, sweepTargets } from './udp-probe.js';
import { SSDP_PORT, SSDP_GROUP } from '../protocols/ssdp/index.js';
export { SSDP_PORT, SSDP_GROUP };

export const DESCRIPTION_TIMEOUT_MS = 2000;
/** Descriptions are a few KB; 64 KiB leaves room for long service lists and stops a hostile stream early. */
export const DESCRIPTION_MAX_BYTES = 64 * 1024;

export interface SsdpChannelOptions {
  /** Transport for the description fetch; by default one is created for each run and closed after it. */
  http?: HttpTransport;
}

export function createSsdpChannel(options: SsdpChannelOptions = {}): DiscoveryChannelRunner {
  return {
    name: 'ssdp',
    async run(context) {
      // UDA 1.1 §1.3.3: devices spread their answers over MX seconds; keep them inside the listening window.
      const mx = Math.min(5, Math.max(1, Math.floor(context.waitMs / 2000)));
      // ssdp:all, not upnp:rootdevice: Dahua answers with its own device types only (HA issue 46822 capture).
      const search = Buffer.from(buildMSearch('ssdp:all', mx), 'utf8');
      const http = options.http ?? createHttpTransport();
      const limits = limitSources(context, 'SSDP');
      const session = new SsdpSession(limits.context, http);
      const isDuplicate = createDuplicateFilter();
      const sockets = createProbeSockets(context, 'SSDP', (message) => {
        if (!limits.admit(message) || isDuplicate(message)) return;
        session.handle(message);
      });
      try {
        const sweeps: Array<Promise<void>> = [];
        for (const [type, count, accepts] of [
          ['udp4', context.sweep.targets.ipv4Count, isIPv4],
          ['udp6', context.sweep.targets.ipv6Count, isIPv6],
        ] as const) {
          if (count === 0) continue;
          const unicast = await openSweepSockets(sockets, { type }, `unicast (${type})`, type === 'udp4' ? context.sweep.socketsPerChannel : 1);
          sweeps.push(sweepTargets(context, { label: 'SSDP', sockets: unicast, payload: search, port: SSDP_PORT, accepts }));
        }
        for (const iface of context.interfaces) {
          if (iface.family !== 'IPv4') continue;
          // UDA 1.1 §1.1.2: multicast TTL should default to 2.
          const socket = await sockets.open(
            { type: 'udp4', bindAddress: iface.address, multicastInterface: iface.address, multicastTtl: 2 },
            `multicast on ${iface.name} (${iface.address})`,
          );
          await socket?.send(search, SSDP_PORT, SSDP_GROUP).catch((error: Error) => context.warn(null, `SSDP multicast on ${iface.name} failed: ${error.message}`, 'send-failed'));
        }
        await Promise.all([context.sweep.listen(context.signal), ...sweeps]);
        await sockets.closeAll();
        await session.settle();
      } finally {
        session.finish();
        await sockets.closeAll();
        if (!options.http) await http.close();
      }
    },
  };
}

export const ssdpChannel: DiscoveryChannelRunner = createSsdpChannel();

/** The answers of one run: each (responder, LOCATION) is reported once, each LOCATION fetched at most once. */
class SsdpSession {
  private readonly reported = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private finished = false;

  constructor(
    private readonly context: DiscoveryContext,
    private readonly http: HttpTransport,
  ) {}

  handle(message: UdpMessage): void {
    let decoded: SsdpMessage;
    try {
      decoded = parseSsdpMessage(message.data);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'ssdp-malformed';
      this.context.warn(message.address, `malformed SSDP reply ignored (${(error as Error).message})`, code);
      return;
    }
    const alive = (decoded.kind === 'response' && decoded.statusCode === 200) || (decoded.kind === 'notify' && decoded.nts?.toLowerCase() === 'ssdp:alive');
    if (!alive) return;
    const key = `${message.address}|${decoded.location ?? ''}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);

    const address = message.address;
    const evidence: Evidence[] = [];
    if (decoded.server) evidence.push({ source: 'ssdp', field: 'server', value: decoded.server });
    if (decoded.location) evidence.push({ source: 'ssdp', field: 'location', value: decoded.location });
    if (!decoded.location) {
      this.found(ssdpObservation(address, evidence, null));
      return;
    }
    const host = locationHost(decoded.location);
    if (host === null || !sameAddress(host, address)) {
      this.context.warn(address, `SSDP LOCATION ${decoded.location} points to ${host ?? 'an unreadable host'}, not to the responder: reported, not fetched`, 'ssdp-location-elsewhere');
      this.found(ssdpObservation(address, evidence, null));
      return;
    }
    const task = this.describe(decoded.location).then((description) => {
      if (description) evidence.push(...descriptionEvidence(description));
      this.found(ssdpObservation(address, evidence, description, decoded.location));
    });
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  /** Wait for the description fetches still in flight (each is bounded by its own timeout), or for an abort. */
  async settle(): Promise<void> {
    if (this.pending.size === 0) return;
    const stop = new AbortController();
    await Promise.race([Promise.allSettled([...this.pending]), delay(DESCRIPTION_TIMEOUT_MS + 250, AbortSignal.any([this.context.signal, stop.signal]))]);
    stop.abort();
  }

  /** After this, late fetch results are dropped: the run has resolved. */
  finish(): void {
    this.finished = true;
  }

  private found(observation: Observation): void {
    if (!this.finished) this.context.found(observation);
  }

  private async describe(location: string): Promise<UpnpDeviceDescription | null> {
    const host = locationHost(location);
    try {
      const response = await this.http.request({ url: location, method: 'GET', timeoutMs: DESCRIPTION_TIMEOUT_MS, maxBodyBytes: DESCRIPTION_MAX_BYTES });
      if (response.statusCode !== 200) {
        this.warn(host, `UPnP description ${location} answered HTTP ${response.statusCode}`, 'upnp-http-status');
        return null;
      }
      return parseDeviceDescription(response.body);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'upnp-fetch-failed';
      this.warn(host, `UPnP description ${location} not read: ${(error as Error).message}`, code);
      return null;
    }
  }

  private warn(address: string | null, message: string, code: string): void {
    if (!this.finished) this.context.warn(address, message, code);
  }
}

function descriptionEvidence(description: UpnpDeviceDescription): Evidence[] {
  const evidence: Evidence[] = [];
  const add = (field: string, value: string | undefined): void => {
    if (value !== undefined) evidence.push({ source: 'ssdp', field, value });
  };
  add('vendor', description.manufacturer);
  add('model', description.modelName);
  add('model-number', description.modelNumber);
  add('name', description.friendlyName);
  add('upnp-device-type', description.deviceType);
  add('udn', description.udn);
  return evidence;
}

/** Axis prints the MAC as its serial number (UPnP serialNumber and the label agree on every capture). */
export function ssdpObservation(address: string, evidence: Evidence[], description: UpnpDeviceDescription | null, location?: string): Observation {
  const serial = description?.serialNumber ?? null;
  const axis = /^axis\b/i.test(description?.manufacturer ?? '');
  const mac = axis && serial !== null && /^[0-9a-f]{12}$/i.test(serial) ? normaliseMac(serial) : null;
  // The description is served by the device's web server: its port, on the responder's own address, is the HTTP port.
  const port = location !== undefined && locationHost(location) !== null && sameAddress(locationHost(location)!, address) ? locationPort(location) : null;
  return { channel: 'ssdp', address, mac, serial, evidence, ...(port !== null ? { ports: { http: port } } : {}) };
}

function locationPort(location: string): number | null {
  try {
    const url = new URL(location);
    if (url.protocol !== 'http:') return null;
    return url.port === '' ? 80 : Number(url.port);
  } catch {
    return null;
  }
}

function locationHost(location: string): string | null {
  try {
    return new URL(location).hostname.replace(/^\[|\]$/g, '') || null;
  } catch {
    return null;
  }
}

function sameAddress(a: string, b: string): boolean {
  const plain = (value: string): string => value.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return plain(a) === plain(b);
}
