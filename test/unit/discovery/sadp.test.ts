import { describe, expect, it } from 'vitest';
import { readCapture } from '../../support/captures.js';
import { SADP_GROUP, SADP_PORT, sadpChannel } from '../../../src/discovery/sadp.js';
import { buildSadpInquiry } from '../../../src/protocols/sadp/index.js';
import type { Evidence } from '../../../src/model/device.js';
import { FakeUdp, createRecordingContext } from '../../support/fake-udp.js';

const UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const CAMERA_2385 = 'hikvision/hikvision-DS-2CD2385G1-I-V5.6.2-sadp-probematch.xml';
const CAMERA_2320 = 'hikvision/hikvision-DS-2CD2320D-I-V5.5.6-sadp-probematch.xml';
const DVR_TRUNCATED = 'hikvision/hikvision-DS-7804HQH-K1-DVR-sadp-probematch-truncated.xml';
const SADPTOOL_INQUIRY = 'hikvision/hikvision-sadp-inquiry-request-from-SADPTool-elearn.xml';

function fieldOf(evidence: Evidence[] | undefined, field: string): string[] {
  return (evidence ?? []).filter((e) => e.field === field).map((e) => e.value);
}

/** Answer inquiries sent to `address` with a captured payload, from that address. */
function answering(udp: FakeUdp, replies: Record<string, Buffer>): void {
  udp.onSend = (sent) => {
    const reply = replies[sent.address];
    if (reply) sent.socket.deliver(reply, sent.address, SADP_PORT);
  };
}

describe('sadpChannel: what it sends', () => {
  it('sends the inquiry by unicast to each IPv4 target on 37020 from one ephemeral socket, nothing to IPv6 targets', async () => {
    const udp = new FakeUdp();
    const { context, warnings } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.10', '192.0.2.11', '2001:db8::1'], uuid: UUID });
    await sadpChannel.run(context);
    expect(udp.sockets).toHaveLength(1);
    expect(udp.sockets[0]!.options).toEqual({ type: 'udp4' });
    const expected = buildSadpInquiry(UUID);
    for (const target of ['192.0.2.10', '192.0.2.11']) {
      const sent = udp.sentTo(target, SADP_PORT);
      // Both stayed silent: the inquiry is repeated once (UDP is lossy).
      expect(sent).toHaveLength(2);
      for (const datagram of sent) expect(datagram.data.toString('utf8')).toBe(expected);
    }
    expect(udp.sentTo('2001:db8::1')).toHaveLength(0);
    expect(warnings).toEqual([]);
  });

  it('S1: no datagram it sends carries a password or any credential', async () => {
    const udp = new FakeUdp();
    const { context } = createRecordingContext({
      udp: udp.factory,
      targets: ['192.0.2.10'],
      interfaces: [{ name: 'eth0', address: '192.0.2.1', family: 'IPv4' }],
    });
    await sadpChannel.run(context);
    expect(udp.sent.length).toBeGreaterThan(0);
    for (const datagram of udp.sent) expect(datagram.data.toString('utf8')).not.toMatch(/password|<Types>(?!inquiry)/i);
  });

  it('multicasts on each IPv4 interface from a socket bound to 37020 that joins the group there (answers arrive on the group)', async () => {
    const udp = new FakeUdp();
    const { context } = createRecordingContext({
      udp: udp.factory,
      interfaces: [
        { name: 'eth0', address: '192.0.2.1', family: 'IPv4' },
        { name: 'eth0', address: 'fe80::1', family: 'IPv6', scopeId: 2 },
      ],
    });
    await sadpChannel.run(context);
    expect(udp.sockets).toHaveLength(1);
    expect(udp.sockets[0]!.options).toMatchObject({
      type: 'udp4',
      port: SADP_PORT,
      reuseAddr: true,
      memberships: [{ group: SADP_GROUP, interfaceAddress: '192.0.2.1' }],
      multicastInterface: '192.0.2.1',
    });
    expect(udp.sent.map((s) => `${s.address}:${s.port}`)).toEqual([`${SADP_GROUP}:${SADP_PORT}`]);
  });

  it('does not repeat the inquiry to a target that answered', async () => {
    const udp = new FakeUdp();
    answering(udp, { '192.0.2.10': readCapture(CAMERA_2385) });
    const { context } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.10', '192.0.2.11'] });
    await sadpChannel.run(context);
    expect(udp.sentTo('192.0.2.10')).toHaveLength(1);
    expect(udp.sentTo('192.0.2.11')).toHaveLength(2);
  });

  it('closes every socket it opened', async () => {
    const udp = new FakeUdp();
    const { context } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.10'], interfaces: [{ name: 'eth0', address: '192.0.2.1', family: 'IPv4' }] });
    await sadpChannel.run(context);
    expect(udp.sockets.length).toBe(2);
    expect(udp.sockets.every((s) => s.closed)).toBe(true);
  });
});

describe('sadpChannel: what it reports', () => {
  it('turns the DS-2CD2385G1-I answer into an observation of the responder, keeping the payload address as evidence', async () => {
    const udp = new FakeUdp();
    answering(udp, { '192.0.2.40': readCapture(CAMERA_2385) });
    const { context, observations, warnings } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.40'] });
    await sadpChannel.run(context);
    expect(warnings).toEqual([]);
    expect(observations).toHaveLength(1);
    const observation = observations[0]!;
    expect(observation).toMatchObject({
      channel: 'sadp',
      address: '192.0.2.40',
      mac: '58:50:ed:1f:e3:85',
      serial: 'DS-2CD2385G1-I20200414AAWRE33842150',
      ports: { http: 80 },
    });
    expect(fieldOf(observation.evidence, 'vendor')).toEqual(['Hikvision']);
    expect(fieldOf(observation.evidence, 'model')).toEqual(['DS-2CD2385G1-I']);
    expect(fieldOf(observation.evidence, 'firmware')).toEqual(['V5.6.2build 190701']);
    expect(fieldOf(observation.evidence, 'activated')).toEqual(['true']);
    // DeviceLock is spelled "flase" by this firmware.
    expect(fieldOf(observation.evidence, 'device-lock')).toEqual(['false']);
    expect(fieldOf(observation.evidence, 'reported-address')).toEqual(['192.168.124.40']);
    expect(observation.evidence?.every((e) => e.source === 'sadp')).toBe(true);
  });

  it('reports the DS-2CD2320D-I answer, and no reported-address when the payload names the responder', async () => {
    const udp = new FakeUdp();
    answering(udp, { '192.168.1.112': readCapture(CAMERA_2320) });
    const { context, observations } = createRecordingContext({ udp: udp.factory, targets: ['192.168.1.112'] });
    await sadpChannel.run(context);
    expect(observations).toHaveLength(1);
    expect(observations[0]).toMatchObject({ address: '192.168.1.112', mac: '44:47:cc:37:ce:81', serial: 'DS-2CD2320D-I20180919AACHC52932642' });
    expect(fieldOf(observations[0]!.evidence, 'model')).toEqual(['DS-2CD2320D-I']);
    expect(fieldOf(observations[0]!.evidence, 'firmware')).toEqual(['V5.5.6build 180326']);
    expect(fieldOf(observations[0]!.evidence, 'reported-address')).toEqual([]);
  });

  it('reports a truncated DVR answer with a warning, keeping the identity that arrived', async () => {
    const udp = new FakeUdp();
    answering(udp, { '192.168.1.227': readCapture(DVR_TRUNCATED) });
    const { context, observations, warnings } = createRecordingContext({ udp: udp.factory, targets: ['192.168.1.227'] });
    await sadpChannel.run(context);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ address: '192.168.1.227', code: 'sadp-truncated' });
    expect(observations).toHaveLength(1);
    expect(observations[0]).toMatchObject({ mac: '68:6d:bc:ee:f8:f0', serial: 'DS-7804HQH-K10420190822CCCHD53257168WCVU' });
    expect(fieldOf(observations[0]!.evidence, 'model')).toEqual(['DS-7804HQH-K1']);
    expect(fieldOf(observations[0]!.evidence, 'device-lock')).toEqual(['true']);
  });

  it('drops a truncated answer that carries neither MAC nor serial, with a warning', async () => {
    const udp = new FakeUdp();
    const cut = '<?xml version="1.0" encoding="UTF-8"?>\n<ProbeMatch>\n<Uuid>8282F1DB-2FA6-4709-B261-3C6B6A48CA17</Uuid>\n<Types>inquiry</Types>\n<DeviceDescription>DS-7804HQH-K1</DeviceDescription>\n<DeviceS';
    answering(udp, { '192.0.2.7': Buffer.from(cut) });
    const { context, observations, warnings } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.7'] });
    await sadpChannel.run(context);
    expect(observations).toEqual([]);
    expect(warnings.map((w) => w.code)).toEqual(['sadp-truncated']);
  });

  it('ignores inquiries heard on the group (its own echo, and SADPTool\'s)', async () => {
    const udp = new FakeUdp();
    udp.onSend = (sent) => {
      sent.socket.deliver(sent.data, '192.0.2.1', SADP_PORT);
      sent.socket.deliver(readCapture(SADPTOOL_INQUIRY), '192.0.2.77', SADP_PORT);
    };
    const { context, observations, warnings } = createRecordingContext({ udp: udp.factory, interfaces: [{ name: 'eth0', address: '192.0.2.1', family: 'IPv4' }] });
    await sadpChannel.run(context);
    expect(observations).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('turns garbage into warnings with codes and keeps listening', async () => {
    const udp = new FakeUdp();
    udp.onSend = (sent) => {
      sent.socket.deliver('not xml at all', '192.0.2.66', SADP_PORT);
      sent.socket.deliver('<Probe><Types>activate</Types><Password>x</Password></Probe>', '192.0.2.67', SADP_PORT);
      sent.socket.deliver(Buffer.alloc(20_000, 0x41), '192.0.2.68', SADP_PORT);
      sent.socket.deliver(readCapture(CAMERA_2385), '192.0.2.40', SADP_PORT);
    };
    const { context, observations, warnings } = createRecordingContext({ udp: udp.factory, interfaces: [{ name: 'eth0', address: '192.0.2.1', family: 'IPv4' }] });
    await expect(sadpChannel.run(context)).resolves.toBeUndefined();
    expect(warnings.map((w) => [w.address, w.code])).toEqual([
      ['192.0.2.66', 'sadp-malformed'],
      ['192.0.2.67', 'sadp-unsupported'],
      ['192.0.2.68', 'sadp-too-large'],
    ]);
    expect(observations.map((o) => o.address)).toEqual(['192.0.2.40']);
  });

  it('reports a device heard twice (two interfaces, or unicast and group) once', async () => {
    const udp = new FakeUdp();
    udp.onSend = () => {
      for (const socket of udp.sockets) socket.deliver(readCapture(CAMERA_2385), '192.0.2.40', SADP_PORT);
    };
    const { context, observations } = createRecordingContext({
      udp: udp.factory,
      interfaces: [
        { name: 'eth0', address: '192.0.2.1', family: 'IPv4' },
        { name: 'eth1', address: '198.51.100.1', family: 'IPv4' },
      ],
    });
    await sadpChannel.run(context);
    expect(observations).toHaveLength(1);
  });
});

describe('sadpChannel: failures are warnings', () => {
  it('warns when an interface socket cannot open and still probes the others', async () => {
    const udp = new FakeUdp();
    udp.openFailure = (options) => (options.multicastInterface === '192.0.2.1' ? Object.assign(new Error('bind EADDRINUSE'), { code: 'EADDRINUSE' }) : null);
    const { context, warnings } = createRecordingContext({
      udp: udp.factory,
      interfaces: [
        { name: 'eth0', address: '192.0.2.1', family: 'IPv4' },
        { name: 'eth1', address: '198.51.100.1', family: 'IPv4' },
      ],
    });
    await sadpChannel.run(context);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'interface-failed' });
    expect(warnings[0]!.message).toContain('eth0');
    expect(udp.sent).toHaveLength(1);
  });

  it('warns when a send fails', async () => {
    const udp = new FakeUdp();
    udp.sendFailure = () => new Error('EHOSTUNREACH');
    const { context, warnings } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.10'], interfaces: [{ name: 'eth0', address: '192.0.2.1', family: 'IPv4' }] });
    await sadpChannel.run(context);
    expect(warnings.map((w) => w.code)).toEqual(['send-failed', 'send-failed', 'send-failed']);
  });

  it('warns (and sends nothing) when the injected UUID is not a UUID', async () => {
    const udp = new FakeUdp();
    const { context, warnings } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.10'], uuid: 'not-a-uuid' });
    await sadpChannel.run(context);
    expect(udp.sockets).toHaveLength(0);
    expect(warnings.map((w) => w.code)).toEqual(['sadp-bad-uuid']);
  });

  it('resolves promptly on abort and closes its sockets', async () => {
    const udp = new FakeUdp();
    const { context, controller } = createRecordingContext({ udp: udp.factory, targets: ['192.0.2.10'], waitMs: 60_000 });
    const started = Date.now();
    const run = sadpChannel.run(context);
    setTimeout(() => controller.abort(), 20);
    await run;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(udp.sockets.every((s) => s.closed)).toBe(true);
  });
});

describe('resend schedule', () => {
  it('resends to silent targets up to three times, never too late for an answer to arrive in the wait', async () => {
    const { resendTimes } = await import('../../../src/discovery/sweep.js');
    expect(resendTimes(3000)).toEqual([600, 1200, 1800]);
    expect(resendTimes(1500)).toEqual([600]);
    expect(resendTimes(800)).toEqual([400]);
    expect(resendTimes(1800)).toEqual([600, 1200]);
  });
});
