/** unavailable(): a loud skip locally, a failure under ONEKNOCK_REQUIRE_ALL=1 (what .ci/run sets). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { unavailable } from '../../support/skip.js';

describe('unavailable()', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('is false (run the test) when nothing is missing', () => {
    vi.stubEnv('ONEKNOCK_REQUIRE_ALL', '1');
    expect(unavailable('the x test', null)).toBe(false);
  });

  it('warns loudly and is true (skip) when something is missing, outside CI', () => {
    vi.stubEnv('ONEKNOCK_REQUIRE_ALL', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(unavailable('the x test', 'no tmux')).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('the x test is SKIPPED: no tmux'));
  });

  it('throws under ONEKNOCK_REQUIRE_ALL=1, so a CI skip is a failure', () => {
    vi.stubEnv('ONEKNOCK_REQUIRE_ALL', '1');
    expect(() => unavailable('the x test', 'no tmux')).toThrow(/ONEKNOCK_REQUIRE_ALL=1 but the x test is SKIPPED: no tmux/);
  });
});
