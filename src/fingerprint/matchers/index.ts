/**
 * Pure matchers from strings to identity evidence. Evidence fields understood by resolveIdentity: vendor, model,
 * firmware, serial, mac, activated (stated values), and name (ONVIF name scope), realm (401 challenge realm),
 * server (HTTP/RTSP Server header or SSDP SERVER) as hints.
 */
export { normaliseFirmware } from './firmware.js';
export { matchModel, type ModelKind, type ModelMatch } from './model.js';
export { matchRealm, type RealmKind, type RealmMatch } from './realm.js';
export {
  resolveIdentity,
  type IdentityBasis,
  type IdentityConflict,
  type IdentityField,
  type IdentityHint,
  type IdentityVia,
  type ResolvedIdentity,
} from './resolve-identity.js';
export { matchServerHeader, type ServerMatch } from './server-header.js';
export type { HintConfidence } from './types.js';
export { findKnownVendor, normaliseVendor } from '../../model/vendor.js';
