/**
 * POSIX TZ strings (IEEE 1003.1 §8.3) as ONVIF devices send them in GetSystemDateAndTime's TimeZone/TZ, and the
 * local wall-clock → UTC conversion for devices that send only LocalDateTime (docs/FIELD-NOTES.md §4).
 */
import { daysInMonth, isLeapYear, wallClockMs, type OnvifDateTime } from './calendar.js';

export const MAX_TZ_CHARS = 128;

export type TransitionRule =
  | { kind: 'month-week-day'; month: number; week: number; weekday: number; timeSeconds: number }
  | { kind: 'julian-no-leap'; day: number; timeSeconds: number }
  | { kind: 'zero-based'; day: number; timeSeconds: number };

export interface PosixTimeZone {
  stdName: string;
  /** Seconds to ADD to local standard time to get UTC: POSIX counts positive west, so "BRT3" is UTC−3 → 10800. */
  stdOffsetSeconds: number;
  dst: {
    name: string;
    /** Seconds to add to local daylight time to get UTC. */
    offsetSeconds: number;
    /** Null when the TZ names a DST zone without saying when it applies. */
    rules: { start: TransitionRule; end: TransitionRule } | null;
  } | null;
}

/** DST shifts are one hour almost everywhere (Lord Howe: 30 min; Troll: 2 h); a larger gap is a misread TZ. */
const MAX_DST_SHIFT_SECONDS = 2 * 3600;
const DEFAULT_RULE_TIME = 2 * 3600;

/**
 * Parse a POSIX TZ string (IEEE 1003.1 §8.3): std offset [dst [offset] [,start[/time],end[/time]]]. Returns null
 * for anything else, including Olson names (":America/Edmonton", "Europe/Berlin"), which need a zone database.
 *
 * Hikvision (and its OEMs) write "CST+7:00:00DST01:00:00,M3.2.0/02:00:00,M11.1.0/02:00:00": in POSIX the value
 * after the DST name is the DST zone's own offset (UTC−1 here), but their firmware means the shift. The
 * Trendnet (Hikvision OEM) capture proves the reading: LocalDateTime 11:36 and UTCDateTime 18:36 in February.
 * A DST name "DST" followed by a zero-padded hh:mm:ss is therefore read as the shift.
 */
export function parsePosixTimeZone(text: string): PosixTimeZone | null {
  const scanner = { text: text.trim(), pos: 0 };
  if (scanner.text === '' || scanner.text.length > MAX_TZ_CHARS) return null;
  const stdName = readZoneName(scanner);
  if (stdName === null) return null;
  // "UTC" or "GMT" without an offset is not POSIX, but its meaning is not in doubt.
  const std = readOffset(scanner, 24) ?? (scanner.pos === scanner.text.length && /^(?:UTC|GMT|UCT)$/i.test(stdName) ? { seconds: 0, raw: '0' } : null);
  if (std === null) return null;
  if (scanner.pos === scanner.text.length) return { stdName, stdOffsetSeconds: std.seconds, dst: null };

  const dstName = readZoneName(scanner);
  if (dstName === null) return null;
  let dstOffset = std.seconds - 3600;
  if (scanner.pos < scanner.text.length && scanner.text[scanner.pos] !== ',') {
    const explicit = readOffset(scanner, 24);
    if (explicit === null) return null;
    const hikvisionShift = dstName === 'DST' && /^\d{2}:\d{2}:\d{2}$/.test(explicit.raw);
    dstOffset = hikvisionShift ? std.seconds - explicit.seconds : explicit.seconds;
  }
  if (Math.abs(std.seconds - dstOffset) > MAX_DST_SHIFT_SECONDS) return null;

  let rules: { start: TransitionRule; end: TransitionRule } | null = null;
  if (scanner.pos < scanner.text.length) {
    if (scanner.text[scanner.pos] !== ',') return null;
    scanner.pos += 1;
    const start = readRule(scanner);
    if (start === null || scanner.text[scanner.pos] !== ',') return null;
    scanner.pos += 1;
    const end = readRule(scanner);
    if (end === null || scanner.pos !== scanner.text.length) return null;
    rules = { start, end };
  }
  return { stdName, stdOffsetSeconds: std.seconds, dst: { name: dstName, offsetSeconds: dstOffset, rules } };
}

interface Scanner {
  text: string;
  pos: number;
}

function readZoneName(scanner: Scanner): string | null {
  const rest = scanner.text.slice(scanner.pos);
  const match = /^<([A-Za-z0-9+-]{3,})>/.exec(rest) ?? /^([A-Za-z]{3,})/.exec(rest);
  if (!match?.[1]) return null;
  scanner.pos += match[0].length;
  return match[1];
}

function readOffset(scanner: Scanner, maxHours: number): { seconds: number; raw: string } | null {
  const match = /^([+-]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?/.exec(scanner.text.slice(scanner.pos));
  if (!match) return null;
  const hours = Number(match[2]);
  const minutes = match[3] === undefined ? 0 : Number(match[3]);
  const seconds = match[4] === undefined ? 0 : Number(match[4]);
  if (hours > maxHours || minutes > 59 || seconds > 59) return null;
  scanner.pos += match[0].length;
  const magnitude = hours * 3600 + minutes * 60 + seconds;
  return { seconds: match[1] === '-' ? -magnitude : magnitude, raw: match[0].replace(/^[+-]/, '') };
}

function readRule(scanner: Scanner): TransitionRule | null {
  const rest = scanner.text.slice(scanner.pos);
  let rule: TransitionRule;
  let match: RegExpExecArray | null;
  if ((match = /^M(\d{1,2})\.(\d)\.(\d)/.exec(rest))) {
    const [month, week, weekday] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (month < 1 || month > 12 || week < 1 || week > 5 || weekday > 6) return null;
    rule = { kind: 'month-week-day', month, week, weekday, timeSeconds: DEFAULT_RULE_TIME };
  } else if ((match = /^J(\d{1,3})/.exec(rest))) {
    const day = Number(match[1]);
    if (day < 1 || day > 365) return null;
    rule = { kind: 'julian-no-leap', day, timeSeconds: DEFAULT_RULE_TIME };
  } else if ((match = /^(\d{1,3})/.exec(rest))) {
    const day = Number(match[1]);
    if (day > 365) return null;
    rule = { kind: 'zero-based', day, timeSeconds: DEFAULT_RULE_TIME };
  } else {
    return null;
  }
  scanner.pos += match[0].length;
  if (scanner.text[scanner.pos] === '/') {
    scanner.pos += 1;
    // POSIX.1-2008 lets the transition time run from −167 to 167 hours.
    const time = readOffset(scanner, 167);
    if (time === null) return null;
    rule.timeSeconds = time.seconds;
  }
  return rule;
}

/** Midnight (as a UTC-based wall-clock ms) of the day a transition rule names in this year. */
function ruleDayMs(year: number, rule: TransitionRule): number {
  const DAY = 86_400_000;
  switch (rule.kind) {
    case 'month-week-day': {
      const firstWeekday = new Date(Date.UTC(year, rule.month - 1, 1)).getUTCDay();
      let day = 1 + ((rule.weekday - firstWeekday + 7) % 7) + (rule.week - 1) * 7;
      // Week 5 means "the last such weekday" (POSIX §8.3).
      while (day > daysInMonth(year, rule.month)) day -= 7;
      return Date.UTC(year, rule.month - 1, day);
    }
    case 'julian-no-leap': {
      // Jn never counts 29 February: J60 is 1 March in every year.
      const index = isLeapYear(year) && rule.day >= 60 ? rule.day : rule.day - 1;
      return Date.UTC(year, 0, 1) + index * DAY;
    }
    case 'zero-based':
      return Date.UTC(year, 0, 1) + rule.day * DAY;
  }
}

/**
 * Local wall-clock → UTC. With rules, DST is in effect from the start transition (given in standard time) to the
 * end transition (given in daylight time), wrapping the year end in the southern hemisphere. Without rules only
 * the device's DaylightSavings flag can say; if it is absent the conversion is refused.
 */
export function localToUtcMs(local: OnvifDateTime, tz: PosixTimeZone, daylightSavings: boolean | null): number | null {
  const wall = wallClockMs(local);
  if (!tz.dst) return wall + tz.stdOffsetSeconds * 1000;
  let inDst: boolean;
  if (tz.dst.rules) {
    const start = ruleDayMs(local.year, tz.dst.rules.start) + tz.dst.rules.start.timeSeconds * 1000;
    const end = ruleDayMs(local.year, tz.dst.rules.end) + tz.dst.rules.end.timeSeconds * 1000;
    inDst = start < end ? wall >= start && wall < end : wall >= start || wall < end;
  } else if (daylightSavings !== null) {
    inDst = daylightSavings;
  } else {
    return null;
  }
  return wall + (inDst ? tz.dst.offsetSeconds : tz.stdOffsetSeconds) * 1000;
}
