/**
 * SADP, DHIP and SSDP channels against the simulator's responders, on loopback only: unicast to each address, no
 * interface (so no multicast, no broadcast, no mDNS on this machine's networks). Each integration test file owns a
 * loopback /24; this one is 127.78.9.0/24.
 */
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openUdpSocket } from '../../src/transport/udp.js';
import type { Observation } from '../../src/scan/registry.js';
import type { DiscoveryChannelRunner, DiscoveryContext } from '../../src/discovery/types.js';
import { testSweep } from '../support/sweep.js';
import { sadpChannel } from '../../src/discovery/sadp.js';
import { dhipChannel } from '../../src/discovery/dhip.js';
import { createSsdpChannel } from '../../src/discovery/ssdp.js';
import { createMdnsChannel } from '../../src/discovery/mdns.js';
import {
  SSDP_DESCRIPTION_PATH,
  ssdpDescriptionXml,
  startDhipResponder,
  startDiscoveryResponders,
  startSadpResponder,
  startSsdpResponder,
  type ProbeNotice,
  type Responder,
  type ResponderDeviceInfo,
} from '../../src/simulator/responders/index.js';
import { testSubnet } from '../support/subnet.js';

const SUBNET = testSubnet(9);
const WAIT_MS = 300;

const hikvision: ResponderDeviceInfo = {
  address: `${SUBNET}.10`,
  httpPort: 80,
  vendor: 'Hikvision',
  model: 'DS-2CD2032-I',
  firmware: 'V5.3.0build 150513',
  serial: 'DS-2CD2032-I20150101CCWR123456789',
  mac: 'c0:56:e3:aa:bb:10',
  activated: true,
};
const natted: ResponderDeviceInfo = { ...hikvision, address: `${SUBNET}.13`, mac: 'c0:56:e3:aa:bb:13', serial: 'DS-2CD2032-I20150101CCWR123456713', activated: false };
const dahua: ResponderDeviceInfo = {
  address: `${SUBNET}.11`,
  httpPort: 80,
  vendor: 'Dahua',
  model: 'IPC-HFW2228M-I1-V2',
  firmware: '2.800.0000000.7.R',
  serial: '6G0A1B2PAZ12345',
  mac: 'e0:50:8b:55:66:11',
  activated: false,
};
const axis: ResponderDeviceInfo = {
  address: `${SUBNET}.12`,
  httpPort: 0,
  vendor: 'AXIS',
  model: 'M1034-W',
  firmware: '9.80.3.8',
  serial: 'ACCC8E123412',
  mac: 'ac:cc:8e:12:34:12',
  activated: true,
};
const spoofer: ResponderDeviceInfo = { ...axis, address: `${SUBNET}.14`, serial: 'ACCC8E123414', mac: 'ac:cc:8e:12:34:14' };
const everything: ResponderDeviceInfo = { ...hikvision, address: `${SUBNET}.15`, mac: 'c0:56:e3:aa:bb:15', serial: 'DS-2CD2032-I20150101CCWR123456715' };
const silent = `${SUBNET}.16`;
const TARGETS = [hikvision, dahua, axis, natted, spoofer, everything].map((d) => d.address).concat(silent);

interface Run {
  observations: Observation[];
  warnings: Array<{ address: string | null; message: string; code?: string }>;
  elapsedMs: number;
}

async function runChannel(channel: DiscoveryChannelRunner, overrides: Partial<DiscoveryContext> = {}): Promise<Run> {
  const observations: Observation[] = [];
  const warnings: Run['warnings'] = [];
  const sweep = testSweep(TARGETS, overrides.waitMs ?? WAIT_MS);
  const context: DiscoveryContext = {
    udp: openUdpSocket,
    sweep,
    interfaces: [],
    waitMs: WAIT_MS,
    signal: AbortSignal.timeout(10_000),
    found: (o) => {
      sweep.heard(o.address);
      observations.push(o);
    },
    warn: (address, message, code) => warnings.push({ address, message, ...(code ? { code } : {}) }),
    newUuid: randomUUID,
    ...overrides,
  };
  const started = Date.now();
  await channel.run(context);
  return { observations, warnings, elapsedMs: Date.now() - started };
}

function fieldOf(observation: Observation | undefined, field: string): string[] {
  return (observation?.evidence ?? []).filter((e) => e.field === field).map((e) => e.value);
}

describe('discovery channels against the simulator responders (loopback, unicast only)', () => {
  const responders: Responder[] = [];
  const probes: Array<ProbeNotice & { device: string }> = [];
  const descriptionRequests: Array<{ url: string; authorization: string | undefined }> = [];
  let http: Server;

  const onProbe = (device: string) => (notice: ProbeNotice) => probes.push({ ...notice, device });

  beforeAll(async () => {
    http = createServer((req, res) => {
      descriptionRequests.push({ url: req.url ?? '', authorization: req.headers.authorization });
      if (req.url === SSDP_DESCRIPTION_PATH) res.writeHead(200, { 'Content-Type': 'text/xml' }).end(ssdpDescriptionXml(axis));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(0, axis.address, () => resolve());
    });
    const bound = http.address();
    if (bound && typeof bound === 'object') axis.httpPort = bound.port;
    spoofer.httpPort = axis.httpPort;

    const udpFactory = openUdpSocket;
    responders.push(await startSadpResponder({ device: hikvision, udpFactory, onProbe: onProbe('hikvision') }));
    responders.push(await startSadpResponder({ device: natted, udpFactory, reportedAddress: '192.168.1.64', onProbe: onProbe('natted') }));
    responders.push(await startDhipResponder({ device: dahua, udpFactory, onProbe: onProbe('dahua') }));
    responders.push(await startSsdpResponder({ device: axis, udpFactory, onProbe: onProbe('axis') }));
    // Answers SSDP with a LOCATION on another host (the .12 device): it must not be fetched (docs/SAFETY.md S3).
    responders.push(await startSsdpResponder({ device: spoofer, udpFactory, locationUrl: `http://${axis.address}:${axis.httpPort}${SSDP_DESCRIPTION_PATH}`, onProbe: onProbe('spoofer') }));
    responders.push(await startDiscoveryResponders({ device: everything, udpFactory, channels: ['ws-discovery', 'sadp', 'dhip'], onProbe: onProbe('everything') }));
  });

  afterAll(async () => {
    await Promise.all(responders.map((r) => r.close()));
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });

  it('SADP: finds the Hikvision responders by unicast, by their own address, within the wait', async () => {
    const { observations, warnings, elapsedMs } = await runChannel(sadpChannel);
    expect(elapsedMs).toBeLessThan(WAIT_MS + 2000);
    expect(warnings).toEqual([]);
    expect(observations.map((o) => o.address).sort()).toEqual([hikvision.address, natted.address, everything.address].sort());
    const found = observations.find((o) => o.address === hikvision.address);
    expect(found).toMatchObject({ channel: 'sadp', mac: hikvision.mac, serial: hikvision.serial, ports: { http: 80 } });
    expect(fieldOf(found, 'vendor')).toEqual(['Hikvision']);
    expect(fieldOf(found, 'model')).toEqual([hikvision.model]);
    expect(fieldOf(found, 'firmware')).toEqual([hikvision.firmware]);
    expect(fieldOf(found, 'activated')).toEqual(['true']);
    expect(fieldOf(found, 'reported-address')).toEqual([]);
    const nat = observations.find((o) => o.address === natted.address);
    expect(fieldOf(nat, 'reported-address')).toEqual(['192.168.1.64']);
    expect(fieldOf(nat, 'activated')).toEqual(['false']);
  });

  it('DHIP: finds the Dahua responders by unicast, uninitialised as configured', async () => {
    const { observations, warnings } = await runChannel(dhipChannel);
    expect(warnings).toEqual([]);
    expect(observations.map((o) => o.address).sort()).toEqual([dahua.address, everything.address].sort());
    const found = observations.find((o) => o.address === dahua.address);
    expect(found).toMatchObject({ channel: 'dhip', mac: dahua.mac, serial: dahua.serial });
    expect(fieldOf(found, 'model')).toEqual([dahua.model]);
    expect(fieldOf(found, 'vendor')).toEqual(['Dahua']);
    expect(fieldOf(found, 'activated')).toEqual(['false']);
  });

  it('SSDP: fetches the description only from the responder it names, anonymously, and reports the spoof', async () => {
    descriptionRequests.length = 0;
    const { observations, warnings } = await runChannel(createSsdpChannel());
    expect(observations.map((o) => o.address).sort()).toEqual([axis.address, spoofer.address].sort());
    const found = observations.find((o) => o.address === axis.address);
    expect(found).toMatchObject({ channel: 'ssdp', mac: axis.mac, serial: axis.serial });
    expect(fieldOf(found, 'vendor')).toEqual(['AXIS']);
    expect(fieldOf(found, 'model')).toEqual(['AXIS M1034-W']);
    // Four answers to ssdp:all name one LOCATION: fetched once, without credentials.
    expect(descriptionRequests).toEqual([{ url: SSDP_DESCRIPTION_PATH, authorization: undefined }]);
    expect(warnings).toEqual([expect.objectContaining({ address: spoofer.address, code: 'ssdp-location-elsewhere' })]);
    const spoofed = observations.find((o) => o.address === spoofer.address);
    expect(spoofed).toMatchObject({ mac: null, serial: null });
  });

  it('mDNS: does nothing without an interface (never on this machine\'s networks)', async () => {
    let opened = 0;
    const channel = createMdnsChannel({
      openSession: () => {
        opened += 1;
        throw new Error('must not open');
      },
    });
    const { observations, warnings, elapsedMs } = await runChannel(channel);
    expect(opened).toBe(0);
    expect(observations).toEqual([]);
    expect(warnings).toEqual([]);
    expect(elapsedMs).toBeLessThan(WAIT_MS);
  });

  it('S1: every probe the responders heard was anonymous', () => {
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.filter((p) => p.credentialed)).toEqual([]);
    expect(probes.every((p) => !p.multicast)).toBe(true);
    for (const device of ['hikvision', 'natted', 'dahua', 'axis', 'spoofer', 'everything']) {
      expect(probes.some((p) => p.device === device), device).toBe(true);
    }
  });

  it('stops promptly when the scan is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const { elapsedMs } = await runChannel(sadpChannel, { waitMs: 30_000, signal: controller.signal });
    expect(elapsedMs).toBeLessThan(1000);
  });
});
