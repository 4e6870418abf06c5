/** Hikvision SADP: UDP 37020 on the SSDP group (docs/FIELD-NOTES.md, SADP). */
export const SADP_PORT = 37020;
export const SADP_GROUP = '239.255.255.250';
