/**
 * The user's driver list (Get-VmsRecordingServer | Get-VmsHardwareDriver | Export-Csv) in the Windows PowerShell 5.1
 * shape (BOM, #TYPE line, quoted, CRLF) and the PowerShell 7 shape, and each matching rule: exact model, the
 * vendor's driver, an ONVIF driver for an ONVIF device, none; and the sourced built-in table without a list.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_DRIVERS, decodeDriverList, matchDriver, parseDriverList } from '../../../../src/output/exports/index.js';
import { readCapture } from '../../../support/captures.js';
import { device } from './device-fixtures.js';

const ps51 = parseDriverList(decodeDriverList(readCapture('synthetic-format-references/milestone-get-vmshardwaredriver-export-csv-ps51.csv')));

describe('the Milestone driver list', () => {
  it('reads the Windows PowerShell 5.1 Export-Csv shape: BOM, #TYPE line, quoted fields, CRLF, a driver repeated per recorder', () => {
    expect(ps51.map((d) => d.number)).toEqual([806, 421, 605, 707, 90101, 90100, 90200, 90300]);
    expect(ps51[0]).toEqual({ number: 806, name: 'AXIS', group: 'AXIS' });
    expect(ps51.find((d) => d.number === 707)!.name).toBe('Infinova G/T/H PTZ Series');
  });

  it('reads the PowerShell 7 shape (no #TYPE) and UTF-16LE (Windows PowerShell `>`)', () => {
    const ps7 = parseDriverList(decodeDriverList(readCapture('synthetic-format-references/milestone-get-vmshardwaredriver-export-csv-ps7.csv')));
    expect(ps7.map((d) => [d.number, d.group])).toEqual([[806, 'AXIS'], [421, 'Universal'], [605, 'AXIS']]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('"Number","Name"\r\n"806","AXIS"\r\n', 'utf16le')]);
    expect(parseDriverList(decodeDriverList(utf16))).toEqual([{ number: 806, name: 'AXIS', group: null }]);
  });

  it('refuses a file without Number and Name, or without one usable row, saying how to make it', () => {
    expect(() => parseDriverList('"Id","Title"\r\n"1","x"\r\n')).toThrow(/Number and Name.*Get-VmsHardwareDriver/);
    expect(() => parseDriverList('"Number","Name"\r\n"abc","x"\r\n')).toThrow(/no row/);
    expect(() => parseDriverList('"Number","Name"\r\n"1,"x\r\n')).toThrow(/not a readable CSV/);
  });
});

describe('matching a device to a driver', () => {
  it('rule model: a driver naming the exact model wins over the vendor driver', () => {
    expect(matchDriver(device({ address: '192.0.2.1', vendor: 'Hikvision', model: 'DS-2CD2386G2-IU' }), ps51)).toEqual({ number: 90101, name: 'Hikvision DS-2CD2386G2-IU', rule: 'model' });
  });

  it('rule vendor: the driver named for the vendor (by GroupName/Name), vendor spellings normalised', () => {
    expect(matchDriver(device({ address: '192.0.2.2', vendor: 'HIKVISION', model: 'DS-2CD2032-I' }), ps51)).toEqual({ number: 90100, name: 'Hikvision', rule: 'vendor' });
    expect(matchDriver(device({ address: '192.0.2.3', vendor: 'Axis', model: 'M1034-W' }), ps51)).toEqual({ number: 806, name: 'AXIS', rule: 'vendor' });
    expect(matchDriver(device({ address: '192.0.2.4', vendor: 'Dahua', model: 'IPC-HFW2228M-I1-V2' }), ps51)).toEqual({ number: 90300, name: 'Dahua Series', rule: 'vendor' });
  });

  it('rule onvif: an ONVIF device of a vendor without a driver gets the ONVIF driver; a non-ONVIF one gets none', () => {
    const onvif = { xaddrs: ['http://192.0.2.5/onvif/device_service'], scopes: [], clockOffsetMs: 0 };
    expect(matchDriver(device({ address: '192.0.2.5', vendor: 'Pelco', model: 'D6230L', onvif }), ps51)).toEqual({ number: 90200, name: 'ONVIF Conformant Device', rule: 'onvif' });
    expect(matchDriver(device({ address: '192.0.2.6', vendor: 'Pelco', model: 'D6230L' }), ps51)).toBeNull();
  });

  it('without a list: only the sourced built-in entries (806 AXIS), nothing guessed for others', () => {
    expect(BUILTIN_DRIVERS.every((d) => d.source.length > 20)).toBe(true);
    expect(matchDriver(device({ address: '192.0.2.7', vendor: 'AXIS', model: 'M1034-W' }), null)).toEqual({ number: 806, name: 'AXIS', rule: 'built-in' });
    expect(matchDriver(device({ address: '192.0.2.8', vendor: 'Hikvision', model: 'DS-2CD2032-I' }), null)).toBeNull();
  });

  it('a list given replaces the built-in table (a number the recorder lacks would fail the import)', () => {
    expect(matchDriver(device({ address: '192.0.2.9', vendor: 'Axis', model: 'M1034-W' }), [{ number: 1, name: 'Hikvision', group: 'Hikvision' }])).toBeNull();
  });
});
