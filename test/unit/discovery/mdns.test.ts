import { describe, expect, it } from 'vitest';
import { readCaptureText } from '../../support/captures.js';
import { MDNS_SERVICE_TYPES, createMdnsChannel, type MdnsBrowseSession, type MdnsService, type MdnsSessionOptions } from '../../../src/discovery/mdns.js';
import type { Evidence } from '../../../src/model/device.js';
import { FakeUdp, createRecordingContext } from '../../support/fake-udp.js';

const AXIS_HA = 'axis/axis-M1065-LW-mdns-axis-video-tcp-parsed-ha.json';
const ETH0 = { name: 'eth0', address: '192.0.2.1', family: 'IPv4' as const };

function fieldOf(evidence: Evidence[] | undefined, field: string): string[] {
  return (evidence ?? []).filter((e) => e.field === field).map((e) => e.value);
}

/** Sessions that never touch a network: the test plays the services that bonjour-service would resolve. */
class FakeMdns {
  readonly sessions: FakeSession[] = [];
  failOpen: Error | null = null;
  /** Services to announce for a type as soon as it is browsed. */
  announce: Record<string, MdnsService[]> = {};

  readonly open = (options: MdnsSessionOptions): MdnsBrowseSession => {
    if (this.failOpen) throw this.failOpen;
    const session = new FakeSession(options, this);
    this.sessions.push(session);
    return session;
  };
}

class FakeSession implements MdnsBrowseSession {
  readonly browsed: string[] = [];
  readonly listeners = new Map<string, (service: MdnsService) => void>();
  requeries = 0;
  closed = false;
  constructor(
    readonly options: MdnsSessionOptions,
    private readonly network: FakeMdns,
  ) {}

  browse(type: string, onService: (service: MdnsService) => void): void {
    this.browsed.push(type);
    this.listeners.set(type, onService);
    for (const service of this.network.announce[type] ?? []) queueMicrotask(() => onService(service));
  }

  requery(): void {
    this.requeries += 1;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  emit(type: string, service: MdnsService): void {
    this.listeners.get(type)?.(service);
  }
}

/** The Home Assistant capture, in the shape bonjour-service hands over (TXT as `txt`, sender as `referer`). */
function axisService(referer = '1.2.3.4'): MdnsService {
  const ha = JSON.parse(readCaptureText(AXIS_HA)) as { host: string; port: number; hostname: string; type: string; name: string; properties: Record<string, string> };
  return { name: ha.name.split('.')[0], fqdn: ha.name.replace(/\.$/, ''), type: 'axis-video', protocol: 'tcp', host: ha.hostname, port: ha.port, addresses: [ha.host], txt: ha.properties, referer: { address: referer } };
}

describe('mdnsChannel', () => {
  it('never runs without an interface: mDNS is multicast only (and tests never touch real interfaces)', async () => {
    const mdns = new FakeMdns();
    const { context } = createRecordingContext({ udp: new FakeUdp().factory, targets: ['192.0.2.10'], waitMs: 5_000 });
    const started = Date.now();
    await createMdnsChannel({ openSession: mdns.open }).run(context);
    expect(mdns.sessions).toEqual([]);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('opens one session per IPv4 interface, browses the camera service types, re-queries during the wait, and closes', async () => {
    const mdns = new FakeMdns();
    const { context } = createRecordingContext({
      udp: new FakeUdp().factory,
      interfaces: [ETH0, { name: 'eth0', address: 'fe80::1', family: 'IPv6' }, { name: 'eth1', address: '198.51.100.1', family: 'IPv4' }],
      waitMs: 130,
    });
    await createMdnsChannel({ openSession: mdns.open, requeryMs: 25 }).run(context);
    expect(mdns.sessions.map((s) => s.options.interfaceAddress)).toEqual(['192.0.2.1', '198.51.100.1']);
    for (const session of mdns.sessions) {
      expect(session.browsed).toEqual([...MDNS_SERVICE_TYPES]);
      expect(session.browsed).toEqual(['axis-video', 'CGI', 'onvif', 'http', 'rtsp']);
      expect(session.requeries).toBeGreaterThanOrEqual(3);
      expect(session.closed).toBe(true);
    }
  });

  it('reports the Axis M1065-LW service: the responder address, the MAC from TXT, serial = MAC, the HTTP port', async () => {
    const mdns = new FakeMdns();
    mdns.announce['axis-video'] = [axisService()];
    const { context, observations, warnings } = createRecordingContext({ udp: new FakeUdp().factory, interfaces: [ETH0], waitMs: 30 });
    await createMdnsChannel({ openSession: mdns.open }).run(context);
    expect(warnings).toEqual([]);
    expect(observations).toHaveLength(1);
    const observation = observations[0]!;
    expect(observation).toMatchObject({ channel: 'mdns', address: '1.2.3.4', mac: '00:40:8c:12:34:56', serial: '00408C123456', ports: { http: 80 } });
    expect(fieldOf(observation.evidence, 'vendor')).toEqual(['Axis']);
    expect(fieldOf(observation.evidence, 'model')).toEqual(['AXIS M1065-LW']);
    expect(fieldOf(observation.evidence, 'name')).toEqual(['AXIS M1065-LW - 00408C123456']);
    expect(fieldOf(observation.evidence, 'service')).toEqual(['_axis-video._tcp']);
    expect(fieldOf(observation.evidence, 'reported-address')).toEqual([]);
  });

  it('uses the address the answer came from, and keeps a different A record as evidence only', async () => {
    const mdns = new FakeMdns();
    mdns.announce['axis-video'] = [axisService('192.0.2.44')];
    const { context, observations } = createRecordingContext({ udp: new FakeUdp().factory, interfaces: [ETH0], waitMs: 30 });
    await createMdnsChannel({ openSession: mdns.open }).run(context);
    expect(observations[0]?.address).toBe('192.0.2.44');
    expect(fieldOf(observations[0]?.evidence, 'reported-address')).toEqual(['1.2.3.4']);
  });

  it('reports a Hikvision _CGI._tcp service with only the serial tail', async () => {
    const mdns = new FakeMdns();
    mdns.announce['CGI'] = [{ name: 'HIKVISION DS-2CD2385G1-I - 33842150', type: 'CGI', protocol: 'tcp', port: 80, host: 'HIKVISION.local', addresses: ['192.0.2.40'], referer: { address: '192.0.2.40' } }];
    const { context, observations } = createRecordingContext({ udp: new FakeUdp().factory, interfaces: [ETH0], waitMs: 30 });
    await createMdnsChannel({ openSession: mdns.open }).run(context);
    expect(observations).toHaveLength(1);
    expect(observations[0]).toMatchObject({ address: '192.0.2.40', mac: null, serial: null, ports: { http: 80 } });
    expect(fieldOf(observations[0]!.evidence, 'vendor')).toEqual(['Hikvision']);
    expect(fieldOf(observations[0]!.evidence, 'model')).toEqual(['DS-2CD2385G1-I']);
    expect(fieldOf(observations[0]!.evidence, 'serial-tail')).toEqual(['33842150']);
  });

  it('reports each service once, warns about one without any address, and drops answers after the wait', async () => {
    const mdns = new FakeMdns();
    mdns.announce['axis-video'] = [axisService(), axisService(), { name: 'ghost', type: 'http', protocol: 'tcp', port: 80 }];
    const { context, observations, warnings } = createRecordingContext({ udp: new FakeUdp().factory, interfaces: [ETH0], waitMs: 30 });
    await createMdnsChannel({ openSession: mdns.open }).run(context);
    mdns.sessions[0]!.emit('rtsp', { name: 'late', type: 'rtsp', protocol: 'tcp', port: 554, referer: { address: '192.0.2.99' } });
    expect(observations).toHaveLength(1);
    expect(warnings.map((w) => w.code)).toEqual(['mdns-no-address']);
  });

  it('turns hostile services into hints or warnings, never a throw', async () => {
    const mdns = new FakeMdns();
    const hostile = [
      { name: '\u0000\u0007', type: 'http', referer: { address: 'not an ip' }, addresses: ['192.0.2.5'], port: 99999, txt: { macaddress: 'zz' } },
      { type: 'rtsp', referer: { address: '192.0.2.6' }, txt: { ['__proto__']: 'x' } as Record<string, unknown> },
    ] as unknown as MdnsService[];
    mdns.announce['http'] = hostile;
    const { context, observations } = createRecordingContext({ udp: new FakeUdp().factory, interfaces: [ETH0], waitMs: 30 });
    await expect(createMdnsChannel({ openSession: mdns.open }).run(context)).resolves.toBeUndefined();
    expect(observations.map((o) => o.address)).toEqual(['192.0.2.5', '192.0.2.6']);
    expect(observations[0]!.ports).toBeUndefined();
  });

  it('reports session errors and failed opens as warnings', async () => {
    const failing = new FakeMdns();
    failing.failOpen = new Error('bind EADDRINUSE 0.0.0.0:5353');
    const first = createRecordingContext({ udp: new FakeUdp().factory, interfaces: [ETH0], waitMs: 10 });
    await createMdnsChannel({ openSession: failing.open }).run(first.context);
    expect(first.warnings.map((w) => w.code)).toEqual(['interface-failed']);

    const mdns = new FakeMdns();
    const second = createRecordingContext({ udp: new FakeUdp().factory, interfaces: [ETH0], waitMs: 30 });
    const run = createMdnsChannel({ openSession: mdns.open }).run(second.context);
    await Promise.resolve();
    mdns.sessions[0]!.options.onError(new Error('addMembership EINVAL'));
    await run;
    expect(second.warnings).toHaveLength(1);
    expect(second.warnings[0]).toMatchObject({ code: 'mdns-error' });
    expect(second.warnings[0]!.message).toContain('eth0');
  });

  it('a failing found() becomes a warning, not an exception inside the mDNS socket handler', async () => {
    const mdns = new FakeMdns();
    mdns.announce['axis-video'] = [axisService()];
    const recording = createRecordingContext({ udp: new FakeUdp().factory, interfaces: [ETH0], waitMs: 30 });
    recording.context.found = () => {
      throw new Error('registry exploded');
    };
    await createMdnsChannel({ openSession: mdns.open }).run(recording.context);
    expect(recording.warnings.map((w) => w.code)).toEqual(['handler-failed']);
  });

  it('resolves promptly on abort', async () => {
    const mdns = new FakeMdns();
    const { context, controller } = createRecordingContext({ udp: new FakeUdp().factory, interfaces: [ETH0], waitMs: 60_000 });
    const started = Date.now();
    const run = createMdnsChannel({ openSession: mdns.open }).run(context);
    setTimeout(() => controller.abort(), 20);
    await run;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(mdns.sessions[0]!.closed).toBe(true);
  });
});
