/**
 * The guard's readers: the lockout lookup and firmware parser (fed device-supplied strings), the attempt ledger
 * (a file a crash, a full disk or a careless edit may have damaged) and the credentials CSV (a file a person typed).
 * The ledger must never throw on its own file: a crash there would stop every later run from reading what was
 * attempted, which is the one thing S5 needs.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { lookupLockout } from '../../src/guard/lockout/lookup.js';
import { parseFirmwareVersion } from '../../src/guard/lockout/firmware-version.js';
import { blockingAttempt, parseLedger } from '../../src/guard/ledger.js';
import { parseCredentialsCsv, parseCsv } from '../../src/guard/credentials.js';
import { UsageError } from '../../src/model/errors.js';
import { FUZZ_TEST_TIMEOUT_MS, anyText, fuzz, textFrom } from './fuzz-kit.js';

const firmwares = ['V5.6.2build 190701', 'V5.3.0 build 150513', 'V5.3.8 build 151224', '2.420.0000000.8.R', '9.10.1', 'V4.62.210', 'fs20160805NSZ', 'APP_V3.3.0.20200606'];
const firmwareText = fc.oneof(fc.constantFrom(...firmwares), textFrom(firmwares.map((f) => Buffer.from(f)), ['.', '9', 'build', ' ', 'V', '0', '_']), anyText);

// What Ledger writes (record shapes copied from a real run of the tool), to be mutated line by line.
const LEDGER = [
  '{"type":"intent","keys":["mac:58:50:ed:1f:e3:85","serial:DS-2CD2385G1-I20200414AAWRE33842150"],"attempt":"6c1f4c2e-1a7b-4a52-9b1e-0c2d1b7e9f00","pid":4242,"address":"192.0.2.40","method":"http-digest","url":"http://192.0.2.40/ISAPI/Security/userCheck","username":"admin","at":"2026-11-24T10:00:02.950Z"}',
  '{"type":"outcome","attempt":"6c1f4c2e-1a7b-4a52-9b1e-0c2d1b7e9f00","status":"rejected","reason":"credentials refused","remainingAttempts":4,"at":"2026-11-24T10:00:03.100Z"}',
  '{"type":"forget","keys":["mac:58:50:ed:1f:e3:85"],"at":"2026-11-24T11:00:00.000Z"}',
  '{"type":"intent","keys":["uuid:2419d68a-2dd2-21b2-a205-001241aabb99"],"attempt":"a","pid":1,"address":"127.0.0.1","method":"ws-username-token","url":"http://127.0.0.1/onvif/device_service","username":"admin","at":"x"}',
].join('\n');
const ledgerText = fc.oneof(
  textFrom([Buffer.from(LEDGER)], ['{', '}', '"', ':', ',', '\n', 'null', '"keys":[1,null,{}]', '"type":"forget"', '"type":"intent"', '"attempt":"__proto__"', '[', ']']),
  fc.array(fc.oneof(fc.constantFrom(...LEDGER.split('\n'), 'null', '0', '[]', '"x"', 'true', '{"type":"intent","keys":[1],"attempt":"b"}', '{"type":"forget","keys":[null]}', '{"type":"intent","keys":"mac:x","attempt":"c"}', '{"type":"outcome","attempt":"toString","status":"succeeded"}'), fc.json()), { maxLength: 30 }).map((l) => l.join('\n')),
);

const csvSamples = ['match,username,password\n192.0.2.40,admin,"pa,ss"\n58:50:ed:1f:e3:85,admin,x\nDS-2CD2385G1-I20200414AAWRE33842150,operator,"a""b"\r\n'];
const csvText = fc.oneof(textFrom(csvSamples.map((c) => Buffer.from(c)), ['"', ',', '\n', '\r', '\r\n', '""', '#', ' ', '[::1]']), anyText);

describe('fuzz: guard readers', () => {
  it('parseFirmwareVersion never throws', () => {
    fuzz<string>({ name: 'parseFirmwareVersion', run: (text) => parseFirmwareVersion(text), errors: [] }, firmwareText);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('lookupLockout never throws on any vendor/model/firmware a device claims', () => {
    const text = fc.option(fc.oneof(anyText, fc.constantFrom('Hikvision', 'HIKVISION', 'Dahua', 'Axis', 'DS-2DE4A425IW-DE', 'DS-2CD2032-I', '__proto__')), { nil: null });
    fuzz<{ vendor: string | null; model: string | null; firmware: string | null }>(
      { name: 'lookupLockout', run: (query) => lookupLockout(query), errors: [] },
      fc.record({ vendor: text, model: text, firmware: fc.option(firmwareText, { nil: null }) }),
    );
  }, FUZZ_TEST_TIMEOUT_MS);

  it('parseLedger (and blockingAttempt over what it read) never throws on a damaged ledger', () => {
    fuzz<string>(
      { name: 'parseLedger+blockingAttempt', run: (text) => { const read = parseLedger(text); return { read, blocked: blockingAttempt(read, ['mac:58:50:ed:1f:e3:85', 'ip:127.0.0.1']) }; }, errors: [], maxOutputChars: (n) => 8 * n + 16 * 1024 },
      ledgerText,
    );
  }, FUZZ_TEST_TIMEOUT_MS);

  it('parseCsv never throws; parseCredentialsCsv throws only UsageError', () => {
    fuzz<string>({ name: 'parseCsv', run: (text) => parseCsv(text), errors: [] }, csvText);
    fuzz<string>({ name: 'parseCredentialsCsv', run: (text) => parseCredentialsCsv(text, 'credentials.csv').map((e) => ({ match: e.match, username: e.username, origin: e.origin })), errors: [UsageError] }, csvText);
  }, FUZZ_TEST_TIMEOUT_MS);
});
