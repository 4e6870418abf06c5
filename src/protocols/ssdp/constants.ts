/** UPnP Device Architecture 2.0 §1.1.2: SSDP on UDP 1900, group 239.255.255.250. */
export const SSDP_PORT = 1900;
export const SSDP_GROUP = '239.255.255.250';
