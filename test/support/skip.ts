/**
 * One way for a test to say it cannot run here (no root, no tmux, no wine…): `unavailable(what, reason)` warns loudly
 * and returns true so the test can `describe.skipIf(...)`. With ONEKNOCK_REQUIRE_ALL=1 (set by .ci/run) it throws
 * instead, so a CI run that silently skipped a safety test fails rather than passing.
 */
export function unavailable(what: string, reason: string | null): boolean {
  if (reason === null) return false;
  const message = `${what} is SKIPPED: ${reason}`;
  if (process.env['ONEKNOCK_REQUIRE_ALL'] === '1') throw new Error(`ONEKNOCK_REQUIRE_ALL=1 but ${message}`);
  console.warn(`\n!!! ${message} !!!\n`);
  return true;
}
