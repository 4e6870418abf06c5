/**
 * Identifiers that many boxes share and that therefore identify nothing (issue 16). A value here never merges two
 * records and never becomes a device id, the ledger key of the one knock (CONTRACT S5): one failed login on one
 * box must not block every other box that ships the same value.
 */

export interface FixedIdentity {
  kind: 'serial' | 'uuid';
  /** Lower-case; uuids without the urn:uuid: prefix. */
  value: string;
  source: string;
}

export const FIXED_IDENTITIES: readonly FixedIdentity[] = [
  {
    kind: 'serial',
    value: '12345678',
    // MiniDLNA's sample configuration ships `serial=12345678` (minidlna.conf, https://sourceforge.net/p/minidlna/git/ci/master/tree/minidlna.conf),
    // and its UPnP description reports it as serialNumber on every box that keeps the default.
    source: 'MiniDLNA minidlna.conf default serial (sourceforge.net/p/minidlna)',
  },
  {
    kind: 'uuid',
    value: '00000000-0000-0000-0000-000000000000',
    // RFC 4122 §4.1.7: the nil UUID, "all 128 bits set to zero" — a placeholder, not an identity.
    source: 'RFC 4122 §4.1.7 nil UUID',
  },
];

const SERIALS = new Set(FIXED_IDENTITIES.filter((f) => f.kind === 'serial').map((f) => f.value));
const UUIDS = new Set(FIXED_IDENTITIES.filter((f) => f.kind === 'uuid').map((f) => f.value));

export function isFixedSerial(serial: string): boolean {
  return SERIALS.has(serial.trim().toLowerCase());
}

export function isFixedUuid(uuid: string): boolean {
  return UUIDS.has(uuid.trim().toLowerCase().replace(/^urn:uuid:/, '').replace(/^uuid:/, ''));
}
