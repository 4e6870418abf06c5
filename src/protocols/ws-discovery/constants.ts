/** WS-Discovery 1.1 §3.1.1 / ONVIF Core §7.3: the UDP port and multicast groups of Probe and Hello. */
export const WS_DISCOVERY_PORT = 3702;
export const WS_DISCOVERY_IPV4_GROUP = '239.255.255.250';
export const WS_DISCOVERY_IPV6_GROUP = 'ff02::c';
