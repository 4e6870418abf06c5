import { describe, expect, it } from 'vitest';
import { loopbackUdpSharingProblem } from '../../src/transport/loopback-udp.js';
import { openUdpSocket, type UdpSocketFactory } from '../../src/transport/udp.js';
import { startFleet } from '../../src/simulator/fleet.js';
import { OneknockError } from '../../src/model/errors.js';
import { testSubnet } from '../support/subnet.js';

const SUBNET = testSubnet(61);

/** Binds the way Wine 8 does for a UDP socket on a local address other than 127.0.0.1: on the wildcard. */
const wineLike: UdpSocketFactory = (options) =>
  openUdpSocket({ ...options, bindAddress: options.bindAddress?.startsWith('127.') && options.bindAddress !== '127.0.0.1' ? '0.0.0.0' : options.bindAddress });

describe('one UDP port on many loopback addresses', () => {
  it('works on this Linux stack: each address holds the port on its own socket', async () => {
    expect(await loopbackUdpSharingProblem(`${SUBNET}.10`, `${SUBNET}.11`)).toBeNull();
  });

  it('a Wine-like stack is detected, and the fleet refuses up front with the reason and what to do instead', async () => {
    expect(await loopbackUdpSharingProblem(`${SUBNET}.10`, `${SUBNET}.11`, wineLike)).toMatch(/cannot bind UDP port \d+ on both .* \(EADDRINUSE\)/);
    const error = await startFleet({ subnet: SUBNET, httpPort: 0, udpFactory: wineLike, profiles: ['axis-m1034-w', 'pelco-d6230l'] }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OneknockError);
    expect((error as OneknockError).code).toBe('E_LOOPBACK_UDP');
    expect((error as Error).message).toContain(`oneknock scan --no-multicast --target ${SUBNET}.10-11`);
  });
});
