/** Calendar arithmetic for the device clock fields (ONVIF tt:Date / tt:Time), with no Date roll-over. */

/** A calendar date and wall-clock time exactly as the device sent it (month 1–12). */
export interface OnvifDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** The wall-clock reading as if it were UTC. Fields are validated, so Date.UTC cannot roll over. */
export function wallClockMs(dt: OnvifDateTime): number {
  return Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second);
}
