/** Hikvision ISAPI bodies read anonymously (activateStatus, the userCheck 401) and after the one login. */
import { describe, expect, it } from 'vitest';
import { HikvisionDecodeError, parseActivateStatus, parseIsapiDeviceInfo, parseResponseStatus, parseUserCheck } from '../../src/protocols/hikvision/index.js';
import { FUZZ_TEST_TIMEOUT_MS, captureSeeds, checkEveryTruncation, fuzz, textOrBytes, type Codec } from './fuzz-kit.js';

const seeds = [...captureSeeds(['hikvision'], (name) => /ISAPI|userCheck/.test(name)), ...captureSeeds(['http-auth'], (name) => name.endsWith('.html'))];
const ALPHABET = ['<userCheck>', '<lockStatus>', 'lock', '<retryLoginTime>', '-99999999999', '<unlockTime>', '<DeviceInfo>', '<macAddress>', '<html>', '</', '>'];

const parsers: Array<[string, (xml: string | Uint8Array) => unknown]> = [
  ['parseUserCheck', parseUserCheck],
  ['parseActivateStatus', parseActivateStatus],
  ['parseIsapiDeviceInfo', parseIsapiDeviceInfo],
  ['parseResponseStatus', parseResponseStatus],
];

describe('fuzz: Hikvision ISAPI', () => {
  it('has ISAPI captures to start from', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(5);
  });

  for (const [name, run] of parsers) {
    it(`${name} throws only HikvisionDecodeError, fast, bounded`, () => {
      fuzz<string | Uint8Array>({ name, run, errors: [HikvisionDecodeError] }, textOrBytes(seeds, ALPHABET));
    }, FUZZ_TEST_TIMEOUT_MS);
  }

  it('every truncation of every capture, through every parser', () => {
    const all: Codec<Uint8Array> = {
      name: 'isapi parsers (truncation)',
      run: (bytes) => parsers.map(([, run]) => {
        try {
          return run(bytes);
        } catch (error) {
          if (error instanceof HikvisionDecodeError) return error.code;
          throw error;
        }
      }),
      errors: [],
    };
    expect(checkEveryTruncation(all, seeds)).toBeGreaterThan(1000);
  }, FUZZ_TEST_TIMEOUT_MS);
});
