/**
 * schemas/scan.schema.json can fail: a document or event that breaks docs/SAFETY.md's shape is rejected, while the
 * extensions other parts of the product add (new device fields, lockout.verified, new event types) pass.
 */
import { describe, expect, it } from 'vitest';
import { ScanDocumentBuilder, type Device, type ScanEvent } from '../../../src/index.js';
import { expectValidDocument, expectValidNdjson, schemaErrors } from '../../support/schema.js';

const at = '2026-11-24T10:00:02.950Z';

function device(): Device {
  return {
    id: 'mac:58:50:ed:1f:e3:85',
    addresses: ['192.0.2.40'],
    mac: '58:50:ed:1f:e3:85',
    serial: 'DS-2CD2385G1-I20200414AAWRE33842150',
    vendor: 'Hikvision',
    model: 'DS-2CD2385G1-I',
    firmware: 'V5.6.2 build 190701',
    activated: true,
    discoveredBy: ['ws-discovery', 'sadp'],
    evidence: [{ source: 'sadp', field: 'model', value: 'DS-2CD2385G1-I' }],
    onvif: { xaddrs: ['http://192.0.2.40/onvif/device_service'], scopes: [], clockOffsetMs: -2_820_000 },
    lockout: { policy: 'Hikvision IPC firmware >= 5.3.0: per source IP, 7 failures (admin) / 5 (others), 30 min', maxAttempts: 5, lockSeconds: 1800, scope: 'source-ip', canDisable: true, state: 'unlocked', remainingAttempts: null, unlockInSeconds: null },
    login: { status: 'succeeded', method: 'http-digest', at, reason: null },
    access: { schemes: ['http-digest:SHA-256', 'http-digest:MD5'], httpsCertificateSha256: null },
  };
}

function documentWith(mutate: (d: Record<string, unknown>) => void): unknown {
  const builder = new ScanDocumentBuilder();
  const events: ScanEvent[] = [
    { type: 'phase', at, phase: 'discovery', state: 'started' },
    { type: 'device', at, device: device() },
    { type: 'warning', at, address: '192.0.2.99', message: 'malformed WS-Discovery reply ignored', code: 'xml-malformed' },
    { type: 'done', at, startedAt: at, finishedAt: at, devices: 1, loginsAttempted: 1, loginsSucceeded: 1 },
  ];
  for (const event of events) builder.add(event);
  const document = JSON.parse(JSON.stringify(builder.build())) as { devices: Array<Record<string, unknown>> };
  mutate(document.devices[0]!);
  return document;
}

describe('the --json document against schemas/scan.schema.json', () => {
  it('accepts the document ScanDocumentBuilder builds', () => {
    expect(schemaErrors('document', documentWith(() => {}))).toEqual([]);
  });

  it('rejects a device without an id', () => {
    expect(schemaErrors('document', documentWith((d) => delete d['id']))).toContainEqual(expect.stringContaining("must have required property 'id'"));
  });

  it('rejects an id that is none of mac: serial: uuid: ip:', () => {
    expect(schemaErrors('document', documentWith((d) => (d['id'] = '58:50:ed:1f:e3:85')))).not.toEqual([]);
  });

  it('rejects a login status outside the contract', () => {
    expect(schemaErrors('document', documentWith((d) => (d['login'] = { status: 'ok', method: 'http-digest', at, reason: null })))).toContainEqual(expect.stringContaining('/devices/0/login/status'));
  });

  it('rejects an upper-case MAC, an unknown discovery channel and a missing lockout field', () => {
    expect(schemaErrors('document', documentWith((d) => (d['mac'] = '58:50:ED:1F:E3:85')))).not.toEqual([]);
    expect(schemaErrors('document', documentWith((d) => (d['discoveredBy'] = ['nmap'])))).not.toEqual([]);
    expect(schemaErrors('document', documentWith((d) => delete (d['lockout'] as Record<string, unknown>)['state']))).not.toEqual([]);
  });

  it('rejects a wrong schema name and a non-ISO timestamp', () => {
    const document = documentWith(() => {}) as Record<string, unknown>;
    expect(schemaErrors('document', { ...document, schema: 'oneknock/scan@2' })).not.toEqual([]);
    expect(schemaErrors('document', { ...document, startedAt: 'yesterday' })).not.toEqual([]);
  });

  it('accepts the extensions the product adds to a device (streams, export, kind, lockout.verified)', () => {
    const document = documentWith((d) => {
      d['streams'] = [{ profile: 'main', uri: 'rtsp://192.0.2.40/Streaming/Channels/101', source: 'vendor-path' }];
      d['export'] = { milestoneDriver: { number: 806, name: 'AXIS', rule: 'built-in' } };
      d['kind'] = 'camera';
      (d['lockout'] as Record<string, unknown>)['verified'] = { enabled: true, maxAttempts: 5, lockSeconds: 1800, canDisable: true, source: 'GET /ISAPI/Security/illegalLoginLock' };
    });
    expect(expectValidDocument(document).devices).toHaveLength(1);
  });

  it('rejects a stream URI with credentials in it, an unknown kind and a driver rule outside the list', () => {
    expect(schemaErrors('document', documentWith((d) => (d['streams'] = [{ profile: 'main', uri: 'rtsp://admin:pw@192.0.2.40/', source: 'vendor-path' }])))).not.toEqual([]);
    expect(schemaErrors('document', documentWith((d) => (d['kind'] = 'toaster')))).not.toEqual([]);
    expect(schemaErrors('document', documentWith((d) => (d['export'] = { milestoneDriver: { number: 806, name: 'AXIS', rule: 'guessed' } })))).not.toEqual([]);
  });
});

describe('--ndjson events against schemas/scan.schema.json', () => {
  const valid: ScanEvent[] = [
    { type: 'phase', at, phase: 'login', state: 'started' },
    { type: 'device', at, device: device(), previousId: 'uuid:e32e6863-ea5e-11b4-a1fb-5850ed1fe385', mergedIds: ['ip:192.0.2.40'] },
    { type: 'plan', at, logins: [{ id: 'mac:58:50:ed:1f:e3:85', address: '192.0.2.40', action: 'attempt', method: 'http-digest', url: 'http://192.0.2.40/ISAPI/Security/userCheck', username: 'admin', reason: null }] },
    { type: 'login', at, id: 'mac:58:50:ed:1f:e3:85', status: 'rejected', method: 'http-digest', reason: 'credentials refused', remainingAttempts: 4 },
    { type: 'warning', at, address: null, message: 'no interface' },
    { type: 'done', at, startedAt: at, finishedAt: at, devices: 1, loginsAttempted: 1, loginsSucceeded: 0, loginOutcome: 'confirmed' },
    { type: 'unlock-wait', at, id: 'mac:58:50:ed:1f:e3:85', unlockAt: at, secondsLeft: 12, state: 'waiting', reason: 'it reports itself locked; the lock is per source IP' },
  ];

  it('accepts every event type the scan emits', () => {
    expect(expectValidNdjson(valid.map((e) => JSON.stringify(e)).join('\n'))).toHaveLength(valid.length);
  });

  it('accepts an event type added later, when it has type and at', () => {
    expect(schemaErrors('event', { type: 'stream', at, id: 'mac:58:50:ed:1f:e3:85' })).toEqual([]);
    expect(schemaErrors('event', { type: 'stream', id: 'mac:58:50:ed:1f:e3:85' })).not.toEqual([]);
  });

  it('rejects a known event that breaks its shape', () => {
    expect(schemaErrors('event', { type: 'login', at, id: 'mac:58:50:ed:1f:e3:85', status: 'maybe', method: null, reason: null })).not.toEqual([]);
    expect(schemaErrors('event', { type: 'device', at })).not.toEqual([]);
    expect(schemaErrors('event', { type: 'done', at, startedAt: at, finishedAt: at, devices: [device()], loginsAttempted: 0, loginsSucceeded: 0 })).not.toEqual([]);
    expect(schemaErrors('event', { type: 'phase', at, phase: 'discovery', state: 'paused' })).not.toEqual([]);
  });

  it('rejects a password field on a login event or a planned login (S7)', () => {
    expect(schemaErrors('event', { type: 'login', at, id: 'mac:58:50:ed:1f:e3:85', status: 'succeeded', method: 'http-digest', reason: null, password: 'x' })).not.toEqual([]);
    expect(schemaErrors('event', { ...valid[2], logins: [{ ...(valid[2] as { logins: object[] }).logins[0], Password: 'x' }] })).not.toEqual([]);
  });
});

describe('ledger list --json against schemas/scan.schema.json', () => {
  const attempt = { attempt: 'a1', keys: ['mac:58:50:ed:1f:e3:85', 'ip:192.0.2.40'], address: '192.0.2.40', method: 'http-digest', url: 'http://192.0.2.40/', username: 'admin', at, status: null, reason: null, remainingAttempts: null, outcomeAt: null, forgotten: false };

  it('accepts an attempt with no outcome and rejects an unknown outcome or a missing key list', () => {
    expect(schemaErrors('ledgerList', { ledger: '/tmp/l.jsonl', attempts: [attempt], damagedLines: [] })).toEqual([]);
    expect(schemaErrors('ledgerList', { ledger: '/tmp/l.jsonl', attempts: [{ ...attempt, status: 'ok' }], damagedLines: [] })).not.toEqual([]);
    expect(schemaErrors('ledgerList', { ledger: '/tmp/l.jsonl', attempts: [{ ...attempt, keys: [] }], damagedLines: [] })).not.toEqual([]);
  });
});
