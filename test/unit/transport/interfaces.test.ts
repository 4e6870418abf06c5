import { describe, expect, it } from 'vitest';
import { selectInterfaces, type InterfaceTable } from '../../../src/transport/interfaces.js';

// The shape os.networkInterfaces() has on Windows: names with spaces and parentheses, a loopback pseudo-interface.
const WINDOWS_TABLE: InterfaceTable = {
  'Wi-Fi': [
    { address: 'fe80::1c2b:3d4e:5f60:7182', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '3c:22:fb:01:02:03', internal: false, cidr: 'fe80::1c2b:3d4e:5f60:7182/64', scopeid: 12 },
    { address: '192.0.2.23', netmask: '255.255.255.0', family: 'IPv4', mac: '3c:22:fb:01:02:03', internal: false, cidr: '192.0.2.23/24' },
  ],
  'vEthernet (Default Switch)': [{ address: '198.51.100.1', netmask: '255.255.240.0', family: 'IPv4', mac: '00:15:5d:00:00:01', internal: false, cidr: '198.51.100.1/20' }],
  'Loopback Pseudo-Interface 1': [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
};

describe('selectInterfaces: IPv6 zones per platform', () => {
  it('Windows: the zone is the interface index (libuv reads it with atoi; a name would become 0)', () => {
    const chosen = selectInterfaces(['Wi-Fi'], WINDOWS_TABLE, { zoneByIndex: true });
    expect(chosen.find((i) => i.family === 'IPv6')).toMatchObject({ name: 'Wi-Fi', zone: '12', scopeId: 12 });
  });

  it('elsewhere: the zone is the interface name; the default skips loopback and keeps names with spaces', () => {
    expect(selectInterfaces(['Wi-Fi'], WINDOWS_TABLE).find((i) => i.family === 'IPv6')?.zone).toBe('Wi-Fi');
    expect(selectInterfaces([], WINDOWS_TABLE).map((i) => i.name)).toEqual(['Wi-Fi', 'Wi-Fi', 'vEthernet (Default Switch)']);
    expect(selectInterfaces(['vEthernet (Default Switch)'], WINDOWS_TABLE)).toHaveLength(1);
  });
});
