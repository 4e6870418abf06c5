/**
 * GetSystemDateAndTime (ONVIF Core, access class PRE_AUTH): the device clock, needed before a WS-UsernameToken can be
 * built — devices reject a token whose Created is outside their window, with the same fault as a wrong password
 * (docs/FIELD-NOTES.md §1, §5).
 *
 * Every field is validated and converted without letting Date roll over: node-onvif-ts passes the 1-based month
 * straight to `new Date()` and lands a month off; an out-of-range value here gives null, never a shifted date.
 */
import { childElement, decodeXmlText, findElement } from '../xml/parse-xml.js';
import type { XmlElement } from '../xml/parse-xml.js';
import { OnvifDecodeError, readSoapResponse } from './soap.js';
import { daysInMonth, wallClockMs, type OnvifDateTime } from './calendar.js';
import { localToUtcMs, MAX_TZ_CHARS, parsePosixTimeZone } from './posix-time-zone.js';

export type { OnvifDateTime } from './calendar.js';
export { parsePosixTimeZone, type PosixTimeZone, type TransitionRule } from './posix-time-zone.js';

/** How the device time was obtained: its UTCDateTime, LocalDateTime converted with its POSIX TZ, or LocalDateTime read as UTC. */
export type ClockBasis = 'utc' | 'local+tz' | 'local-assumed-utc';


export interface SystemDateAndTime {
  /** UTCDateTime, when present and valid. */
  utc: Date | null;
  /** LocalDateTime, when present and valid. */
  local: OnvifDateTime | null;
  /** TimeZone/TZ as sent (POSIX 1003.1 §8.3 form, e.g. "CST-8", "MST7MDT,M3.2.0,M11.1.0"). */
  timeZone: string | null;
  /** 'NTP' or 'Manual' as sent. */
  dateTimeType: string | null;
  /** The DaylightSavings flag as sent. ONVIF calls it informative; real devices set it even without DST (Axis BRT3). */
  daylightSavings: boolean | null;
  /** The basis computeClockOffsetMs will use; null when the device sent no usable time. */
  basis: ClockBasis | null;
}

/** Years a camera clock can plausibly show: reset clocks read 1970 or 2000, one real device read 1979. */
const MIN_YEAR = 1900;
const MAX_YEAR = 9999;

/**
 * Parse a GetSystemDateAndTimeResponse. Throws OnvifDecodeError: 'soap-fault' (with the fault attached, e.g.
 * Vivotek's ter:NotAuthorized), 'unexpected-response', or an XML code for a malformed body.
 */
export function parseSystemDateAndTime(xml: string | Uint8Array): SystemDateAndTime {
  const response = readSoapResponse(xml, 'GetSystemDateAndTimeResponse');
  const system = findElement(response, 'SystemDateAndTime');
  if (!system) throw new OnvifDecodeError('unexpected-response', 'GetSystemDateAndTimeResponse without SystemDateAndTime');

  const utcFields = readDateTime(childElement(system, 'UTCDateTime'));
  const tz = leafText(childElement(childElement(system, 'TimeZone'), 'TZ'));
  const parsed: SystemDateAndTime = {
    utc: utcFields ? new Date(wallClockMs(utcFields)) : null,
    local: readDateTime(childElement(system, 'LocalDateTime')),
    timeZone: tz !== null && tz.length <= MAX_TZ_CHARS ? tz : null,
    dateTimeType: leafText(childElement(system, 'DateTimeType')),
    daylightSavings: parseBoolean(leafText(childElement(system, 'DaylightSavings'))),
    basis: null,
  };
  parsed.basis = resolveDeviceClock(parsed)?.basis ?? null;
  return parsed;
}

/**
 * The device clock in UTC milliseconds and how it was obtained. UTCDateTime wins; else LocalDateTime converted
 * with the POSIX TZ when it parses; else LocalDateTime taken as UTC (some devices send only that — one real
 * device reads 1979 — and an offset of hours is still better than none: docs/FIELD-NOTES.md §4).
 */
export function resolveDeviceClock(parsed: Pick<SystemDateAndTime, 'utc' | 'local' | 'timeZone' | 'daylightSavings'>): { timeMs: number; basis: ClockBasis } | null {
  if (parsed.utc && Number.isFinite(parsed.utc.getTime())) return { timeMs: parsed.utc.getTime(), basis: 'utc' };
  if (!parsed.local) return null;
  const tz = parsed.timeZone ? parsePosixTimeZone(parsed.timeZone) : null;
  const converted = tz ? localToUtcMs(parsed.local, tz, parsed.daylightSavings) : null;
  if (converted !== null) return { timeMs: converted, basis: 'local+tz' };
  return { timeMs: wallClockMs(parsed.local), basis: 'local-assumed-utc' };
}

/**
 * Device clock minus our clock, in ms: deviceTime − midpoint(sentAtMs, receivedAtMs). The device reports whole
 * seconds, so the result is good to about ±1 s plus half the round trip. Null when the device sent no usable
 * time or the timestamps are not a forward interval.
 */
export function computeClockOffsetMs(parsed: SystemDateAndTime, sentAtMs: number, receivedAtMs: number): number | null {
  if (!Number.isFinite(sentAtMs) || !Number.isFinite(receivedAtMs) || receivedAtMs < sentAtMs) return null;
  const clock = resolveDeviceClock(parsed);
  if (!clock) return null;
  return Math.round(clock.timeMs - (sentAtMs + receivedAtMs) / 2);
}

// ---- date fields -----------------------------------------------------------------------------------------

function readDateTime(element: XmlElement | undefined): OnvifDateTime | null {
  if (!element) return null;
  const date = childElement(element, 'Date');
  const time = childElement(element, 'Time');
  if (!date || !time) return null;
  const fields = {
    year: readInt(childElement(date, 'Year')),
    month: readInt(childElement(date, 'Month')),
    day: readInt(childElement(date, 'Day')),
    hour: readInt(childElement(time, 'Hour')),
    minute: readInt(childElement(time, 'Minute')),
    second: readInt(childElement(time, 'Second')),
  };
  const { year, month, day, hour, minute, second } = fields;
  if (year === null || month === null || day === null || hour === null || minute === null || second === null) return null;
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  // A leap second (60) would make Date roll into the next minute; refusing it costs one reading in decades.
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { year, month, day, hour, minute, second };
}

function readInt(element: XmlElement | undefined): number | null {
  const text = leafText(element);
  // xs:int on the wire; "06" (Dahua pads) is fine, signs, fractions and exponents are not a calendar field.
  if (text === null || !/^\d{1,4}$/.test(text)) return null;
  return Number(text);
}

function leafText(element: XmlElement | undefined): string | null {
  if (!element) return null;
  const text = decodeXmlText(element.text).trim();
  return text === '' ? null : text;
}

function parseBoolean(text: string | null): boolean | null {
  if (text === null) return null;
  if (/^(?:true|1)$/i.test(text)) return true;
  if (/^(?:false|0)$/i.test(text)) return false;
  return null;
}
