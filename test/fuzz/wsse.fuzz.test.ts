/** The UsernameToken reader (the simulator's side of a login): any request body a client might send. */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { buildUsernameToken, parseUsernameToken, verifyUsernameToken } from '../../src/protocols/wsse/index.js';
import { buildSoapRequest, getDeviceInformationBody } from '../../src/protocols/onvif/index.js';
import { XmlDecodeError } from '../../src/protocols/xml/parse-xml.js';
import { FUZZ_TEST_TIMEOUT_MS, captureSeeds, fuzz, textOrBytes } from './fuzz-kit.js';

// Real envelopes (the ONVIF captures) and requests carrying a token built with fixed inputs, to be mutated.
const token = buildUsernameToken({ username: 'admin', password: 'pw', nonce: Buffer.alloc(16, 7), created: new Date(Date.UTC(2026, 10, 24, 10, 0, 2, 950)) });
const seeds = [Buffer.from(buildSoapRequest(getDeviceInformationBody(), { header: token.headerXml })), ...captureSeeds(['onvif-device'], (name) => name.endsWith('.xml')).slice(0, 6)];
const ALPHABET = ['<wsse:Security>', '<wsse:UsernameToken>', '<wsse:Nonce>', '<wsu:Created>', '2026-11-24T10:00:02.950Z', '==', 'Type="x"', ' '];

describe('fuzz: UsernameToken', () => {
  it('parseUsernameToken throws only XmlDecodeError, fast, bounded', () => {
    fuzz<string>({ name: 'parseUsernameToken', run: (xml) => parseUsernameToken(xml), errors: [XmlDecodeError] }, textOrBytes(seeds, ALPHABET).map((v) => (typeof v === 'string' ? v : Buffer.from(v).toString('utf8'))));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('verifyUsernameToken never throws on any request body', () => {
    fuzz<string>({ name: 'verifyUsernameToken', run: (xml) => verifyUsernameToken(xml, 'pw', Date.UTC(2026, 10, 24, 10, 0, 3), 5000), errors: [] }, fc.oneof(textOrBytes(seeds, ALPHABET).map((v) => (typeof v === 'string' ? v : Buffer.from(v).toString('utf8')))));
  }, FUZZ_TEST_TIMEOUT_MS);
});
