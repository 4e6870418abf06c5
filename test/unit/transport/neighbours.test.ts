import { describe, expect, it } from 'vitest';
import { DEFAULT_NEIGHBOUR_LIMITS, createNeighbourView, onLinkNetworks, readNeighbourLimits, readTableFulls } from '../../../src/transport/neighbours.js';
import { intToIpv4 } from '../../../src/model/target-set.js';
import { describeSweep, formatDuration } from '../../../src/scan/sweep-plan.js';
import { neighbourPacing } from '../../../src/scan/run-scan.js';

// As Linux 6.x prints them (column names abbreviated by the kernel; values hex).
const ARP_CACHE = `entries  allocs   destroys hash_grows lookups  hits     res_failed rcv_probes_mcast rcv_probes_ucast periodic_gc_runs forced_gc_runs unresolved_discards table_fulls
0000002a  00000010 00000005 00000000  00000100 00000080 00000000  00000000  00000000  0000000c 00000000 00000000 00000000
0000002a  00000003 00000001 00000000  00000010 00000008 00000000  00000000  00000000  00000000 00000000 00000000 00000000
`;
const ARP = `IP address       HW type     Flags       HW address            Mask     Device
198.18.0.10      0x1         0x2         aa:bb:cc:dd:ee:01     *        veth0
198.18.0.11      0x1         0x0         00:00:00:00:00:00     *        veth0
`;

const files = (extra: Record<string, string> = {}): ((path: string) => string) => {
  const table: Record<string, string> = {
    '/proc/sys/net/ipv4/neigh/default/gc_thresh3': '1024\n',
    '/proc/sys/net/ipv4/neigh/default/mcast_solicit': '3\n',
    '/proc/sys/net/ipv4/neigh/default/retrans_time_ms': '1000\n',
    '/proc/net/stat/arp_cache': ARP_CACHE,
    '/proc/net/arp': ARP,
    ...extra,
  };
  return (path) => {
    const text = table[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
};

describe('the kernel neighbour table', () => {
  it('reads the table limit, the resolve time and the live entry count from /proc', () => {
    expect(readNeighbourLimits(files())).toEqual({ tableMax: 1024, entries: 42, resolveMs: 3000, source: 'linux /proc' });
    expect(readNeighbourLimits(files({ '/proc/sys/net/ipv4/neigh/default/gc_thresh3': '4096', '/proc/sys/net/ipv4/neigh/default/retrans_time_ms': '500' }))).toMatchObject({ tableMax: 4096, resolveMs: 1500 });
  });

  it('sums the overflow counter (table_fulls) over the per-CPU rows', () => {
    const fulls = ARP_CACHE.replace(/00000000\n/, '0000000a\n').replace(/00000000\n$/, '00000005\n');
    expect(readTableFulls(files({ '/proc/net/stat/arp_cache': fulls }))).toBe(15);
    expect(readTableFulls(() => {
      throw new Error('no /proc');
    })).toBeNull();
  });

  it('falls back to the Linux defaults where there is no /proc (Windows, macOS)', () => {
    expect(readNeighbourLimits(() => {
      throw new Error('ENOENT');
    })).toEqual(DEFAULT_NEIGHBOUR_LIMITS);
  });

  it('tells resolved, unresolved and unknown addresses apart from /proc/net/arp', () => {
    const view = createNeighbourView({ read: files() });
    expect(view.state('198.18.0.10')).toBe('resolved');
    expect(view.state('198.18.0.11')).toBe('unresolved');
    expect(view.state('198.18.0.12')).toBe('unknown');
    const none = createNeighbourView({ read: () => {
      throw new Error('no /proc');
    } });
    expect(none.state('198.18.0.10')).toBe('unknown');
  });

  it('lists attached IPv4 networks, never loopback', () => {
    const networks = onLinkNetworks({
      lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
      eth0: [
        { address: '198.18.7.1', netmask: '255.255.0.0', family: 'IPv4', mac: 'aa:bb:cc:dd:ee:ff', internal: false, cidr: '198.18.7.1/16' },
        { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: 'aa:bb:cc:dd:ee:ff', internal: false, cidr: 'fe80::1/64', scopeid: 2 },
      ],
    });
    expect(networks.map((n) => `${n.name} ${intToIpv4(n.network)}/${n.prefix}`)).toEqual(['eth0 198.18.0.0/16']);
  });

  it('leaves room in the table: 60 % of the free entries resolving, 128 spare', () => {
    const pacing = neighbourPacing({ tableMax: 1024, entries: 24, resolveMs: 3000, source: 'test' }, []);
    expect(pacing).toMatchObject({ budget: 600, ceiling: 872, resolveMs: 3250 });
  });
});

describe('the sweep estimate sentence', () => {
  it('says how many, which are on-link, how fast and how long', () => {
    expect(describeSweep({ addresses: 65534, onLink: 65534, ratePerSecond: 4000, onLinkRatePerSecond: 184.6, estimateMs: 358_000, onLinkNetworks: ['veth0 198.18.0.0/16'] })).toBe(
      'sweeping 65,534 addresses, all on-link (veth0 198.18.0.0/16) at ≤ 184/s so the neighbour table never overflows: about 5 min 58 s',
    );
    expect(describeSweep({ addresses: 1_048_574, onLink: 0, ratePerSecond: 4000, onLinkRatePerSecond: null, estimateMs: 265_000, onLinkNetworks: [] })).toBe('sweeping 1,048,574 addresses at ≤ 4,000/s: about 4 min 25 s');
    expect(describeSweep({ addresses: 300, onLink: 254, ratePerSecond: 4000, onLinkRatePerSecond: 184.6, estimateMs: 4_400, onLinkNetworks: ['eth0 192.168.1.0/24'] })).toBe(
      'sweeping 300 addresses: 254 on-link (eth0 192.168.1.0/24) at ≤ 184/s so the neighbour table never overflows, 46 routed at ≤ 4,000/s: about 4 s',
    );
    expect(formatDuration(4 * 3600_000 + 61_000)).toBe('4 h 1 min');
  });
});
