/**
 * The fingerprint matchers read strings that arrive from any host: realms, Server headers, model names, firmware
 * strings, vendor names, and whole evidence lists. Seeds are the real values in the captures (recog's header
 * examples, realms from the 401 captures, the identities in ONVIF and ISAPI answers).
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { findKnownVendor, matchModel, matchRealm, matchServerHeader, normaliseFirmware, normaliseVendor, resolveIdentity } from '../../src/fingerprint/matchers/index.js';
import type { Evidence, EvidenceSource } from '../../src/model/device.js';
import { parseWwwAuthenticate } from '../../src/protocols/http-auth/index.js';
import { readCaptureText } from '../support/captures.js';
import { FUZZ_TEST_TIMEOUT_MS, anyText, checkCodec, fuzz, textFrom } from './fuzz-kit.js';

const lines = (path: string): string[] => readCaptureText(path).split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
const servers = [...lines('http-auth/recog-camera-HTTP-Server-header-values.txt'), ...lines('rtsp/recog-camera-RTSP-Server-header-values.txt')];
const realms = parseWwwAuthenticate(lines('http-auth/recog-camera-WWW-Authenticate-header-values.txt')).map((c) => c.realm ?? '').filter((r) => r !== '');
realms.push('Login to 4K01FD2PAJ6E3FF', 'AXIS_WS_ACCC8E494578', 'IP Camera(C2183)', 'DS-2CD2310FD-I', '3f1b2c4d5e6f708192a3b4c5', 'Login to 0123456789abcdef0123456789abcdef');
const models = ['DS-2CD2385G1-I', 'iDS-2DE4A425IW-DE', 'IPC-HFW2228M-I1', 'AXIS M1034-W', 'M1034-W', 'D6230L', 'TV-IP320PI', 'XNO-6080R', '2.0-H3M-DO1', 'CM-6224-01-I', 'DS-7608NXI-I2', 'IPCAM-631GA'];
const firmwares = ['V5.6.2build 190701', 'V5.6.2 build 190701', 'V5.0, build 191213', '2.420.0000000.8.R', '9.10.1', '5.55.1.2', 'V4.62.210', '6.30.0076', 'APP_V3.3.0.20200606'];
const vendors = ['HIKVISION', 'Hangzhou Hikvision Digital Technology Co., Ltd.', 'Dahua', 'ZheJiang Dahua Technology CO.,LTD.', 'AXIS', 'Axis Communications AB', 'Pelco', 'ONVIF_ICAMERA', 'Samsung Techwin'];

const from = (values: string[], alphabet: string[]): fc.Arbitrary<string> => fc.oneof(fc.constantFrom(...values), textFrom(values.map((v) => Buffer.from(v)), alphabet), anyText);
const serverText = from(servers, ['/', ',', ' UPnP/1.0, ', '-axis', 'Webs', ' ']);
const realmText = from(realms, ['Login to ', 'AXIS_', 'WS_', '(', ')', 'A', '0', 'f']);
const modelText = from(models, ['DS-2', '-', 'I', 'IPC-H', '0', ' ']);
const firmwareText = from(firmwares, ['.', '9', 'build', ' ', ',', 'V', '_']);
const vendorText = from(vendors, [' ', ',', '.', 'Co', 'hik', 'zhejiang ']);

const SOURCES: EvidenceSource[] = ['ws-discovery', 'sadp', 'dhip', 'mdns', 'ssdp', 'probe', 'onvif', 'http', 'rtsp', 'isapi', 'axis', 'login', 'knowledge-base'];
const evidenceItem: fc.Arbitrary<Evidence> = fc.oneof(
  fc.record({ source: fc.constantFrom(...SOURCES), field: fc.constant('vendor'), value: vendorText, verified: fc.boolean() }),
  fc.record({ source: fc.constantFrom(...SOURCES), field: fc.constant('model'), value: modelText, verified: fc.boolean() }),
  fc.record({ source: fc.constantFrom(...SOURCES), field: fc.constant('firmware'), value: firmwareText, verified: fc.boolean() }),
  fc.record({ source: fc.constantFrom(...SOURCES), field: fc.constantFrom('serial', 'mac', 'activated', 'name'), value: fc.oneof(anyText, fc.constantFrom('ACCC8E494578', '58-50-ed-1f-e3-85', 'true', 'flase')), verified: fc.boolean() }),
  fc.record({ source: fc.constantFrom(...SOURCES), field: fc.constant('realm'), value: realmText }),
  fc.record({ source: fc.constantFrom(...SOURCES), field: fc.constant('server'), value: serverText }),
  fc.record({ source: fc.constantFrom(...SOURCES), field: fc.oneof(anyText, fc.constantFrom('__proto__', 'constructor', 'capability:deviceXAddr')), value: anyText }),
);

describe('fuzz: fingerprint matchers', () => {
  it('resolveIdentity never throws on any evidence list', () => {
    // Output repeats evidence values (conflicts, hints), so the bound is relative to the whole list.
    fuzz<Evidence[]>({ name: 'resolveIdentity', run: (evidence) => resolveIdentity(evidence), errors: [], maxOutputChars: (n) => 12 * n + 16 * 1024 }, fc.array(evidenceItem, { maxLength: 60 }));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('matchRealm never throws', () => {
    fuzz<string>({ name: 'matchRealm', run: (realm) => matchRealm(realm), errors: [] }, realmText);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('matchServerHeader never throws', () => {
    fuzz<string>({ name: 'matchServerHeader', run: (server) => matchServerHeader(server), errors: [] }, serverText);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('matchModel never throws', () => {
    fuzz<string>({ name: 'matchModel', run: (model) => matchModel(model), errors: [] }, modelText);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('normaliseVendor and findKnownVendor never throw', () => {
    fuzz<string>({ name: 'normaliseVendor+findKnownVendor', run: (vendor) => [normaliseVendor(vendor), findKnownVendor(vendor)], errors: [] }, vendorText);
  }, FUZZ_TEST_TIMEOUT_MS);

  // Every caller (resolveIdentity, lookupLockout) cuts values at MAX_HINT_TEXT = 256 characters before calling.
  it('normaliseFirmware never throws, fast, on what its callers pass (at most 256 characters)', () => {
    fuzz<string>({ name: 'normaliseFirmware', run: (firmware) => normaliseFirmware(firmware), errors: [] }, firmwareText.map((f) => f.slice(0, 256)));
  }, FUZZ_TEST_TIMEOUT_MS);

  // Found by this fuzzer: the build pattern backtracked cubically over whitespace runs (2 000 spaces ≈ 1 s).
  // normaliseFirmware now refuses input over 4 × MAX_HINT_TEXT first and collapses whitespace before matching.
  it('normaliseFirmware stays fast on long whitespace runs', () => {
    checkCodec<string>({ name: 'normaliseFirmware (long input)', run: (firmware) => normaliseFirmware(firmware), errors: [] }, `V5${' '.repeat(3000)}x`);
  }, FUZZ_TEST_TIMEOUT_MS);
});
