/**
 * Security review (issue 8), in process on loopback: S3 — the HTTP transport follows no redirect of any kind, so a
 * credentialed request answered with 301/302/303/307/308 goes nowhere else; S5 — the ledger is consulted when the
 * login plan is made, and a second run that planned before another run knocked must not knock again.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanWithLogin } from '../support/scan.js';
import { createHttpTransport } from '../../src/transport/http.js';
import { startFleet, type Fleet } from '../../src/simulator/fleet.js';
import type { ScanDocument } from '../../src/output/json.js';
import { startCollector, type Collector } from '../support/collector.js';
import { testSubnet } from '../support/subnet.js';

const SUBNET = testSubnet(32);
const COLLECTOR = { address: `${SUBNET}.250`, port: 18_081 };
const REDIRECTOR = `${SUBNET}.200`;

describe('S3: no redirect is followed, with or without credentials', () => {
  let collector: Collector;
  let redirector: Server;
  let port = 0;
  const hits: Array<{ status: number; authorization: string | undefined }> = [];

  beforeAll(async () => {
    collector = await startCollector(COLLECTOR.address, COLLECTOR.port);
    redirector = createServer((req, res) => {
      const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status') ?? 302);
      hits.push({ status, authorization: req.headers['authorization'] });
      req.resume();
      req.on('end', () => res.writeHead(status, { Location: `http://${COLLECTOR.address}:${COLLECTOR.port}/onvif/device_service`, 'Content-Length': '0' }).end());
    });
    await new Promise<void>((resolve) => redirector.listen(0, REDIRECTOR, () => resolve()));
    const bound = redirector.address();
    port = bound && typeof bound === 'object' ? bound.port : 0;
  });

  afterAll(async () => {
    redirector?.closeAllConnections();
    await new Promise<void>((resolve) => (redirector ? redirector.close(() => resolve()) : resolve()));
    await collector?.close();
  });

  it('hands every 3xx back to the caller and never contacts the Location', async () => {
    const http = createHttpTransport();
    try {
      for (const status of [301, 302, 303, 307, 308]) {
        for (const method of ['GET', 'POST'] as const) {
          const response = await http.request({
            url: `http://${REDIRECTOR}:${port}/onvif/device_service?status=${status}`,
            method,
            headers: { Authorization: 'Digest username="admin", realm="r", nonce="n", uri="/", response="0"' },
            ...(method === 'POST' ? { body: '<s:Envelope/>' } : {}),
            timeoutMs: 2000,
            maxBodyBytes: 64 * 1024,
          });
          expect(response.statusCode, `${method} ${status}`).toBe(status);
          expect(response.headers['location']?.[0]).toContain(COLLECTOR.address);
        }
      }
    } finally {
      await http.close();
    }
    expect(hits).toHaveLength(10);
    expect(hits.every((h) => h.authorization !== undefined)).toBe(true);
    expect(collector.requests).toEqual([]);
  });
});

describe('S5: a plan made before another run knocked', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({ subnet: SUBNET, firstHost: 10, httpPort: 0, profiles: ['hikvision-ds-2cd2385g1-v5.6-other-password'] });
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  const scanOnce = async (ledgerPath: string, confirm: () => Promise<boolean>): Promise<ScanDocument> =>
    (await scanWithLogin({ targets: fleet.addresses, ledgerPath, waitMs: 400, timeoutMs: 2000, concurrency: 8, confirm })).document;

  // Found here: the login phase planned from a ledger read taken BEFORE the confirmation and the lock, so a run
  // whose user sat on the confirmation knocked again on a device another run had just been refused by. The phase
  // now re-reads the ledger under the lock and drops every device with a newer or blocking attempt.
  describe('run B plans, waits at its confirmation while run A knocks and is refused, then confirms', () => {
    let firstStatus = '';
    let knocksAfterFirst = -1;
    let late: ScanDocument;

    beforeAll(async () => {
      const device = fleet.devices[0]!;
      const ledgerPath = join(mkdtempSync(join(tmpdir(), 'toctou-')), 'ledger.jsonl');
      let release: () => void = () => undefined;
      const firstDone = new Promise<void>((resolve) => (release = resolve));
      let planned: () => void = () => undefined;
      const secondPlanned = new Promise<void>((resolve) => (planned = resolve));
      const second = scanOnce(ledgerPath, async () => {
        planned();
        await firstDone;
        return true;
      });
      await secondPlanned;
      const first = await scanOnce(ledgerPath, async () => true);
      firstStatus = first.devices[0]!.login.status;
      knocksAfterFirst = device.counters.credentialedRequests;
      release();
      late = await second;
    }, 30_000);

    it('run A knocked once and was refused (the scenario holds)', () => {
      expect(firstStatus).toBe('rejected');
      expect(knocksAfterFirst).toBe(1);
    });

    it('run B does not knock again on the device run A was refused by (ledger re-read under the lock)', () => {
      const device = fleet.devices[0]!;
      expect(device.counters.credentialedRequests).toBe(1);
      expect(device.counters.failedLogins).toBe(1);
      expect(late.devices[0]!.login.status).toBe('skipped');
    });
  });
});
