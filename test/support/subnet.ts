/**
 * This run's loopback addresses: `testSubnet(5)` is `127.<run octet>.5`, a /24 owned by one test file. The octet is
 * reserved per run by test/support/global-setup.ts, so two suites on one machine never share an address.
 */
import { inject } from 'vitest';
import './global-setup.js';

export function testSubnet(block: number): string {
  return `127.${inject('loopbackOctet')}.${block}`;
}
