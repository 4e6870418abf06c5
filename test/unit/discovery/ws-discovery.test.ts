/**
 * The WS-Discovery channel against hostile answers, on the fake UDP network: one datagram must never end the scan,
 * and one host must not be able to report hundreds of devices.
 */
import { describe, expect, it } from 'vitest';
import { readCaptureText } from '../../support/captures.js';
import { MULTICAST_UDP_REPEAT, UDP_MAX_DELAY, UDP_MIN_DELAY, UDP_UPPER_DELAY, WS_DISCOVERY_IPV4_GROUP, WS_DISCOVERY_PORT, multicastRepeatDelays, wsDiscoveryChannel } from '../../../src/discovery/ws-discovery.js';
import { MAX_DATAGRAMS_PER_SOURCE, MAX_DEVICES_PER_SOURCE } from '../../../src/discovery/udp-probe.js';
import { FakeUdp, createRecordingContext } from '../../support/fake-udp.js';

const AXIS = readCaptureText('ws-discovery/axis-M1034-W-probematch-kupnp.xml');
const AXIS_UUID = '08a6f3cd-312c-4810-837e-fb2859be05bb';

/** Answer every probe sent to `address` with these datagrams, from that address. */
function answering(udp: FakeUdp, address: string, replies: () => string[]): void {
  udp.onSend = (sent) => {
    if (sent.address !== address || sent.port !== WS_DISCOVERY_PORT) return;
    for (const reply of replies()) sent.socket.deliver(reply, address, WS_DISCOVERY_PORT);
  };
}

describe('wsDiscoveryChannel on hostile answers', () => {
  // Regression (issue 8 fuzzing): scope mfr/constructor made macFromEndpointUuid throw inside the socket's
  // 'message' handler, an uncaught exception that ended the whole scan.
  it('a ProbeMatch naming its maker "constructor" is a device, not a crash', async () => {
    const udp = new FakeUdp();
    const { context, observations, warnings } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.50'] });
    const hostile = AXIS.replace('onvif://www.onvif.org/type/video_encoder', 'onvif://www.onvif.org/mfr/constructor onvif://www.onvif.org/type/video_encoder');
    answering(udp, '192.0.2.50', () => [hostile]);
    await wsDiscoveryChannel.run(context);
    expect(observations.length).toBeGreaterThan(0);
    expect(observations[0]!.endpoint).toBe(`urn:uuid:${AXIS_UUID}`);
    expect(observations[0]!.mac).toBeNull();
    expect(warnings.filter((w) => w.code === 'handler-failed')).toEqual([]);
  });

  it('cuts off a host that floods: at most MAX_DATAGRAMS_PER_SOURCE datagrams and MAX_DEVICES_PER_SOURCE devices, one warning', async () => {
    const udp = new FakeUdp();
    const { context, observations, warnings } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.60'] });
    let n = 0;
    const uuidFor = (i: number): string => `${AXIS_UUID.slice(0, 24)}${i.toString(16).padStart(12, '0')}`;
    answering(udp, '192.0.2.60', () => Array.from({ length: 500 }, () => AXIS.replace(AXIS_UUID, uuidFor(n++))));
    await wsDiscoveryChannel.run(context);
    const identities = new Set(observations.map((o) => o.endpoint));
    expect(identities.size).toBe(MAX_DEVICES_PER_SOURCE);
    expect(observations.length).toBeLessThanOrEqual(MAX_DATAGRAMS_PER_SOURCE);
    const floods = warnings.filter((w) => w.code === 'source-flood');
    expect(floods).toHaveLength(1);
    expect(floods[0]!.address).toBe('192.0.2.60');
  });

  it('a well-behaved device is unaffected by a flooding neighbour', async () => {
    const udp = new FakeUdp();
    const { context, observations } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.60', '192.0.2.61'] });
    udp.onSend = (sent) => {
      if (sent.port !== WS_DISCOVERY_PORT) return;
      if (sent.address === '192.0.2.60') for (let i = 0; i < 300; i++) sent.socket.deliver(AXIS.replace(AXIS_UUID, `${AXIS_UUID.slice(0, 24)}${i.toString(16).padStart(12, '0')}`), '192.0.2.60', WS_DISCOVERY_PORT);
      if (sent.address === '192.0.2.61') sent.socket.deliver(AXIS, '192.0.2.61', WS_DISCOVERY_PORT);
    };
    await wsDiscoveryChannel.run(context);
    expect(observations.filter((o) => o.address === '192.0.2.61').map((o) => o.endpoint)).toContain(`urn:uuid:${AXIS_UUID}`);
  });

  it('repeats the multicast Probe within the wait (SOAP-over-UDP Appendix I), same MessageID, answers counted once', async () => {
    expect(multicastRepeatDelays(() => 0)).toEqual([UDP_MIN_DELAY, 2 * UDP_MIN_DELAY, 4 * UDP_MIN_DELAY, 8 * UDP_MIN_DELAY]);
    expect(multicastRepeatDelays(() => 0.999)).toEqual([UDP_MAX_DELAY, UDP_UPPER_DELAY, UDP_UPPER_DELAY, UDP_UPPER_DELAY]);
    const udp = new FakeUdp();
    const { context, observations } = createRecordingContext({ udp: udp.factory, interfaces: [{ name: 'test0', address: '192.0.2.1', family: 'IPv4' }], waitMs: 2600 });
    const probes: string[] = [];
    udp.onSend = (sent) => {
      if (sent.address !== WS_DISCOVERY_IPV4_GROUP) return;
      probes.push(/MessageID>([^<]+)</.exec(sent.data.toString('utf8'))![1]!);
      // The device answers every copy, each reply with a fresh MessageID of its own.
      sent.socket.deliver(AXIS.replace(/(MessageID>)[^<]+</, `$1uuid:${crypto.randomUUID()}<`), '192.0.2.70', WS_DISCOVERY_PORT);
    };
    await wsDiscoveryChannel.run(context);
    expect(probes).toHaveLength(1 + MULTICAST_UDP_REPEAT);
    expect(new Set(probes).size).toBe(1);
    expect(observations.filter((o) => o.address === '192.0.2.70')).toHaveLength(1);
  });
});

describe('wsDiscoveryChannel on an IPv6 link-local interface', () => {
  it('writes the interface zone it is given (an index on Windows, where libuv reads zones with atoi)', async () => {
    const udp = new FakeUdp();
    const { context } = createRecordingContext({ udp: udp.factory, waitMs: 10, interfaces: [{ name: 'Wi-Fi', address: 'fe80::1c2b:3d4e:5f60:7182', family: 'IPv6', scopeId: 12, zone: '12' }] });
    await wsDiscoveryChannel.run(context);
    const socket = udp.sockets.find((s) => s.options.type === 'udp6')!;
    expect(socket.options.bindAddress).toBe('fe80::1c2b:3d4e:5f60:7182%12');
    expect(socket.options.multicastInterface).toBe('::%12');
    expect(udp.sent.some((s) => s.address === 'ff02::c%12')).toBe(true);
  });
});
