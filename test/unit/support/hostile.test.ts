/**
 * The hostile responders' UDP side, on the fake network: each kind answers a WS-Discovery, SADP and DHIP probe
 * with what it promises (the scanner-side consequences are in test/integration/hostile.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HOSTILE_UDP_KINDS, startHostileResponders, type HostileKind, type HostileResponders } from '../../support/hostile.js';
import { buildProbe } from '../../../src/protocols/ws-discovery/index.js';
import { buildSadpInquiry, parseSadpMessage, SadpDecodeError } from '../../../src/protocols/sadp/index.js';
import { buildDhipDiscover, DhipDecodeError, parseDhipMessage } from '../../../src/protocols/dhip/index.js';
import { parseDiscoveryMessage, WsDiscoveryDecodeError } from '../../../src/protocols/ws-discovery/index.js';
import { FakeUdp } from '../../support/fake-udp.js';
import { waitFor } from '../../support/wait.js';

const SCANNER = '192.0.2.1';
const COLLECTOR = { address: '192.0.2.250', port: 8080 };
const VICTIM = { mac: '58:50:ed:1f:e3:85', serial: 'DS-2CD2385G1-I20200414AAWRE33842150', endpointUuid: 'urn:uuid:18ec6401-3aa0-11b5-83f6-585ed1fe385a' };
const UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

let running: HostileResponders | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

/** Start one UDP kind on the fake network, send it each probe, and collect what it answered per port. */
async function answersOf(kind: HostileKind): Promise<Record<number, Buffer[]>> {
  const udp = new FakeUdp();
  running = await startHostileResponders({ subnet: '192.0.2', kinds: [kind], collector: COLLECTOR, impersonate: VICTIM, udpFactory: udp.factory });
  const address = running.addresses[0]!;
  const probes: Array<[number, Buffer]> = [
    [3702, Buffer.from(buildProbe(UUID))],
    [37020, Buffer.from(buildSadpInquiry(UUID))],
    [37810, buildDhipDiscover()],
  ];
  for (const [port, probe] of probes) udp.sockets.find((s) => s.localAddress === address && s.localPort === port)!.deliver(probe, SCANNER, 50_000);
  // Every probed port must have answered before the answers are judged: a check that "nothing decodes" over an
  // empty list would pass for the wrong reason.
  const answered = (port: number): boolean => udp.sent.some((s) => s.address === SCANNER && s.socket.localPort === port);
  await waitFor(() => probes.every(([port]) => answered(port)), `${kind} to answer on ${probes.map(([p]) => p).join(', ')}`);
  const out: Record<number, Buffer[]> = { 3702: [], 37020: [], 37810: [] };
  for (const sent of udp.sent) if (sent.address === SCANNER) out[sent.socket.localPort]!.push(sent.data);
  return out;
}

function decodeOrCode<T>(decode: () => T): T | string {
  try {
    return decode();
  } catch (error) {
    if (error instanceof WsDiscoveryDecodeError || error instanceof SadpDecodeError || error instanceof DhipDecodeError) return error.code;
    throw error;
  }
}

describe('hostile responders (UDP kinds)', () => {
  it('every UDP kind answers every probe, from its own address (.200 and up)', async () => {
    for (const kind of HOSTILE_UDP_KINDS) {
      const answers = await answersOf(kind);
      expect(running!.addresses[0], kind).toBe('192.0.2.200');
      for (const port of [3702, 37020, 37810]) expect(answers[port]!.length, `${kind} ${port}`).toBeGreaterThan(0);
      await running!.stop();
      running = null;
    }
  });

  it('garbage: nothing it sends decodes as a device', async () => {
    const answers = await answersOf('garbage');
    for (const data of answers[3702]!) expect(typeof decodeOrCode(() => parseDiscoveryMessage(data))).toBe('string');
    for (const data of answers[37810]!) expect(typeof decodeOrCode(() => parseDhipMessage(data))).toBe('string');
    for (const data of answers[37020]!) {
      const decoded = decodeOrCode(() => parseSadpMessage(data));
      if (typeof decoded !== 'string') expect(decoded.kind === 'probe-match' && (decoded.mac ?? decoded.serial)).toBeFalsy();
    }
  });

  it('xml-bomb: DOCTYPE entity bombs and external entities pointing at the collector, refused by the decoders', async () => {
    const answers = await answersOf('xml-bomb');
    const texts = answers[3702]!.map((d) => d.toString('utf8'));
    expect(texts.some((t) => /<!ENTITY lol9/.test(t))).toBe(true);
    expect(texts.some((t) => t.includes(`SYSTEM "http://${COLLECTOR.address}:${COLLECTOR.port}/xxe"`))).toBe(true);
    for (const data of answers[3702]!) expect(decodeOrCode(() => parseDiscoveryMessage(data))).toBe('xml-doctype');
  });

  it('jumbo: datagrams of about 60 KB', async () => {
    const answers = await answersOf('jumbo');
    for (const port of [3702, 37020, 37810]) expect(Math.max(...answers[port]!.map((d) => d.byteLength)), String(port)).toBeGreaterThanOrEqual(59_000);
    for (const port of [3702, 37020, 37810]) expect(Math.max(...answers[port]!.map((d) => d.byteLength))).toBeLessThanOrEqual(65_507);
  });

  it('flood: 500 answers per probe, half of the WS-Discovery ones repeating a UUID', async () => {
    const answers = await answersOf('flood');
    for (const port of [3702, 37020, 37810]) expect(answers[port]!, String(port)).toHaveLength(500);
    const endpoints = answers[3702]!.map((d) => {
      const message = parseDiscoveryMessage(d);
      return message.kind === 'probe-matches' ? message.matches[0]!.endpoint : null;
    });
    expect(new Set(endpoints).size).toBe(250);
  });

  it('impersonator: another device\'s MAC, serial and endpoint UUID on every channel', async () => {
    const answers = await answersOf('impersonator');
    const ws = parseDiscoveryMessage(answers[3702]![0]!);
    expect(ws.kind === 'probe-matches' && ws.matches[0]!.endpoint).toBe(VICTIM.endpointUuid);
    expect(answers[3702]![0]!.toString('utf8')).toContain(`MAC/${VICTIM.mac}`);
    const sadp = parseSadpMessage(answers[37020]![0]!);
    expect(sadp.kind === 'probe-match' && [sadp.mac, sadp.serial]).toEqual([VICTIM.mac, VICTIM.serial]);
    const dhip = parseDhipMessage(answers[37810]![0]!);
    expect(dhip.kind === 'device-info' && [dhip.mac, dhip.serial]).toEqual([VICTIM.mac, VICTIM.serial]);
  });

  it('points-elsewhere: XAddrs, SADP IPv4Address/HttpPort and DHIP IPv4Address name the collector', async () => {
    const answers = await answersOf('points-elsewhere');
    const ws = parseDiscoveryMessage(answers[3702]![0]!);
    expect(ws.kind === 'probe-matches' && ws.matches[0]!.xaddrs).toEqual([`http://${COLLECTOR.address}:${COLLECTOR.port}/onvif/device_service`]);
    const sadp = parseSadpMessage(answers[37020]![0]!);
    expect(sadp.kind === 'probe-match' && [sadp.ipv4, sadp.httpPort]).toEqual([COLLECTOR.address, COLLECTOR.port]);
    const dhip = parseDhipMessage(answers[37810]![0]!);
    expect(dhip.kind === 'device-info' && [dhip.ipv4, dhip.httpPort]).toEqual([COLLECTOR.address, COLLECTOR.port]);
  });

  it('non-utf8: answers carrying bytes that are not UTF-8', async () => {
    const answers = await answersOf('non-utf8');
    const all = [...answers[3702]!, ...answers[37020]!, ...answers[37810]!];
    const invalid = all.filter((d) => !Buffer.from(d.toString('utf8'), 'utf8').equals(d));
    expect(invalid.length).toBeGreaterThanOrEqual(3);
  });
});
