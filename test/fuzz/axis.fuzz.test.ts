/** Axis VAPIX anonymous reads: basicdeviceinfo JSON and param.cgi text. */
import { describe, expect, it } from 'vitest';
import { AxisDecodeError, parseBasicDeviceInfo, parseParamCgi } from '../../src/protocols/axis/index.js';
import { FUZZ_TEST_TIMEOUT_MS, captureSeeds, checkEveryTruncation, expectSeedsAccepted, fuzz, textOrBytes, type Codec } from './fuzz-kit.js';

const jsonSeeds = captureSeeds(['axis'], (name) => name.includes('basicdeviceinfo'));
const paramSeeds = captureSeeds(['axis'], (name) => name.includes('param-cgi'));
const basic: Codec<string | Uint8Array> = { name: 'parseBasicDeviceInfo', run: (input) => parseBasicDeviceInfo(input), errors: [AxisDecodeError] };
const params: Codec<string | Uint8Array> = { name: 'parseParamCgi', run: (input) => parseParamCgi(input), errors: [AxisDecodeError] };

describe('fuzz: Axis', () => {
  it('decodes the captures', () => {
    expectSeedsAccepted(jsonSeeds, (seed) => parseBasicDeviceInfo(seed), jsonSeeds.length);
    expectSeedsAccepted(paramSeeds, (seed) => parseParamCgi(seed), paramSeeds.length);
  });

  it('parseBasicDeviceInfo throws only AxisDecodeError, fast, bounded', () => {
    fuzz(basic, textOrBytes(jsonSeeds, ['{', '}', '[', '"', ':', ',', '"__proto__":', '"propertyList":{', '1e999', 'null']));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('parseParamCgi throws only AxisDecodeError, fast, bounded', () => {
    fuzz(params, textOrBytes(paramSeeds, ['root.Brand.', '=', '\n', '\r\n', '#', '__proto__=x\n', ' ']));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('both survive every truncation', () => {
    expect(checkEveryTruncation(basic, jsonSeeds) + checkEveryTruncation(params, paramSeeds)).toBeGreaterThan(1000);
  }, FUZZ_TEST_TIMEOUT_MS);
});
