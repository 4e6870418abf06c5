import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../support/captures.js';
import { DahuaConfigError, getGeneralConfigPath, isSetConfigOk, parseConfigTable, parseGeneralLockConfig, setGeneralLockConfigPath } from '../../../../src/protocols/dahua/config-manager.js';

const SYNTHETIC = 'synthetic-format-references/dahua-configManager-getConfig-General-lock-synthetic.txt';

describe('Dahua configManager General lock keys', () => {
  it('reads LockLoginEnable / LockLoginTimes / LoginFailLockTime from a getConfig&name=General answer (synthetic, from the docs)', () => {
    expect(parseGeneralLockConfig(readCapture(SYNTHETIC))).toEqual({ lockLoginEnable: true, lockLoginTimes: 5, loginFailLockTime: 1800 });
    expect(parseConfigTable(readCapture(SYNTHETIC), 'General').get('MachineName')).toBe('IPC-HFW2228M');
  });

  it('a General table without the lock keys has no lock option', () => {
    expect(parseGeneralLockConfig('table.General.MachineName=NVR\r\n')).toEqual({});
  });

  it('names the device error answer and a body with no table', () => {
    expect(() => parseGeneralLockConfig('Error\r\nBad Request!\r\n')).toThrow(DahuaConfigError);
    expect(() => parseGeneralLockConfig('<html></html>')).toThrow(/no table.General/);
  });

  it('builds the read and the writes (off sends only LockLoginEnable)', () => {
    expect(getGeneralConfigPath()).toBe('/cgi-bin/configManager.cgi?action=getConfig&name=General');
    expect(setGeneralLockConfigPath({ enabled: false })).toBe('/cgi-bin/configManager.cgi?action=setConfig&General.LockLoginEnable=false');
    expect(setGeneralLockConfigPath({ enabled: true, maxAttempts: 5, lockSeconds: 600 })).toBe('/cgi-bin/configManager.cgi?action=setConfig&General.LockLoginEnable=true&General.LockLoginTimes=5&General.LoginFailLockTime=600');
    expect(isSetConfigOk('OK\r\n')).toBe(true);
    expect(isSetConfigOk('Error\r\n')).toBe(false);
  });
});
