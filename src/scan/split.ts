/**
 * After fingerprinting, a record that joined several addresses on a shared uuid, MAC or serial is checked against
 * each address's own TCP answers (issue 16): an address whose answers do not identify the record's device, or
 * name another device than the record's other addresses do, is a different host — a replayed discovery reply,
 * a box with a fixed uuid — and gets a record of its own (DeviceRegistry.split). Pure.
 */
import type { DeviceRecord } from '../model/record.js';
import { agreementAt, disagreements, tcpEvidenceAt, tcpIdentityAt } from '../guard/agreement.js';

/** Addresses of `record` that must be split off, in address order. */
export function addressesToSplit(record: DeviceRecord): string[] {
  const device = record.device;
  if (device.addresses.length < 2) return [];
  // An address that gave no TCP answer at all (UDP only) cannot disagree, and can never be knocked either.
  const answered = device.addresses.filter((a) => tcpEvidenceAt(device, a).length > 0);
  const confirmed = answered.filter((a) => agreementAt(device, a).confirmed);
  const out = confirmed.length > 0 ? answered.filter((a) => !confirmed.includes(a)) : [];
  const kept = confirmed.length > 0 ? confirmed : answered;
  const head = kept[0];
  if (head !== undefined) {
    const headIdentity = tcpIdentityAt(device, head);
    for (const other of kept.slice(1)) {
      if (disagreements(headIdentity, tcpIdentityAt(device, other)).length > 0) out.push(other);
    }
  }
  return out;
}
