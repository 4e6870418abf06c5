import { describe, expect, it } from 'vitest';
import { readCapture, readCaptureText } from '../../support/captures.js';
import { DESCRIPTION_MAX_BYTES, DESCRIPTION_TIMEOUT_MS, SSDP_GROUP, SSDP_PORT, createSsdpChannel } from '../../../src/discovery/ssdp.js';
import { HttpTransportError, type HttpRequest, type HttpResponse, type HttpTransport } from '../../../src/transport/http.js';
import type { Evidence } from '../../../src/model/device.js';
import { FakeUdp, createRecordingContext } from '../../support/fake-udp.js';

const M1014_RESPONSE = 'upnp/axis-M1014-ssdp-MSEARCH-200-response-axis-discovery-ssdp-js.txt';
const M1014_LOCATION = 'http://192.168.1.102:45895/rootdesc1.xml';
const M1014_DESCRIPTION = 'upnp/axis-M1014-upnp-rootdesc1-axis-discovery-ssdp-js-linejoined.xml';
const M1014_BYEBYE = 'upnp/axis-M1014-ssdp-NOTIFY-byebye-axis-discovery-ssdp-js.txt';
const P3301_DESCRIPTION = 'upnp/axis-P3301-upnp-device-description-rootdesc.xml';
const DAHUA_HEADERS = 'upnp/dahua-ssdp-search-responses-ha-issue46822.jsonl';

type Route = { status: number; body: string | Buffer } | Error | 'hang';

class FakeHttp implements HttpTransport {
  readonly requests: HttpRequest[] = [];
  closed = false;
  constructor(private readonly routes: Record<string, Route> = {}) {}

  async request(request: HttpRequest): Promise<HttpResponse> {
    this.requests.push(request);
    const route = this.routes[request.url];
    if (route === 'hang') return new Promise(() => undefined);
    if (route instanceof Error) throw route;
    const answer = route ?? { status: 404, body: 'not found' };
    return { statusCode: answer.status, headers: {}, body: Buffer.from(answer.body), certificateSha256: null, elapsedMs: 1 };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function fieldOf(evidence: Evidence[] | undefined, field: string): string[] {
  return (evidence ?? []).filter((e) => e.field === field).map((e) => e.value);
}

/** The Dahua capture is async_upnp_client's header dump; its first entry as the datagram it was parsed from. */
function dahuaDatagram(): string {
  const first = JSON.parse(readCaptureText(DAHUA_HEADERS).split('\n')[0]!) as Record<string, string>;
  const headers = Object.entries(first).filter(([name]) => !name.startsWith('_'));
  return `HTTP/1.1 200 OK\r\n${headers.map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n`;
}

describe('ssdpChannel: what it sends', () => {
  it('sends M-SEARCH ssdp:all by unicast to each target on 1900 (IPv4 and IPv6 sockets)', async () => {
    const udp = new FakeUdp();
    const http = new FakeHttp();
    const { context, warnings } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.10', '2001:db8::1'] });
    await createSsdpChannel({ http }).run(context);
    expect(udp.sockets.map((s) => s.options)).toEqual([{ type: 'udp4' }, { type: 'udp6' }]);
    for (const target of ['192.0.2.10', '2001:db8::1']) {
      const sent = udp.sentTo(target, SSDP_PORT);
      expect(sent.length).toBeGreaterThanOrEqual(1);
      const text = sent[0]!.data.toString('utf8');
      expect(text).toMatch(/^M-SEARCH \* HTTP\/1\.1\r\n/);
      expect(text).toContain('ST: ssdp:all\r\n');
      expect(text).toContain('MAN: "ssdp:discover"\r\n');
      expect(text).not.toMatch(/authorization/i);
    }
    expect(http.requests).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('multicasts on each IPv4 interface from a socket bound to it, TTL 2', async () => {
    const udp = new FakeUdp();
    const { context } = createRecordingContext({
      udp: udp.factory,
      interfaces: [
        { name: 'eth0', address: '192.0.2.1', family: 'IPv4' },
        { name: 'eth0', address: 'fe80::1', family: 'IPv6' },
      ],
    });
    await createSsdpChannel({ http: new FakeHttp() }).run(context);
    expect(udp.sockets).toHaveLength(1);
    expect(udp.sockets[0]!.options).toMatchObject({ type: 'udp4', bindAddress: '192.0.2.1', multicastInterface: '192.0.2.1', multicastTtl: 2 });
    expect(udp.sent.map((s) => `${s.address}:${s.port}`)).toEqual([`${SSDP_GROUP}:${SSDP_PORT}`]);
    expect(udp.sockets[0]!.closed).toBe(true);
  });

  it('spreads answers over MX seconds that fit the listening window', async () => {
    const udp = new FakeUdp();
    const { context } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.10'], waitMs: 50 });
    await createSsdpChannel({ http: new FakeHttp() }).run(context);
    expect(udp.sent[0]!.data.toString('utf8')).toContain('MX: 1\r\n');
  });
});

describe('ssdpChannel: what it reports', () => {
  it('fetches the Axis M1014 description anonymously from the responder and reports model, serial and MAC', async () => {
    const udp = new FakeUdp();
    udp.onSend = (sent) => sent.socket.deliver(readCapture(M1014_RESPONSE), '192.168.1.102', 51000);
    const http = new FakeHttp({ [M1014_LOCATION]: { status: 200, body: readCapture(M1014_DESCRIPTION) } });
    const { context, observations, warnings } = createRecordingContext({ udp: udp.factory, targets: ['192.168.1.102'] });
    await createSsdpChannel({ http }).run(context);
    expect(warnings).toEqual([]);
    expect(http.requests).toHaveLength(1);
    expect(http.requests[0]).toEqual({ url: M1014_LOCATION, method: 'GET', timeoutMs: DESCRIPTION_TIMEOUT_MS, maxBodyBytes: DESCRIPTION_MAX_BYTES });
    expect(observations).toHaveLength(1);
    const observation = observations[0]!;
    expect(observation).toMatchObject({ channel: 'ssdp', address: '192.168.1.102', mac: 'ac:cc:8e:27:0a:d8', serial: 'ACCC8E270AD8' });
    expect(fieldOf(observation.evidence, 'vendor')).toEqual(['AXIS']);
    expect(fieldOf(observation.evidence, 'model')).toEqual(['AXIS M1014']);
    expect(fieldOf(observation.evidence, 'model-number')).toEqual(['M1014']);
    expect(fieldOf(observation.evidence, 'name')).toEqual(['AXIS M1014 - ACCC8E270AD8']);
    expect(fieldOf(observation.evidence, 'server')).toEqual(['Linux/2.6.35, UPnP/1.0, Portable SDK for UPnP devices/1.6.18']);
    expect(fieldOf(observation.evidence, 'location')).toEqual([M1014_LOCATION]);
    // A channel given a transport does not close it: the scan owns it.
    expect(http.closed).toBe(false);
  });

  it('reads the Axis P3301 description too (URLBase after </device>)', async () => {
    const udp = new FakeUdp();
    const location = 'http://10.59.104.28:49152/rootdesc.xml';
    udp.onSend = (sent) => sent.socket.deliver(`HTTP/1.1 200 OK\r\nLOCATION: ${location}\r\nST: upnp:rootdevice\r\nUSN: uuid:Upnp-BasicDevice-1_0-00408CA45086::upnp:rootdevice\r\n\r\n`, '10.59.104.28', 51000);
    const http = new FakeHttp({ [location]: { status: 200, body: readCapture(P3301_DESCRIPTION) } });
    const { context, observations } = createRecordingContext({ udp: udp.factory, targets: ['10.59.104.28'] });
    await createSsdpChannel({ http }).run(context);
    expect(observations).toHaveLength(1);
    expect(observations[0]).toMatchObject({ mac: '00:40:8c:a4:50:86', serial: '00408CA45086' });
    expect(fieldOf(observations[0]!.evidence, 'model')).toEqual(['AXIS P3301']);
  });

  it('S3: does not fetch a LOCATION that names another host; reports the responder with a warning', async () => {
    const udp = new FakeUdp();
    // The M1014 answer (LOCATION on 192.168.1.102) arriving from somewhere else.
    udp.onSend = (sent) => sent.socket.deliver(readCapture(M1014_RESPONSE), '192.0.2.50', 51000);
    const http = new FakeHttp({ [M1014_LOCATION]: { status: 200, body: readCapture(M1014_DESCRIPTION) } });
    const { context, observations, warnings } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.50'] });
    await createSsdpChannel({ http }).run(context);
    expect(http.requests).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ address: '192.0.2.50', code: 'ssdp-location-elsewhere' });
    expect(warnings[0]!.message).toContain('192.168.1.102');
    expect(observations).toHaveLength(1);
    expect(observations[0]).toMatchObject({ address: '192.0.2.50', mac: null, serial: null });
    expect(fieldOf(observations[0]!.evidence, 'location')).toEqual([M1014_LOCATION]);
  });

  it('reports the Dahua answer when its description cannot be read, with a warning', async () => {
    const udp = new FakeUdp();
    udp.onSend = (sent) => sent.socket.deliver(dahuaDatagram(), '192.168.1.20', 55927);
    const http = new FakeHttp();
    const { context, observations, warnings } = createRecordingContext({ udp: udp.factory, targets: ['192.168.1.20'] });
    await createSsdpChannel({ http }).run(context);
    expect(http.requests.map((r) => r.url)).toEqual(['http://192.168.1.20:49152/upnp_device_desc.xml']);
    expect(warnings.map((w) => w.code)).toEqual(['upnp-http-status']);
    expect(observations).toHaveLength(1);
    expect(fieldOf(observations[0]!.evidence, 'server')).toEqual(['Linux/3.8.8, UPnP/1.0, ZheJiang Dahua Technology CO.,LTD. Upnp SDK']);
  });

  it('fetches each LOCATION once however many answers name it (ssdp:all yields one per type)', async () => {
    const udp = new FakeUdp();
    const response = readCaptureText(M1014_RESPONSE);
    udp.onSend = (sent) => {
      sent.socket.deliver(response, '192.168.1.102', 51000);
      sent.socket.deliver(response.replace('ST: urn:axis-com:service:BasicService:1', 'ST: upnp:rootdevice'), '192.168.1.102', 51000);
    };
    const http = new FakeHttp({ [M1014_LOCATION]: { status: 200, body: readCapture(M1014_DESCRIPTION) } });
    const { context, observations } = createRecordingContext({ udp: udp.factory, targets: ['192.168.1.102'] });
    await createSsdpChannel({ http }).run(context);
    expect(http.requests).toHaveLength(1);
    expect(observations).toHaveLength(1);
  });

  it('ignores byebye and searches, and turns garbage and bad descriptions into warnings', async () => {
    const udp = new FakeUdp();
    udp.onSend = (sent) => {
      sent.socket.deliver(readCapture(M1014_BYEBYE), '192.0.2.70', 1900);
      sent.socket.deliver(sent.data, '192.0.2.71', 1900);
      sent.socket.deliver('\u0000\u0001garbage', '192.0.2.72', 1900);
      sent.socket.deliver('HTTP/1.1 200 OK\r\nLOCATION: http://192.0.2.73/desc.xml\r\n\r\n', '192.0.2.73', 1900);
      sent.socket.deliver('HTTP/1.1 200 OK\r\nLOCATION: http://192.0.2.74/desc.xml\r\n\r\n', '192.0.2.74', 1900);
    };
    const http = new FakeHttp({
      'http://192.0.2.73/desc.xml': { status: 200, body: '<!DOCTYPE x [<!ENTITY a "b">]><root/>' },
      'http://192.0.2.74/desc.xml': new HttpTransportError('too-large', 'response body larger than 65536 bytes'),
    });
    const { context, observations, warnings } = createRecordingContext({ udp: udp.factory, interfaces: [{ name: 'eth0', address: '192.0.2.1', family: 'IPv4' }] });
    await expect(createSsdpChannel({ http }).run(context)).resolves.toBeUndefined();
    expect(warnings.map((w) => [w.address, w.code])).toEqual([
      ['192.0.2.72', 'ssdp-bad-start-line'],
      ['192.0.2.73', 'upnp-malformed'],
      ['192.0.2.74', 'too-large'],
    ]);
    expect(observations.map((o) => o.address)).toEqual(['192.0.2.73', '192.0.2.74']);
  });

  it('does not wait past its fetch timeout for a description that never comes, and drops it', async () => {
    const udp = new FakeUdp();
    udp.onSend = (sent) => sent.socket.deliver('HTTP/1.1 200 OK\r\nLOCATION: http://192.0.2.80/desc.xml\r\n\r\n', '192.0.2.80', 1900);
    const http = new FakeHttp({ 'http://192.0.2.80/desc.xml': 'hang' });
    const { context, controller, observations } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.80'], waitMs: 30 });
    const started = Date.now();
    const run = createSsdpChannel({ http }).run(context);
    setTimeout(() => controller.abort(), 200);
    await run;
    expect(Date.now() - started).toBeLessThan(1500);
    expect(observations).toEqual([]);
  });

  it('waits for a description fetch in flight at most its timeout after the listening window', async () => {
    const udp = new FakeUdp();
    udp.onSend = (sent) => sent.socket.deliver('HTTP/1.1 200 OK\r\nLOCATION: http://192.0.2.81/desc.xml\r\n\r\n', '192.0.2.81', 1900);
    const http = new FakeHttp({ 'http://192.0.2.81/desc.xml': 'hang' });
    const { context } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.81'], waitMs: 30 });
    const started = Date.now();
    await createSsdpChannel({ http }).run(context);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(DESCRIPTION_TIMEOUT_MS);
    expect(elapsed).toBeLessThan(DESCRIPTION_TIMEOUT_MS + 1500);
    expect(udp.sockets.every((s) => s.closed)).toBe(true);
  });
});
