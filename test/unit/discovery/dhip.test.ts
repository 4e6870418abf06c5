import { describe, expect, it } from 'vitest';
import { readCapture } from '../../support/captures.js';
import { DHIP_BROADCAST, DHIP_GROUP, DHIP_PORT, dhipChannel } from '../../../src/discovery/dhip.js';
import { DHIP_DISCOVER_BODY, decodeDhipFrame, encodeDhipFrame } from '../../../src/protocols/dhip/index.js';
import type { Evidence } from '../../../src/model/device.js';
import { FakeUdp, createRecordingContext } from '../../support/fake-udp.js';

const DAHUA_BODY = 'dahua-dhip/dahua-IPC-HDW5421S-phenomite.body.json';
const LOREX_BODY = 'dahua-dhip/lorex-W461ASC-rapid7.body.json';
// A full frame, header included, with a body whose JSON is broken ("Version" : "1.0000, …).
const SELFTEST_FRAME = 'synthetic-format-references/dahua-dhip-notifyDevInfo-with-32byte-header-UniversalScanner-selftest.bin';

function fieldOf(evidence: Evidence[] | undefined, field: string): string[] {
  return (evidence ?? []).filter((e) => e.field === field).map((e) => e.value);
}

/** The captures are the JSON bodies; the 32-byte header is the one verified against the self-test frame. */
function framed(capture: string): Buffer {
  return encodeDhipFrame(readCapture(capture));
}

describe('dhipChannel: what it sends', () => {
  it('sends DHDiscover.search by unicast to each IPv4 target on 37810, with no credential', async () => {
    const udp = new FakeUdp();
    const { context } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.10', '2001:db8::1'] });
    await dhipChannel.run(context);
    expect(udp.sockets.map((s) => s.options)).toEqual([{ type: 'udp4' }]);
    const sent = udp.sentTo('192.0.2.10', DHIP_PORT);
    expect(sent).toHaveLength(2);
    for (const datagram of sent) {
      expect(decodeDhipFrame(datagram.data).body).toBe(DHIP_DISCOVER_BODY);
      expect(datagram.data.toString('latin1')).not.toMatch(/password|passwd|login/i);
    }
    expect(udp.sentTo('2001:db8::1')).toEqual([]);
    // No broadcast without an interface: a unicast sweep stays unicast.
    expect(udp.sentTo(DHIP_BROADCAST)).toEqual([]);
    expect(udp.sentTo(DHIP_GROUP)).toEqual([]);
  });

  it('multicasts and broadcasts on each IPv4 interface from a socket bound to that interface', async () => {
    const udp = new FakeUdp();
    const { context } = createRecordingContext({
      udp: udp.factory,
      interfaces: [
        { name: 'eth0', address: '192.0.2.1', family: 'IPv4' },
        { name: 'eth0', address: 'fe80::1', family: 'IPv6' },
      ],
    });
    await dhipChannel.run(context);
    expect(udp.sockets).toHaveLength(1);
    expect(udp.sockets[0]!.options).toMatchObject({ type: 'udp4', bindAddress: '192.0.2.1', multicastInterface: '192.0.2.1', broadcast: true });
    expect(udp.sent.map((s) => `${s.address}:${s.port}`)).toEqual([`${DHIP_GROUP}:${DHIP_PORT}`, `${DHIP_BROADCAST}:${DHIP_PORT}`]);
    expect(udp.sockets[0]!.closed).toBe(true);
  });
});

describe('dhipChannel: what it reports', () => {
  it('reports the IPC-HDW5421S answer as seen from the responder', async () => {
    const udp = new FakeUdp();
    udp.onSend = (sent) => sent.socket.deliver(framed(DAHUA_BODY), sent.address, DHIP_PORT);
    const { context, observations, warnings } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.30'] });
    await dhipChannel.run(context);
    expect(warnings).toEqual([]);
    expect(observations).toHaveLength(1);
    const observation = observations[0]!;
    expect(observation).toMatchObject({ channel: 'dhip', address: '192.0.2.30', mac: '4c:11:bf:c2:0b:9d', serial: '1F006E4PAX00075', ports: { http: 80 } });
    expect(fieldOf(observation.evidence, 'vendor')).toEqual(['Dahua']);
    expect(fieldOf(observation.evidence, 'model')).toEqual(['IPC-HDW5421S']);
    expect(fieldOf(observation.evidence, 'firmware')).toEqual(['2.400.0.8']);
    expect(fieldOf(observation.evidence, 'device-class')).toEqual(['IPC']);
    // Firmware 2.400 predates the Init field: activation unknown, so no evidence either way.
    expect(fieldOf(observation.evidence, 'activated')).toEqual([]);
    expect(fieldOf(observation.evidence, 'reported-address')).toEqual(['218.5.136.140']);
  });

  it('reports the Lorex OEM answer with its own vendor, initialised (Init 1162), and no redacted serial', async () => {
    const udp = new FakeUdp();
    udp.onSend = (sent) => sent.socket.deliver(framed(LOREX_BODY), '192.168.86.81', DHIP_PORT);
    const { context, observations } = createRecordingContext({ udp: udp.factory, targets: ['192.168.86.81'] });
    await dhipChannel.run(context);
    expect(observations).toHaveLength(1);
    const observation = observations[0]!;
    expect(observation).toMatchObject({ address: '192.168.86.81', mac: '00:1f:54:a9:2e:58', serial: null });
    expect(fieldOf(observation.evidence, 'vendor')).toEqual(['Lorex']);
    expect(fieldOf(observation.evidence, 'model')).toEqual(['W461ASC']);
    expect(fieldOf(observation.evidence, 'firmware')).toEqual(['2.800.030000000.3.R']);
    expect(fieldOf(observation.evidence, 'activated')).toEqual(['true']);
    expect(fieldOf(observation.evidence, 'reported-address')).toEqual([]);
  });

  it('reports an uninitialised device (Init bits 0-1 = 1) as activated=false, and names Dahua when Vendor is absent', async () => {
    const udp = new FakeUdp();
    const body = JSON.parse(readCapture(LOREX_BODY).toString('utf8')) as { params: { deviceInfo: Record<string, unknown> } };
    body.params.deviceInfo['Init'] = 1161;
    delete body.params.deviceInfo['Vendor'];
    udp.onSend = (sent) => sent.socket.deliver(encodeDhipFrame(JSON.stringify(body)), sent.address, DHIP_PORT);
    const { context, observations } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.31'] });
    await dhipChannel.run(context);
    expect(fieldOf(observations[0]?.evidence, 'activated')).toEqual(['false']);
    expect(fieldOf(observations[0]?.evidence, 'vendor')).toEqual(['Dahua']);
  });

  it('turns garbage into warnings and ignores searches heard from other scanners', async () => {
    const udp = new FakeUdp();
    udp.onSend = (sent) => {
      sent.socket.deliver(readCapture(SELFTEST_FRAME), '192.0.2.60', DHIP_PORT);
      sent.socket.deliver('HTTP/1.1 200 OK\r\nServer: not DHIP at all, but longer than a header\r\n\r\n', '192.0.2.61', DHIP_PORT);
      sent.socket.deliver(encodeDhipFrame('{"method":"configManager.getConfig","params":{}}'), '192.0.2.62', DHIP_PORT);
      sent.socket.deliver(encodeDhipFrame(DHIP_DISCOVER_BODY), '192.0.2.63', DHIP_PORT);
    };
    const { context, observations, warnings } = createRecordingContext({ udp: udp.factory, interfaces: [{ name: 'eth0', address: '192.0.2.1', family: 'IPv4' }] });
    await expect(dhipChannel.run(context)).resolves.toBeUndefined();
    expect(observations).toEqual([]);
    expect(warnings.map((w) => [w.address, w.code])).toEqual([
      ['192.0.2.60', 'dhip-bad-json'],
      ['192.0.2.61', 'dhip-bad-magic'],
      ['192.0.2.62', 'dhip-unsupported'],
    ]);
  });

  it('reports a device that answers both the group and the broadcast once', async () => {
    const udp = new FakeUdp();
    udp.onSend = (sent) => sent.socket.deliver(framed(DAHUA_BODY), '192.0.2.30', DHIP_PORT);
    const { context, observations } = createRecordingContext({ udp: udp.factory, interfaces: [{ name: 'eth0', address: '192.0.2.1', family: 'IPv4' }] });
    await dhipChannel.run(context);
    expect(observations).toHaveLength(1);
  });
});

describe('dhipChannel: failures are warnings', () => {
  it('warns when the unicast socket cannot open', async () => {
    const udp = new FakeUdp();
    udp.openFailure = () => new Error('EMFILE');
    const { context, warnings } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.10'] });
    await dhipChannel.run(context);
    expect(warnings.map((w) => w.code)).toEqual(['interface-failed']);
  });

  it('warns per destination when a broadcast is refused, and still multicasts', async () => {
    const udp = new FakeUdp();
    udp.sendFailure = (sent) => (sent.address === DHIP_BROADCAST ? new Error('EACCES') : null);
    const { context, warnings } = createRecordingContext({ udp: udp.factory, interfaces: [{ name: 'eth0', address: '192.0.2.1', family: 'IPv4' }] });
    await dhipChannel.run(context);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain(DHIP_BROADCAST);
    expect(udp.sent.map((s) => s.address)).toContain(DHIP_GROUP);
  });
});
