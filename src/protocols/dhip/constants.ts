/** Dahua DHIP discovery: UDP 37810 on its own group (docs/FIELD-NOTES.md, DHIP). */
export const DHIP_PORT = 37810;
export const DHIP_GROUP = '239.255.255.251';
