/** The fuzz kit's own guards can fail: no seeds, a bound of zero seeds, and an interrupted property are failures. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captureSeeds, checkEveryTruncation, expectSeedsAccepted, fuzz } from './fuzz-kit.js';

const decodeAnything = (seed: Buffer): number => seed.byteLength;

describe('fuzz-kit guards', () => {
  it('expectSeedsAccepted fails on an empty seed list, even with atLeast = seeds.length (0)', () => {
    const seeds: Buffer[] = [];
    expect(() => expectSeedsAccepted(seeds, decodeAnything, seeds.length)).toThrow(/no seeds/);
  });

  it('expectSeedsAccepted fails when it is asked for zero accepted seeds', () => {
    expect(() => expectSeedsAccepted([Buffer.from('x')], () => {
      throw new Error('rejects everything');
    }, 0)).toThrow(/at least one seed/);
  });

  it('expectSeedsAccepted passes when the seeds decode', () => {
    expect(() => expectSeedsAccepted([Buffer.from('a'), Buffer.from('b')], decodeAnything, 2)).not.toThrow();
  });

  it('captureSeeds and checkEveryTruncation refuse to fuzz nothing', () => {
    expect(() => captureSeeds(['hikvision'], () => false)).toThrow(/no seeds/);
    expect(() => checkEveryTruncation({ name: 'x', run: decodeAnything, errors: [] }, [])).toThrow(/no seeds/);
  });

  it('a property interrupted by its time limit fails instead of passing', () => {
    const slow = {
      name: 'slow',
      errors: [],
      run: (n: number): number => {
        const until = performance.now() + 5;
        while (performance.now() < until) {
          // busy: 1000 inputs × 5 ms cannot fit in the 50 ms limit
        }
        return n;
      },
    };
    expect(() => fuzz(slow, fc.nat(), 1000, 50)).toThrow(/interrupted by the 50 ms time limit after \d+ of 1000 runs/);
  });
});
