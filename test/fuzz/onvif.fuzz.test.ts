/** ONVIF device-service answers, read anonymously from any host that answered a probe (or claimed to). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  OnvifDecodeError,
  computeClockOffsetMs,
  parseCapabilities,
  parseDeviceInformation,
  parseGetProfiles,
  parseGetStreamUri,
  parseOnvifAuthFault,
  parsePosixTimeZone,
  parseServices,
  parseSoapFault,
  parseSystemDateAndTime,
  type SoapFault,
} from '../../src/protocols/onvif/index.js';
import { FUZZ_TEST_TIMEOUT_MS, anyText, captureSeeds, checkEveryTruncation, expectSeedsAccepted, fuzz, textFrom, textOrBytes, type Codec } from './fuzz-kit.js';

const seeds = captureSeeds(['onvif-device'], (name) => name.endsWith('.xml'));
const faultSeeds = captureSeeds(['onvif-device', 'ws-discovery'], (name) => /fault/i.test(name));
const ALPHABET = ['<s:Envelope>', '<s:Body>', '<s:Fault>', '<s:Code><s:Value>', '<s:Subcode>', '</s:Subcode>', '<tt:Year>', '9', '<tds:Service>', '<tt:XAddr>', '&lt;', ' '];
const input = textOrBytes(seeds, ALPHABET);

const parsers: Array<[string, (xml: string | Uint8Array) => unknown]> = [
  ['parseSoapFault', parseSoapFault],
  ['parseCapabilities', parseCapabilities],
  ['parseServices', parseServices],
  ['parseDeviceInformation', parseDeviceInformation],
  ['parseGetProfiles', parseGetProfiles],
  ['parseGetStreamUri', parseGetStreamUri],
  ['parseSystemDateAndTime', (xml) => {
    const parsed = parseSystemDateAndTime(xml);
    return { parsed, offset: computeClockOffsetMs(parsed, 1_700_000_000_000, 1_700_000_000_050) };
  }],
];

describe('fuzz: ONVIF response parsers', () => {
  it('the captures decode (or fault) as themselves', () => {
    expectSeedsAccepted(seeds, (seed) => parseSoapFault(seed), seeds.length);
  });

  for (const [name, run] of parsers) {
    const codec: Codec<string | Uint8Array> = { name, run, errors: [OnvifDecodeError] };
    it(`${name} throws only OnvifDecodeError, fast, bounded`, () => {
      fuzz(codec, input);
    }, FUZZ_TEST_TIMEOUT_MS);
  }

  it('every truncation of every capture, through every parser', () => {
    const all: Codec<Uint8Array> = {
      name: 'onvif parsers (truncation)',
      run: (bytes) => parsers.map(([, run]) => {
        try {
          return run(bytes);
        } catch (error) {
          if (error instanceof OnvifDecodeError) return error.code;
          throw error;
        }
      }),
      errors: [],
      maxOutputChars: (n) => 40 * n + 16 * 1024,
    };
    expect(checkEveryTruncation(all, seeds.filter((s) => s.byteLength < 2500).slice(0, 6))).toBeGreaterThan(1000);
  }, FUZZ_TEST_TIMEOUT_MS);
});

describe('fuzz: POSIX TZ and fault text', () => {
  const tzSamples = ['CST-8', 'MST7MDT,M3.2.0,M11.1.0', 'CST+7:00:00DST01:00:00,M3.2.0/02:00:00,M11.1.0/02:00:00', 'BRT3', '<+03>-3', 'EST5EDT,J60/2,300/-167', 'UTC', ':America/Edmonton'];

  it('parsePosixTimeZone never throws', () => {
    fuzz<string>({ name: 'parsePosixTimeZone', run: (tz) => parsePosixTimeZone(tz), errors: [] }, fc.oneof(anyText, textFrom(tzSamples.map((t) => Buffer.from(t)), ['M', '.', ',', '/', ':', '+', '-', '9', 'DST', '<', '>', 'J'])));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('parseOnvifAuthFault never throws on any fault, parsed or made up', () => {
    const parsedFaults = fc.oneof(
      ...faultSeeds.length > 0 ? [textFrom(faultSeeds, ['locked', 'You still have ', '99999 attempt(s)', ' ', 'NotAuthorized'])] : [],
      anyText,
    ).map((xml): SoapFault => {
      try {
        return parseSoapFault(xml) ?? { subcodes: [] };
      } catch {
        return { subcodes: [], reason: xml.slice(0, 1024) };
      }
    });
    const madeUp = fc.record({ code: fc.option(anyText, { nil: undefined }), subcodes: fc.array(anyText, { maxLength: 8 }), reason: fc.option(fc.oneof(anyText, fc.constant(`locked ${'attempt '.repeat(200)}`)), { nil: undefined }), detail: fc.option(anyText, { nil: undefined }) });
    fuzz<SoapFault>({ name: 'parseOnvifAuthFault', run: (fault) => parseOnvifAuthFault(fault), errors: [] }, fc.oneof(parsedFaults, madeUp));
  }, FUZZ_TEST_TIMEOUT_MS);
});
