/** RFC 6762 §3: multicast DNS on UDP 5353, IPv4 group 224.0.0.251. */
export const MDNS_PORT = 5353;
export const MDNS_GROUP = '224.0.0.251';
