import { describe, it, expect } from 'vitest';
import { thrownBy } from '../../../support/errors.js';
import { listCaptures, readCapture, readCaptureText } from '../../../support/captures.js';
import {
  OnvifDecodeError,
  computeClockOffsetMs,
  parsePosixTimeZone,
  parseSystemDateAndTime,
  resolveDeviceClock,
} from '../../../../src/protocols/onvif/index.js';
import type { OnvifDateTime, SystemDateAndTime } from '../../../../src/protocols/onvif/index.js';

const dir = 'onvif-device';

const errorOf = (fn: () => unknown): OnvifDecodeError => thrownBy(fn, OnvifDecodeError);

/** A GetSystemDateAndTimeResponse with the given inner SystemDateAndTime XML (hand-written edge cases). */
function response(inner: string): string {
  return `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>${inner}</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse></env:Body></env:Envelope>`;
}

function dateTime(tag: string, y: number | string, mo: number | string, d: number | string, h: number | string, mi: number | string, s: number | string): string {
  return `<tt:${tag}><tt:Time><tt:Hour>${h}</tt:Hour><tt:Minute>${mi}</tt:Minute><tt:Second>${s}</tt:Second></tt:Time><tt:Date><tt:Year>${y}</tt:Year><tt:Month>${mo}</tt:Month><tt:Day>${d}</tt:Day></tt:Date></tt:${tag}>`;
}

function local(year: number, month: number, day: number, hour: number, minute: number, second: number): OnvifDateTime {
  return { year, month, day, hour, minute, second };
}

describe('parseSystemDateAndTime on every capture', () => {
  const cases: Array<[string, Omit<SystemDateAndTime, 'utc'> & { utc: string | null }]> = [
    [
      'axis-2024-GetSystemDateAndTimeResponse-TZ-BRT3-hammeraj.xml',
      { utc: '2024-07-09T19:49:06.000Z', local: local(2024, 7, 9, 16, 49, 6), timeZone: 'BRT3', dateTimeType: 'Manual', daylightSavings: true, basis: 'utc' },
    ],
    [
      'axis-Q6045-E-fw5.55-GetSystemDateAndTimeResponse-onvif-nvt.xml',
      { utc: '2018-02-27T23:09:59.000Z', local: local(2018, 2, 27, 16, 9, 59), timeZone: 'MST7MDT,M3.2.0,M11.1.0', dateTimeType: 'Manual', daylightSavings: true, basis: 'utc' },
    ],
    [
      'hikvision-DS-2DF7276-AEL-V5.1.6-GetSystemDateAndTimeResponse-onvif-nvt.xml',
      {
        utc: '2018-02-27T18:28:01.000Z',
        local: local(2018, 2, 27, 11, 28, 1),
        timeZone: 'CST7:00:00DST01:00:00,M3.2.0/02:00:00,M11.1.0/02:00:00',
        dateTimeType: 'Manual',
        daylightSavings: true,
        basis: 'utc',
      },
    ],
    [
      'pelco-D6230L-GetSystemDateAndTimeResponse-onvif-nvt.xml',
      { utc: '2018-02-27T18:10:11.000Z', local: null, timeZone: 'MST7MDT,M3.2.0,M11.1.0', dateTimeType: 'Manual', daylightSavings: false, basis: 'utc' },
    ],
    [
      'trendnet-TV-IP320PI-hikOEM-GetSystemDateAndTimeResponse-onvif-nvt.xml',
      {
        utc: '2018-02-27T18:36:51.000Z',
        local: local(2018, 2, 27, 11, 36, 51),
        timeZone: 'CST+7:00:00DST01:00:00,M3.2.0/02:00:00,M11.1.0/02:00:00',
        dateTimeType: 'NTP',
        daylightSavings: true,
        basis: 'utc',
      },
    ],
    [
      // No UTCDateTime, no TimeZone, a clock in 1979, and undeclared namespace prefixes.
      'noname-IPC-GetSystemDateAndTime-LocalDateTime-only-agsh-pr165.xml',
      { utc: null, local: local(1979, 11, 30, 0, 0, 50), timeZone: null, dateTimeType: 'NTP', daylightSavings: false, basis: 'local-assumed-utc' },
    ],
  ];

  it('covers every GetSystemDateAndTime capture', () => {
    const files = listCaptures(dir).filter((f) => /GetSystemDateAndTime/.test(f) && !/fault/i.test(f));
    expect(files.sort()).toEqual(cases.map(([f]) => f).sort());
  });

  for (const [file, expected] of cases) {
    it(file, () => {
      const parsed = parseSystemDateAndTime(readCapture(`${dir}/${file}`));
      expect({ ...parsed, utc: parsed.utc?.toISOString() ?? null }).toEqual(expected);
    });
  }

  it('LocalDateTime + the POSIX TZ reproduces the UTCDateTime of every capture that has both', () => {
    let checked = 0;
    for (const [file] of cases) {
      const parsed = parseSystemDateAndTime(readCapture(`${dir}/${file}`));
      if (!parsed.utc || !parsed.local) continue;
      const fromLocal = resolveDeviceClock({ ...parsed, utc: null });
      expect(fromLocal?.basis, file).toBe('local+tz');
      expect(new Date(fromLocal!.timeMs).toISOString(), file).toBe(parsed.utc.toISOString());
      checked += 1;
    }
    expect(checked).toBe(4);
  });

  it('Vivotek wants a login even for the time: the posted (truncated) fault is a named error, the completed one a soap-fault', () => {
    const truncated = readCaptureText(`${dir}/vivotek-GetSystemDateAndTime-fault-NotAuthorized-agsh-issue301-truncated.txt`);
    expect(errorOf(() => parseSystemDateAndTime(truncated)).code).toBe('xml-malformed');
    const error = errorOf(() => parseSystemDateAndTime(`${truncated}</env:Reason></env:Fault></env:Body></env:Envelope>`));
    expect(error.code).toBe('soap-fault');
    expect(error.fault?.subcodes).toEqual(['NotAuthorized']);
  });

  it('other operations\' responses are unexpected, faults are soap-faults', () => {
    expect(errorOf(() => parseSystemDateAndTime(readCapture(`${dir}/pelco-D6230L-GetDeviceInformationResponse-onvif-nvt.xml`))).code).toBe('unexpected-response');
    expect(errorOf(() => parseSystemDateAndTime(readCapture(`${dir}/axis-2024-fault-Sender-ter-WellFormed-hammeraj.xml`))).code).toBe('soap-fault');
    expect(errorOf(() => parseSystemDateAndTime('<e:Envelope><e:Body><tds:GetSystemDateAndTimeResponse/></e:Body></e:Envelope>')).code).toBe('unexpected-response');
  });
});

describe('computeClockOffsetMs', () => {
  it('device time minus the midpoint of the exchange (Axis 2024 capture)', () => {
    const parsed = parseSystemDateAndTime(readCapture(`${dir}/axis-2024-GetSystemDateAndTimeResponse-TZ-BRT3-hammeraj.xml`));
    const device = Date.UTC(2024, 6, 9, 19, 49, 6);
    expect(computeClockOffsetMs(parsed, device - 1000, device + 1000)).toBe(0);
    expect(computeClockOffsetMs(parsed, device + 2_820_000 - 100, device + 2_820_000 + 300)).toBe(-2_820_100);
  });

  it('the 1979 device (LocalDateTime read as UTC) is decades behind', () => {
    const parsed = parseSystemDateAndTime(readCapture(`${dir}/noname-IPC-GetSystemDateAndTime-LocalDateTime-only-agsh-pr165.xml`));
    const now = Date.UTC(2026, 10, 24, 10, 0, 0);
    expect(computeClockOffsetMs(parsed, now, now)).toBe(Date.UTC(1979, 10, 30, 0, 0, 50) - now);
  });

  it('uses LocalDateTime with the TZ when there is no UTCDateTime', () => {
    const parsed = parseSystemDateAndTime(response(`<tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone>${dateTime('LocalDateTime', 2024, 3, 1, 8, 0, 0)}`));
    expect(parsed.basis).toBe('local+tz');
    expect(computeClockOffsetMs(parsed, Date.UTC(2024, 2, 1, 0, 0, 0), Date.UTC(2024, 2, 1, 0, 0, 0))).toBe(0);
  });

  it('falls back to LocalDateTime-as-UTC when the TZ does not parse', () => {
    const parsed = parseSystemDateAndTime(response(`<tt:TimeZone><tt:TZ>Europe/Berlin</tt:TZ></tt:TimeZone>${dateTime('LocalDateTime', 2024, 3, 1, 8, 0, 0)}`));
    expect(parsed.basis).toBe('local-assumed-utc');
    expect(computeClockOffsetMs(parsed, Date.UTC(2024, 2, 1, 8, 0, 0), Date.UTC(2024, 2, 1, 8, 0, 0))).toBe(0);
  });

  it('null without a usable time or with a backwards interval', () => {
    const parsed = parseSystemDateAndTime(readCapture(`${dir}/axis-2024-GetSystemDateAndTimeResponse-TZ-BRT3-hammeraj.xml`));
    expect(computeClockOffsetMs(parsed, 2000, 1000)).toBeNull();
    expect(computeClockOffsetMs(parsed, Number.NaN, 1000)).toBeNull();
    const empty = parseSystemDateAndTime(response('<tt:DateTimeType>NTP</tt:DateTimeType>'));
    expect(empty).toMatchObject({ utc: null, local: null, basis: null, dateTimeType: 'NTP' });
    expect(computeClockOffsetMs(empty, 1000, 2000)).toBeNull();
  });
});

describe('date validation: no Date roll-over, no month off by one', () => {
  const utcOf = (y: number | string, mo: number | string, d: number | string, h: number | string = 12, mi: number | string = 0, s: number | string = 0): string | null =>
    parseSystemDateAndTime(response(dateTime('UTCDateTime', y, mo, d, h, mi, s))).utc?.toISOString() ?? null;

  it('month is 1-based on the wire (node-onvif-ts "a month off" bug)', () => {
    expect(utcOf(2018, 1, 31)).toBe('2018-01-31T12:00:00.000Z');
    expect(utcOf(2018, 12, 31, 23, 59, 59)).toBe('2018-12-31T23:59:59.000Z');
    expect(utcOf(2018, 2, 27)).toBe('2018-02-27T12:00:00.000Z');
  });

  it('refuses out-of-range fields instead of rolling into the next month, day or hour', () => {
    expect(utcOf(2018, 13, 1)).toBeNull();
    expect(utcOf(2018, 0, 1)).toBeNull();
    expect(utcOf(2018, 2, 29)).toBeNull();
    expect(utcOf(2018, 4, 31)).toBeNull();
    expect(utcOf(2018, 1, 0)).toBeNull();
    expect(utcOf(2018, 1, 1, 24)).toBeNull();
    expect(utcOf(2018, 1, 1, 0, 60)).toBeNull();
    expect(utcOf(2018, 1, 1, 0, 0, 60)).toBeNull();
    expect(utcOf(99, 1, 1)).toBeNull();
    expect(utcOf(-2018, 1, 1)).toBeNull();
    expect(utcOf('2018.5', 1, 1)).toBeNull();
    expect(utcOf('1e3', 1, 1)).toBeNull();
    expect(utcOf('', 1, 1)).toBeNull();
  });

  it('accepts leap days and zero-padded fields', () => {
    expect(utcOf(2024, 2, 29)).toBe('2024-02-29T12:00:00.000Z');
    expect(utcOf(2000, 2, 29)).toBe('2000-02-29T12:00:00.000Z');
    expect(utcOf(1900, 2, 28)).toBe('1900-02-28T12:00:00.000Z');
    expect(utcOf('2018', '02', '07', '09', '05', '03')).toBe('2018-02-07T09:05:03.000Z');
  });

  it('a bad UTCDateTime falls back to a good LocalDateTime', () => {
    const parsed = parseSystemDateAndTime(response(`${dateTime('UTCDateTime', 2018, 13, 1, 0, 0, 0)}${dateTime('LocalDateTime', 2018, 2, 27, 11, 0, 0)}`));
    expect(parsed.utc).toBeNull();
    expect(parsed.basis).toBe('local-assumed-utc');
  });

  it('reads DaylightSavings and ignores a TZ of absurd length', () => {
    expect(parseSystemDateAndTime(response('<tt:DaylightSavings>1</tt:DaylightSavings>')).daylightSavings).toBe(true);
    expect(parseSystemDateAndTime(response('<tt:DaylightSavings>maybe</tt:DaylightSavings>')).daylightSavings).toBeNull();
    expect(parseSystemDateAndTime(response(`<tt:TimeZone><tt:TZ>${'A'.repeat(500)}</tt:TZ></tt:TimeZone>`)).timeZone).toBeNull();
  });
});

describe('parsePosixTimeZone', () => {
  const utcFor = (tz: string, l: OnvifDateTime, daylightSavings: boolean | null = null): string | null => {
    const clock = resolveDeviceClock({ utc: null, local: l, timeZone: tz, daylightSavings });
    return clock?.basis === 'local+tz' ? new Date(clock.timeMs).toISOString() : null;
  };

  it('POSIX offsets count west of Greenwich: the sign is inverted', () => {
    expect(parsePosixTimeZone('CST-8')).toEqual({ stdName: 'CST', stdOffsetSeconds: -8 * 3600, dst: null });
    expect(parsePosixTimeZone('GMT+3')?.stdOffsetSeconds).toBe(3 * 3600);
    expect(parsePosixTimeZone('BRT3')?.stdOffsetSeconds).toBe(3 * 3600);
    expect(parsePosixTimeZone('<+0530>-5:30')?.stdOffsetSeconds).toBe(-(5 * 3600 + 30 * 60));
    expect(parsePosixTimeZone('UTC')?.stdOffsetSeconds).toBe(0);
    expect(utcFor('CST-8', local(2024, 1, 1, 8, 0, 0))).toBe('2024-01-01T00:00:00.000Z');
    expect(utcFor('GMT+3', local(2024, 1, 1, 0, 0, 0))).toBe('2024-01-01T03:00:00.000Z');
  });

  it('evaluates Mm.w.d rules at their transition times (US rules, 2024: 10 March and 3 November)', () => {
    const tz = 'EST5EDT,M3.2.0,M11.1.0';
    expect(utcFor(tz, local(2024, 3, 10, 1, 59, 59))).toBe('2024-03-10T06:59:59.000Z');
    expect(utcFor(tz, local(2024, 3, 10, 3, 0, 0))).toBe('2024-03-10T07:00:00.000Z');
    expect(utcFor(tz, local(2024, 7, 1, 12, 0, 0))).toBe('2024-07-01T16:00:00.000Z');
    expect(utcFor(tz, local(2024, 11, 3, 0, 59, 59))).toBe('2024-11-03T04:59:59.000Z');
    expect(utcFor(tz, local(2024, 11, 3, 2, 0, 0))).toBe('2024-11-03T07:00:00.000Z');
  });

  it('handles southern-hemisphere rules that wrap the year and week 5 = last', () => {
    const sydney = 'AEST-10AEDT,M10.1.0,M4.1.0/3';
    expect(utcFor(sydney, local(2024, 1, 15, 12, 0, 0))).toBe('2024-01-15T01:00:00.000Z');
    expect(utcFor(sydney, local(2024, 7, 15, 12, 0, 0))).toBe('2024-07-15T02:00:00.000Z');
    const berlin = 'CET-1CEST,M3.5.0,M10.5.0/3';
    expect(utcFor(berlin, local(2024, 3, 31, 1, 59, 0))).toBe('2024-03-31T00:59:00.000Z');
    expect(utcFor(berlin, local(2024, 3, 31, 3, 0, 0))).toBe('2024-03-31T01:00:00.000Z');
  });

  it('handles Jn (no leap day) and zero-based day rules', () => {
    // J60 is 1 March even in a leap year; 59 (zero-based) is 29 February in a leap year.
    expect(utcFor('AAA3BBB,J60/0,J300', local(2024, 2, 29, 12, 0, 0))).toBe('2024-02-29T15:00:00.000Z');
    expect(utcFor('AAA3BBB,J60/0,J300', local(2024, 3, 1, 12, 0, 0))).toBe('2024-03-01T14:00:00.000Z');
    expect(utcFor('AAA3BBB,59/0,300', local(2024, 2, 29, 12, 0, 0))).toBe('2024-02-29T14:00:00.000Z');
  });

  it('reads the Hikvision "DST01:00:00" as a one-hour shift, not as UTC−1', () => {
    const tz = parsePosixTimeZone('CST+7:00:00DST01:00:00,M3.2.0/02:00:00,M11.1.0/02:00:00');
    expect(tz?.stdOffsetSeconds).toBe(7 * 3600);
    expect(tz?.dst?.offsetSeconds).toBe(6 * 3600);
    expect(utcFor('CST-8:00:00DST01:00:00,M3.2.0/02:00:00,M11.1.0/02:00:00', local(2024, 7, 1, 9, 0, 0))).toBe('2024-07-01T00:00:00.000Z');
  });

  it('a DST zone without rules uses the DaylightSavings flag, or gives up', () => {
    expect(utcFor('EST5EDT', local(2024, 7, 1, 12, 0, 0), true)).toBe('2024-07-01T16:00:00.000Z');
    expect(utcFor('EST5EDT', local(2024, 7, 1, 12, 0, 0), false)).toBe('2024-07-01T17:00:00.000Z');
    expect(utcFor('EST5EDT', local(2024, 7, 1, 12, 0, 0), null)).toBeNull();
  });

  it('refuses what it cannot read', () => {
    for (const tz of ['', ':America/Edmonton', 'Europe/Berlin', 'CST', 'CS-8', 'CST-25', 'CST-8:61', 'EST5EDT,M13.1.0,M11.1.0', 'EST5EDT,M3.6.0,M11.1.0', 'EST5EDT,M3.2.7,M11.1.0', 'EST5EDT,M3.2.0', 'EST5EDT,M3.2.0,M11.1.0junk', 'EST5EDT,J0,J10', 'AAA5BBB9']) {
      expect(parsePosixTimeZone(tz), tz).toBeNull();
    }
  });
});
