/**
 * A camera's mDNS / DNS-SD side (RFC 6762, RFC 6763): answers PTR browse queries for the service types its vendor
 * advertises with PTR → instance, SRV → host:port, TXT and A → the device's address, in one response, as
 * bonjour-service resolves a service from a single packet. mDNS is multicast only (RFC 6762 §5), so the responder
 * runs only in a network namespace (`multicast` given): on loopback it opens nothing.
 *
 * Answers leave from the device's own socket (its address, port 5353): the scanner reports the address an answer
 * came from, not the A record (docs/SAFETY.md S3), so a response sent from anywhere else would name the wrong device.
 *
 * What each vendor advertises, from the captures and docs/FIELD-NOTES.md §3:
 * - Axis: `_axis-video._tcp`, instance "AXIS <model> - <serial>", TXT `macaddress=<12 hex>`, host
 *   `axis-<mac>.local` (Home Assistant's captured M1065-LW ZeroconfServiceInfo; UniversalScanner's Axis selftest
 *   for the record layout: PTR in answers, TXT and A as cache-flush additionals).
 * - Hikvision: `_CGI._tcp`, instance "HIKVISION <model> - <serial tail>". No capture of its TXT or host name: the
 *   TXT is empty and the host is `<serial>.local`, which is where a community Hikvision discovery wrapper reads the
 *   full serial from.
 */
import { createRequire } from 'node:module';
import { isIPv4 } from 'node:net';
import { normaliseMac } from '../../model/device.js';
import type { UdpEndpoint, UdpMessage } from '../../transport/udp.js';
import { openResponderEndpoint } from './udp-responder.js';
import { looksCredentialed, type Responder, type ResponderDeviceInfo, type ResponderOptions } from './types.js';
import { MDNS_PORT, MDNS_GROUP } from '../../protocols/mdns/index.js';
export { MDNS_PORT, MDNS_GROUP };


/** The subset of dns-packet 5 (no published types) that the responder uses. */
export interface DnsQuestion {
  name: string;
  type: string;
  /** "IN", "ANY", or "UNKNOWN_<n>" when the top (QU) bit is set: dns-packet 5 leaves that bit in. */
  class?: string;
}

export interface DnsRecord {
  name: string;
  type: string;
  ttl?: number;
  class?: string;
  flush?: boolean;
  data?: unknown;
}

export interface DnsPacket {
  id?: number;
  type?: 'query' | 'response';
  flags?: number;
  questions?: DnsQuestion[];
  answers?: DnsRecord[];
  authorities?: DnsRecord[];
  additionals?: DnsRecord[];
}

interface DnsPacketCodec {
  encode(packet: DnsPacket): Buffer;
  decode(buffer: Buffer): DnsPacket;
  AUTHORITATIVE_ANSWER: number;
}

/**
 * dns-packet reached through the dependency chain that brings it (bonjour-service → multicast-dns → dns-packet),
 * so it resolves to the very copy the scanner decodes with, wherever npm placed it.
 */
function loadDnsPacket(): DnsPacketCodec {
  const fromHere = createRequire(import.meta.url);
  const fromBonjour = createRequire(fromHere.resolve('bonjour-service'));
  const fromMulticastDns = createRequire(fromBonjour.resolve('multicast-dns'));
  return fromMulticastDns('dns-packet') as DnsPacketCodec;
}

const dnsPacket = loadDnsPacket();

/** RFC 6762 §10: 120 s for records that carry a host name, 75 minutes for the others. */
const HOST_RECORD_TTL = 120;
const OTHER_RECORD_TTL = 4500;
/** RFC 6762 §6.7: answers to a legacy (non-5353) querier carry TTLs of at most 10 s. */
const LEGACY_UNICAST_TTL = 10;
/** RFC 6762 §17: an mDNS message is at most 9000 bytes; anything larger is not a query from a peer. */
const MAX_QUERY_BYTES = 9000;
const MAX_QUESTIONS = 64;
const CLASS_IN = 1;
const CLASS_ANY = 255;
/** RFC 6762 §5.4 (QU, "unicast response requested"), the top bit of a question's class. */
const QU_BIT = 0x8000;

/** One DNS-SD service instance the device advertises. */
export interface MdnsAdvertisedService {
  /** As the vendor spells it, e.g. "_axis-video._tcp", "_CGI._tcp". */
  serviceType: string;
  /** The instance label (RFC 6763 §4.1), e.g. "AXIS M1034-W - ACCC8E123404". */
  instance: string;
  /** Target host name, ending in ".local". */
  host: string;
  port: number;
  /** TXT strings "key=value"; RFC 6763 §6.1: an empty TXT is one empty string. */
  txt: string[];
}

/** The services a device of this vendor advertises; none for a vendor without a known mDNS presence. */
export function advertisedMdnsServices(device: ResponderDeviceInfo): MdnsAdvertisedService[] {
  const vendor = device.vendor.toLowerCase();
  if (vendor.includes('axis')) {
    const macHex = (normaliseMac(device.mac) ?? '').replace(/:/g, '');
    const model = /^axis\s/i.test(device.model) ? device.model : `AXIS ${device.model}`;
    return [
      {
        serviceType: '_axis-video._tcp',
        instance: `${model} - ${device.serial}`,
        host: `axis-${macHex}.local`,
        port: device.httpPort,
        txt: [`macaddress=${macHex.toUpperCase()}`],
      },
    ];
  }
  if (vendor.includes('hikvision')) {
    return [
      {
        serviceType: '_CGI._tcp',
        instance: `HIKVISION ${device.model} - ${hikvisionSerialTail(device.serial)}`,
        host: `${device.serial}.local`,
        port: device.httpPort,
        txt: [''],
      },
    ];
  }
  return [];
}

/**
 * A Hikvision serial ends in the 9-character short serial printed on the label ("DS-2CD2385G1-I20200414AAWR"
 * + "E33842150"); that is the tail the instance name carries.
 */
function hikvisionSerialTail(serial: string): string {
  return serial.slice(-9);
}

export interface MdnsResponseOptions {
  /** Device address for the A record. */
  address: string;
  /** RFC 6762 §6.7 legacy unicast: echo the query's id and questions, cap TTLs, no cache-flush bits. */
  legacy?: { id: number; questions: DnsQuestion[] };
}

/** One response naming every service: PTRs as answers, SRV/TXT/A as additionals (RFC 6763 §12.1). */
export function buildMdnsResponse(services: readonly MdnsAdvertisedService[], options: MdnsResponseOptions): Buffer {
  const legacy = options.legacy;
  const ttl = (value: number): number => (legacy ? Math.min(value, LEGACY_UNICAST_TTL) : value);
  // RFC 6762 §10.2: unique records carry the cache-flush bit, except toward a legacy resolver (§6.7).
  const flush = legacy === undefined;
  const answers: DnsRecord[] = [];
  const additionals: DnsRecord[] = [];
  const hosts = new Set<string>();
  for (const service of services) {
    const serviceName = `${service.serviceType}.local`;
    const instanceName = `${service.instance}.${serviceName}`;
    answers.push({ name: serviceName, type: 'PTR', class: 'IN', ttl: ttl(OTHER_RECORD_TTL), data: instanceName });
    additionals.push({ name: instanceName, type: 'SRV', class: 'IN', flush, ttl: ttl(HOST_RECORD_TTL), data: { priority: 0, weight: 0, port: service.port, target: service.host } });
    additionals.push({ name: instanceName, type: 'TXT', class: 'IN', flush, ttl: ttl(OTHER_RECORD_TTL), data: service.txt.map((entry) => Buffer.from(entry, 'utf8')) });
    hosts.add(service.host);
  }
  for (const host of hosts) additionals.push({ name: host, type: 'A', class: 'IN', flush, ttl: ttl(HOST_RECORD_TTL), data: options.address });
  return dnsPacket.encode({
    // RFC 6762 §18.1: the id is zero in multicast responses; a legacy querier matches on it.
    id: legacy?.id ?? 0,
    type: 'response',
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    questions: legacy?.questions ?? [],
    answers,
    additionals,
  });
}

/**
 * dns-packet splits names at every dot and writes a label's length in one byte unchecked, so an instance label
 * holding a dot (legal, RFC 6763 §4.3) or longer than 63 bytes (RFC 1035 §2.3.4) would go out corrupt.
 */
function assertEncodable(service: MdnsAdvertisedService): void {
  const labels = [service.instance, ...service.host.split('.')];
  if (service.instance.includes('.') || labels.some((label) => label === '' || Buffer.byteLength(label, 'utf8') > 63)) {
    throw new Error(`mdns: cannot encode the name ${JSON.stringify(service.instance)} on ${JSON.stringify(service.host)} with dns-packet`);
  }
}

export function decodeMdnsPacket(data: Buffer): DnsPacket | null {
  if (data.length > MAX_QUERY_BYTES) return null;
  try {
    return dnsPacket.decode(data);
  } catch {
    return null;
  }
}

/** The class number of a decoded question; dns-packet 5 spells a QU question's class "UNKNOWN_32769". */
function questionClass(question: DnsQuestion): number | null {
  const spelled = question.class ?? 'IN';
  if (spelled === 'IN') return CLASS_IN;
  if (spelled === 'ANY') return CLASS_ANY;
  const unknown = /^UNKNOWN_(\d{1,5})$/.exec(spelled);
  return unknown ? Number(unknown[1]) : null;
}

export interface MdnsQueryAnswer {
  services: MdnsAdvertisedService[];
  /** Every question that matched asked for a unicast answer (QU). */
  unicastRequested: boolean;
}

/**
 * Which of the device's services a query asks for: PTR (or ANY) questions on their service type, in class IN or
 * ANY, names compared case-insensitively (RFC 6762 §16). RFC 6762 §7.1: a service whose PTR the querier already
 * lists with at least half our TTL left is not repeated.
 */
export function answerMdnsQuery(query: DnsPacket, services: readonly MdnsAdvertisedService[]): MdnsQueryAnswer {
  const wanted = new Set<MdnsAdvertisedService>();
  let unicastRequested = true;
  for (const question of (query.questions ?? []).slice(0, MAX_QUESTIONS)) {
    if (typeof question.name !== 'string' || (question.type !== 'PTR' && question.type !== 'ANY')) continue;
    const klass = questionClass(question);
    if (klass === null) continue;
    const base = klass & ~QU_BIT;
    if (base !== CLASS_IN && base !== CLASS_ANY) continue;
    const asked = question.name.replace(/\.$/, '').toLowerCase();
    for (const service of services) {
      if (`${service.serviceType}.local`.toLowerCase() !== asked) continue;
      wanted.add(service);
      if ((klass & QU_BIT) === 0) unicastRequested = false;
    }
  }
  const known = (query.answers ?? []).filter((record) => record.type === 'PTR' && (record.ttl ?? 0) >= OTHER_RECORD_TTL / 2);
  const answered = [...wanted].filter((service) => {
    const instanceName = `${service.instance}.${service.serviceType}.local`.toLowerCase();
    return !known.some((record) => typeof record.data === 'string' && record.data.replace(/\.$/, '').toLowerCase() === instanceName);
  });
  return { services: answered, unicastRequested: answered.length > 0 && unicastRequested };
}

export async function startMdnsResponder(options: ResponderOptions): Promise<Responder> {
  const { device, multicast } = options;
  const services = advertisedMdnsServices(device);
  if (services.length === 0) {
    throw new Error(`mdns: no DNS-SD services known for vendor ${JSON.stringify(device.vendor)} (profile lists the mdns channel)`);
  }
  services.forEach(assertEncodable);
  // Loopback carries no multicast, and the group 224.0.0.251 is IPv4: nothing to listen to.
  if (multicast === undefined || !isIPv4(device.address)) return { close: async () => undefined };
  const endpoint = await openResponderEndpoint(options, { port: MDNS_PORT, group: MDNS_GROUP }, (message, fromGroup, socket) => {
    handleQuery(options, services, message, fromGroup, socket);
  });
  return { close: () => endpoint.close() };
}

function handleQuery(options: ResponderOptions, services: readonly MdnsAdvertisedService[], message: UdpMessage, fromGroup: boolean, socket: UdpEndpoint): void {
  const query = decodeMdnsPacket(message.data);
  // Responses (ours and other devices', looped back by the group) are not probes.
  if (query === null || query.type !== 'query' || (query.questions ?? []).length === 0) return;
  options.onProbe?.({ source: message.address, credentialed: looksCredentialed(message.data), multicast: fromGroup });
  const answer = answerMdnsQuery(query, services);
  if (answer.services.length === 0) return;
  const address = options.device.address;
  let reply: Buffer;
  let destination: [number, string];
  if (message.port !== MDNS_PORT) {
    // RFC 6762 §6.7: a one-shot resolver on an ephemeral port gets a conventional unicast DNS answer.
    reply = buildMdnsResponse(answer.services, { address, legacy: { id: query.id ?? 0, questions: query.questions ?? [] } });
    destination = [message.port, message.address];
  } else if (answer.unicastRequested || !fromGroup) {
    // RFC 6762 §5.4 (QU) and §5.5 (a query sent straight to our address): answer the querier alone.
    reply = buildMdnsResponse(answer.services, { address });
    destination = [message.port, message.address];
  } else {
    reply = buildMdnsResponse(answer.services, { address });
    destination = [MDNS_PORT, MDNS_GROUP];
  }
  socket.send(reply, destination[0], destination[1]).catch(() => undefined);
}
