/**
 * mDNS / DNS-SD: browse the camera service types on each chosen IPv4 interface (docs/FIELD-NOTES.md §3): `_axis-video._tcp`
 * (Axis, with the MAC in TXT), `_CGI._tcp` (Hikvision), `_onvif._tcp`, `_http._tcp`, `_rtsp._tcp`. The socket and
 * the DNS codec belong to bonjour-service, opened in transport/mdns.ts (the one socket not made by
 * transport/udp.ts, as the dependency was chosen for it); the session factory is injectable so tests never touch a
 * network.
 *
 * mDNS is multicast only (RFC 6762 §5): nothing runs when no interface is chosen (`--no-multicast`, or a unicast
 * sweep). bonjour-service queries once per browse; devices that missed it, or answered while the socket was still
 * joining the group, are caught by re-querying every second of the wait.
 */
import { isIP } from 'node:net';
import { parseMdnsService } from '../protocols/mdns/index.js';
import { openBonjourSession, type MdnsBrowseSession, type MdnsService, type MdnsSessionFactory } from '../transport/mdns.js';

export type { MdnsBrowseSession, MdnsService, MdnsSessionFactory, MdnsSessionOptions } from '../transport/mdns.js';
import type { Evidence } from '../model/device.js';
import type { Observation } from '../model/record.js';
import type { DiscoveryChannelRunner, DiscoveryContext } from './types.js';
import { delay } from '../util/async-queue.js';

/** Service types without the leading underscore and protocol, as bonjour-service's `find({type})` wants them. */
export const MDNS_SERVICE_TYPES = ['axis-video', 'CGI', 'onvif', 'http', 'rtsp'] as const;
export const MDNS_REQUERY_MS = 1000;

export interface MdnsChannelOptions {
  openSession?: MdnsSessionFactory;
  requeryMs?: number;
}

export function createMdnsChannel(options: MdnsChannelOptions = {}): DiscoveryChannelRunner {
  const openSession = options.openSession ?? openBonjourSession;
  const requeryMs = options.requeryMs ?? MDNS_REQUERY_MS;
  return {
    name: 'mdns',
    async run(context) {
      const interfaces = context.interfaces.filter((iface) => iface.family === 'IPv4');
      if (interfaces.length === 0) return;
      const sessions: MdnsBrowseSession[] = [];
      const seen = new Set<string>();
      let finished = false;
      const handle = (service: MdnsService): void => {
        if (finished) return;
        // Called from bonjour-service's socket handler, where a throw would be uncaught.
        try {
          handleMdnsService(context, service, seen);
        } catch (error) {
          context.warn(null, `mDNS answer not handled: ${(error as Error).message}`, 'handler-failed');
        }
      };
      let timer: NodeJS.Timeout | undefined;
      try {
        for (const iface of interfaces) {
          let session: MdnsBrowseSession;
          try {
            session = openSession({
              interfaceAddress: iface.address,
              onError: (error) => {
                if (!finished) context.warn(null, `mDNS on ${iface.name} (${iface.address}): ${error.message}`, 'mdns-error');
              },
            });
          } catch (error) {
            context.warn(null, `mDNS cannot use interface ${iface.name} (${iface.address}): ${(error as Error).message}`, 'interface-failed');
            continue;
          }
          sessions.push(session);
          for (const type of MDNS_SERVICE_TYPES) session.browse(type, handle);
        }
        if (sessions.length === 0) return;
        timer = setInterval(() => {
          for (const session of sessions) session.requery();
        }, requeryMs);
        await delay(context.waitMs, context.signal);
      } finally {
        finished = true;
        clearInterval(timer);
        await Promise.all(sessions.map((session) => session.close().catch(() => undefined)));
      }
    },
  };
}

export const mdnsChannel: DiscoveryChannelRunner = createMdnsChannel();

const PORT_NAME_BY_SERVICE: Readonly<Record<string, string>> = {
  '_axis-video._tcp': 'http',
  '_cgi._tcp': 'http',
  '_http._tcp': 'http',
  '_rtsp._tcp': 'rtsp',
};

/**
 * Report one resolved service. The device's address is the one the answer came from; the A/AAAA records are only
 * what it claims (docs/SAFETY.md S3). Each (responder, service type, instance) is reported once per run.
 */
export function handleMdnsService(context: Pick<DiscoveryContext, 'found' | 'warn'>, service: MdnsService, seen: Set<string>): void {
  const hint = parseMdnsService(service);
  const referer = typeof service.referer?.address === 'string' && isIP(service.referer.address) !== 0 ? service.referer.address : undefined;
  const address = referer ?? hint.addresses[0];
  if (address === undefined) {
    context.warn(null, `mDNS service ${JSON.stringify(hint.name ?? '')} without an address ignored`, 'mdns-no-address');
    return;
  }
  const key = `${address}|${hint.serviceType ?? ''}|${hint.name ?? ''}`;
  if (seen.has(key)) return;
  seen.add(key);

  const evidence: Evidence[] = [];
  const add = (field: string, value: string | null): void => {
    if (value !== null) evidence.push({ source: 'mdns', field, value });
  };
  add('vendor', hint.vendor);
  add('model', hint.model);
  add('name', hint.name);
  add('serial-tail', hint.serialTail);
  add('service', hint.serviceType);
  for (const other of hint.addresses) if (other !== address) add('reported-address', other);
  const portName = hint.serviceType === null ? undefined : PORT_NAME_BY_SERVICE[hint.serviceType];
  const observation: Observation = { channel: 'mdns', address, mac: hint.mac, serial: hint.serial, evidence };
  if (portName !== undefined && hint.port !== null) observation.ports = { [portName]: hint.port };
  context.found(observation);
}
