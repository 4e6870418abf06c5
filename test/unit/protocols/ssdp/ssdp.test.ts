import { describe, it, expect } from 'vitest';
import { normaliseMac } from '../../../../src/model/device.js';
import { listCaptures, readCapture, readCaptureText } from '../../../support/captures.js';
import {
  MAX_SSDP_BYTES,
  MAX_SSDP_HEADERS,
  SsdpDecodeError,
  buildMSearch,
  extractSsdpFields,
  parseSsdpMessage,
  uuidFromUsn,
} from '../../../../src/protocols/ssdp/ssdp.js';
import { parseDeviceDescription } from '../../../../src/protocols/ssdp/upnp-description.js';

const MSEARCH_200 = 'upnp/axis-M1014-ssdp-MSEARCH-200-response-axis-discovery-ssdp-js.txt';
const NOTIFY_BYEBYE = 'upnp/axis-M1014-ssdp-NOTIFY-byebye-axis-discovery-ssdp-js.txt';

function decodeErrorOf(input: Uint8Array | string): SsdpDecodeError {
  try {
    parseSsdpMessage(input);
  } catch (error) {
    if (error instanceof SsdpDecodeError) return error;
    throw error;
  }
  throw new Error('expected an SsdpDecodeError');
}

describe('buildMSearch', () => {
  it('defaults to ssdp:all with MX 2, CRLF line ends and the closing blank line', () => {
    expect(buildMSearch()).toBe('M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 2\r\nST: ssdp:all\r\n\r\n');
  });

  it('takes a search target and MX, and decodes as a search', () => {
    const message = parseSsdpMessage(buildMSearch('urn:axis-com:service:BasicService:1', 1));
    expect(message).toMatchObject({ kind: 'search', st: 'urn:axis-com:service:BasicService:1' });
    expect(message.headers).toEqual({ host: '239.255.255.250:1900', man: '"ssdp:discover"', mx: '1', st: 'urn:axis-com:service:BasicService:1' });
  });

  it('refuses header injection and out-of-range MX', () => {
    expect(() => buildMSearch('ssdp:all\r\nX-Evil: 1')).toThrow(RangeError);
    expect(() => buildMSearch('')).toThrow(RangeError);
    expect(() => buildMSearch('ssdp:all', 0)).toThrow(RangeError);
    expect(() => buildMSearch('ssdp:all', 6)).toThrow(RangeError);
    expect(() => buildMSearch('ssdp:all', 1.5)).toThrow(RangeError);
  });
});

describe('parseSsdpMessage on captures', () => {
  it('every SSDP datagram capture decodes', () => {
    const files = listCaptures('upnp').filter((f) => f.includes('-ssdp-') && f.endsWith('.txt'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) expect(['response', 'notify']).toContain(parseSsdpMessage(readCapture(`upnp/${file}`)).kind);
  });

  it('Axis M1014 M-SEARCH answer (no closing blank line)', () => {
    const message = parseSsdpMessage(readCapture(MSEARCH_200));
    expect(message).toMatchObject({
      kind: 'response',
      statusCode: 200,
      location: 'http://192.168.1.102:45895/rootdesc1.xml',
      server: 'Linux/2.6.35, UPnP/1.0, Portable SDK for UPnP devices/1.6.18',
      st: 'urn:axis-com:service:BasicService:1',
      usn: 'uuid:Upnp-BasicDevice-1_0-ACCC8E270AD8::urn:axis-com:service:BasicService:1',
      uuid: 'Upnp-BasicDevice-1_0-ACCC8E270AD8',
    });
    expect(message.nt).toBeUndefined();
    expect(message.headers).toMatchObject({
      'cache-control': 'max-age=1800',
      date: 'Sun, 02 Oct 2016 21:11:25 GMT',
      ext: '',
      opt: '"http://schemas.upnp.org/upnp/1/0/"; ns=01',
      '01-nls': '8fb2638a-1dd2-11b2-a915-c89968cce2ca',
      'x-user-agent': 'redsonic',
    });
    expect(Object.keys(message.headers)).toHaveLength(10);
  });

  it('Axis M1014 NOTIFY ssdp:byebye', () => {
    const message = parseSsdpMessage(readCapture(NOTIFY_BYEBYE));
    expect(message).toMatchObject({
      kind: 'notify',
      nt: 'urn:axis-com:service:BasicService:1',
      nts: 'ssdp:byebye',
      location: 'http://192.168.1.102:45895/rootdesc1.xml',
      uuid: 'Upnp-BasicDevice-1_0-ACCC8E270AD8',
    });
    expect(message.statusCode).toBeUndefined();
    expect(message.headers['host']).toBe('239.255.255.250:1900');
  });

  it('the M1014 USN names the same device as its description: serialNumber is the UDN tail and the MAC', () => {
    const ssdp = parseSsdpMessage(readCapture(MSEARCH_200));
    const description = parseDeviceDescription(readCapture('upnp/axis-M1014-upnp-rootdesc1-axis-discovery-ssdp-js-linejoined.xml'));
    expect(ssdp.location?.endsWith('/rootdesc1.xml')).toBe(true);
    expect(description.udn).toBe(`uuid:${ssdp.uuid}`);
    expect(ssdp.uuid?.endsWith(description.serialNumber ?? '?')).toBe(true);
    expect(normaliseMac(description.serialNumber)).toBe('ac:cc:8e:27:0a:d8');
  });
});

describe('extractSsdpFields on header dumps', () => {
  it('Dahua search answers as dumped by async_upnp_client (Home Assistant issue 46822)', () => {
    const lines = readCaptureText('upnp/dahua-ssdp-search-responses-ha-issue46822.jsonl').split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(2);
    const dumps = lines.map((l) => JSON.parse(l) as Record<string, string>);
    const fields = dumps.map((d) => extractSsdpFields(d));
    for (const [i, f] of fields.entries()) {
      expect(f).toMatchObject({
        location: 'http://192.168.1.20:49152/upnp_device_desc.xml',
        server: 'Linux/3.8.8, UPnP/1.0, ZheJiang Dahua Technology CO.,LTD. Upnp SDK',
        uuid: 'www.dahuatech.com.device_3_0-1L047ACPAW00037',
      });
      expect(`uuid:${f.uuid}`).toBe(dumps[i]!['_udn']);
    }
    expect(fields[0]!.st).toBe('uuid:www.dahuatech.com.device_3_0-1L047ACPAW00037');
    expect(fields[1]!.st).toBe('urn:schemas-upnp-org:device:3.0-1L047ACPAW00037');
    expect(fields[1]!.usn).toBe('uuid:www.dahuatech.com.device_3_0-1L047ACPAW00037::urn:schemas-upnp-org:device:3.0-1L047ACPAW00037');
  });

  it('Axis M1065-LW as parsed by Home Assistant: lowercase keys; serialNumber is the MAC, as in mDNS', () => {
    const ha = JSON.parse(readCaptureText('axis/axis-M1065-LW-ssdp-and-upnp-description-parsed-ha.json')) as Record<string, unknown>;
    const strings = Object.fromEntries(Object.entries(ha).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const fields = extractSsdpFields(strings);
    expect(fields).toMatchObject({
      st: 'urn:axis-com:service:BasicService:1',
      server: 'Linux/4.14.173-axis8, UPnP/1.0, Portable SDK for UPnP devices/1.8.7',
      uuid: 'Upnp-BasicDevice-1_0-00408C123456',
    });
    expect(fields.location).toBeUndefined();
    const mdns = JSON.parse(readCaptureText('axis/axis-M1065-LW-mdns-axis-video-tcp-parsed-ha.json')) as { properties: { macaddress: string } };
    expect(normaliseMac(strings['serialNumber'])).toBe('00:40:8c:12:34:56');
    expect(normaliseMac(strings['serialNumber'])).toBe(normaliseMac(mdns.properties.macaddress));
    expect(strings['UDN']).toBe(`uuid:${fields.uuid}`);
  });

  it('first spelling of a key wins, whatever its case', () => {
    expect(extractSsdpFields({ Location: 'http://a/', LOCATION: 'http://b/' }).location).toBe('http://a/');
  });
});

describe('uuidFromUsn', () => {
  it('takes the uuid: part before ::', () => {
    expect(uuidFromUsn('uuid:abc::urn:x')).toBe('abc');
    expect(uuidFromUsn('UUID:abc')).toBe('abc');
    expect(uuidFromUsn('urn:x')).toBeUndefined();
    expect(uuidFromUsn('uuid:')).toBeUndefined();
    expect(uuidFromUsn(undefined)).toBeUndefined();
  });
});

describe('parseSsdpMessage on odd or hostile input', () => {
  it('LF-only line ends, any header case, folded lines, a body after the blank line', () => {
    const message = parseSsdpMessage(
      'http/1.1 200 OK\nLocation: http://192.0.2.7/desc.xml\nserver: Linux/1.0,\n  UPnP/1.0 Camera\nUsN: uuid:x-1\n\nBODY: ignored\n',
    );
    expect(message).toMatchObject({ kind: 'response', statusCode: 200, location: 'http://192.0.2.7/desc.xml', server: 'Linux/1.0, UPnP/1.0 Camera', uuid: 'x-1' });
    expect(message.headers['body']).toBeUndefined();
  });

  it('skips lines that are not headers and keeps the first of repeated headers', () => {
    const message = parseSsdpMessage('NOTIFY * HTTP/1.1\r\ngarbage line\r\n: no name\r\nbad name: x\r\nLOCATION: http://a/\r\nLOCATION: http://b/\r\n\r\n');
    expect(message.location).toBe('http://a/');
    expect(Object.keys(message.headers)).toEqual(['location']);
  });

  it('a continuation line after a skipped line is not glued to an earlier header', () => {
    const message = parseSsdpMessage('NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\ngarbage\r\n  continued\r\n\r\n');
    expect(message.nt).toBe('upnp:rootdevice');
  });

  it('only http(s) LOCATIONs are reported as such', () => {
    for (const location of ['file:///etc/passwd', 'javascript:alert(1)', 'not a url', `http://a/${'x'.repeat(3000)}`]) {
      const message = parseSsdpMessage(`HTTP/1.1 200 OK\r\nLOCATION: ${location}\r\n\r\n`);
      expect(message.location).toBeUndefined();
      expect(message.headers['location']).toBe(location);
    }
  });

  it('a header named __proto__ stays a plain field', () => {
    const message = parseSsdpMessage('HTTP/1.1 200 OK\r\n__proto__: x\r\nconstructor: y\r\n\r\n');
    expect(Object.getPrototypeOf(message.headers)).toBe(Object.prototype);
    expect(Object.hasOwn(message.headers, '__proto__')).toBe(true);
    expect(message.headers['constructor']).toBe('y');
  });

  it('names every failure', () => {
    expect(decodeErrorOf('').code).toBe('ssdp-empty');
    expect(decodeErrorOf('\r\n\r\n').code).toBe('ssdp-empty');
    expect(decodeErrorOf('GET / HTTP/1.1\r\n\r\n').code).toBe('ssdp-bad-start-line');
    expect(decodeErrorOf('<?xml version="1.0"?><Probe/>').code).toBe('ssdp-bad-start-line');
    expect(decodeErrorOf(new Uint8Array([0xff, 0xfe, 0x00])).code).toBe('ssdp-bad-start-line');
    expect(decodeErrorOf('x'.repeat(MAX_SSDP_BYTES + 1)).code).toBe('ssdp-too-large');
    const many = Array.from({ length: MAX_SSDP_HEADERS + 1 }, (_, i) => `X-${i}: v`).join('\r\n');
    expect(decodeErrorOf(`NOTIFY * HTTP/1.1\r\n${many}\r\n\r\n`).code).toBe('ssdp-too-many-headers');
  });
});
