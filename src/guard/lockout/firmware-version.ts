/**
 * Firmware version numbers as vendors print them, reduced to something comparable. Hikvision: "V5.6.2 build 190701"
 * (SADP glues it: "V5.5.6build 190506"; ISAPI splits it into firmwareVersion + firmwareReleasedDate); Dahua:
 * "2.420.0000000.8.R"; Axis: "9.10.1", "5.55.1.2"; Hikvision NVR: "V4.62.210"; Bosch: "6.30.0076".
 */

export interface FirmwareVersion {
  major: number;
  minor: number;
  patch: number;
  /** Hikvision-style build date number (yymmdd), when the text carries "build N". */
  build: number | null;
}

/** Longer text is not a firmware string; refusing it bounds the regex work on hostile input. */
const MAX_FIRMWARE_TEXT = 128;
/** 12 digits stay far below Number.MAX_SAFE_INTEGER; Dahua's third field has 7–9. */
const MAX_COMPONENT_DIGITS = 12;

// A version token: optional "V", at least major.minor, not glued to a preceding letter or digit (so the date in
// "fs20160805NSZ" is not read as a version) but allowed after "_" ("APP_V3.3.0.20200606").
const VERSION_TOKEN = /(?:^|[^0-9A-Za-z.])[vV]?(\d+(?:\.\d+)+)/;
const BUILD = /build\s*(\d{1,9})(?!\d)/i;

/** Parse a firmware string; null when it carries no major.minor version (or is too long to be one). */
export function parseFirmwareVersion(text: string | null | undefined): FirmwareVersion | null {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_FIRMWARE_TEXT) return null;
  const token = VERSION_TOKEN.exec(text)?.[1];
  if (!token) return null;
  const parts = token.split('.');
  if (parts.some((p) => p.length > MAX_COMPONENT_DIGITS)) return null;
  const [major, minor, patch] = parts.map((p) => Number.parseInt(p, 10));
  if (major === undefined || minor === undefined) return null;
  const build = BUILD.exec(text.slice(text.indexOf(token) + token.length))?.[1];
  return { major, minor, patch: patch ?? 0, build: build === undefined ? null : Number.parseInt(build, 10) };
}

function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/**
 * Order two versions by major, minor, patch, then build. A missing build compares equal to any build: "5.3.8"
 * from a device that did not print its build cannot be placed before or after "5.3.8 build 150722".
 */
export function compareFirmware(a: FirmwareVersion, b: FirmwareVersion): -1 | 0 | 1 {
  const byVersion = sign(a.major - b.major) || sign(a.minor - b.minor) || sign(a.patch - b.patch);
  if (byVersion !== 0) return byVersion;
  if (a.build === null || b.build === null) return 0;
  return sign(a.build - b.build);
}

/** Bounds of a knowledge-base firmware range: min and max inclusive, before exclusive. */
export interface FirmwareRange {
  min?: string;
  max?: string;
  before?: string;
}

/**
 * Whether a version lies in a range. 'in-without-build' means it matched only because the device did not tell
 * its build while a bound names one (the Milestone KB rows are per build): a weaker match the caller reports.
 */
export function checkFirmwareRange(version: FirmwareVersion, range: FirmwareRange): 'in' | 'in-without-build' | 'out' {
  const min = parseFirmwareVersion(range.min);
  const max = parseFirmwareVersion(range.max);
  const before = parseFirmwareVersion(range.before);
  if (min && compareFirmware(version, min) < 0) return 'out';
  if (max && compareFirmware(version, max) > 0) return 'out';
  if (before && compareFirmware(version, before) >= 0) return 'out';
  // Only a bound with the same major.minor.patch could have decided the match by its build.
  const decidedByBuild = [min, max, before].some(
    (b) => b !== null && b.build !== null && version.build === null && compareFirmware({ ...b, build: null }, version) === 0,
  );
  return decidedByBuild ? 'in-without-build' : 'in';
}
