/** A Sweep over a plain list of targets for channel tests: unpaced (no neighbour table), the test's wait. */
import { Sweep } from '../../src/discovery/sweep.js';
import { TargetSet } from '../../src/model/target-set.js';

export function testSweep(targets: string[], waitMs: number, ratePerSecond?: number): Sweep {
  return new Sweep(TargetSet.of(targets), { waitMs, neighbours: null, ...(ratePerSecond ? { ratePerSecond } : {}) });
}
