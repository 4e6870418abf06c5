import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import knowledgeBaseJson from '../../../../src/guard/lockout/knowledge-base.json' with { type: 'json' };
import { knowledgeBase, parseKnowledgeBase } from '../../../../src/guard/lockout/knowledge-base.js';
import { formatLockDuration, lookupLockout, shortPolicy, toLockoutInfo } from '../../../../src/guard/lockout/lookup.js';
import { capturesDir, readCaptureText } from '../../../support/captures.js';

const ILLEGAL_LOGIN_LOCK = 'Configuration > Advanced configuration > Security > Security services > Illegal Login Lock';

function extract(file: string, pattern: RegExp): string {
  const value = pattern.exec(readCaptureText(file))?.[1];
  if (value === undefined) throw new Error(`${pattern} not found in ${file}`);
  return value;
}

/** Model, firmware and manufacturer as an ONVIF GetDeviceInformationResponse capture states them. */
function onvifIdentity(file: string): { vendor: string; model: string; firmware: string } {
  return {
    vendor: extract(file, /Manufacturer>([^<]*)</),
    model: extract(file, /Model>([^<]*)</),
    firmware: extract(file, /FirmwareVersion>([^<]*)</),
  };
}

describe('Milestone KB 000002183 rows (Hikvision "Illegal Login Lock")', () => {
  const df = onvifIdentity('onvif-device/hikvision-DS-2DF7276-AEL-V5.1.6-GetDeviceInformationResponse-onvif-nvt.xml').model;
  const de = 'DS-2DE4225IW-DE';

  it('uses the PTZ model from the capture', () => {
    expect(df).toBe('DS-2DF7276-AEL');
  });

  it('DF R3, 5.3.8 build 150722: can be disabled; the platform is a guess', () => {
    const match = lookupLockout({ vendor: 'HIKVISION', model: df, firmware: 'V5.3.8 build 150722' });
    expect(match).toMatchObject({
      ruleId: 'hikvision-milestone-df-r3-5.3.8-b150722',
      maxAttempts: 5,
      maxAttemptsAdmin: 7,
      lockSeconds: 1800,
      scope: 'source-ip',
      canDisable: true,
      disableHint: ILLEGAL_LOGIN_LOCK,
      confidence: 'documented',
      guessed: true,
      alternativeRuleIds: [],
    });
    expect(match.guessReason).toContain('platform R3 assumed');
    expect(match.policy).toContain('7 failures (admin) / 5 (others), 30 min');
    expect(match.policy).toContain(`can be disabled in ${ILLEGAL_LOGIN_LOCK}`);
    expect(match.policy).toContain('(guess: platform R3');
    expect(match.source).toContain('Milestone KB 000002183');
  });

  it('DE R0, 5.3.8 build 150707: cannot be disabled', () => {
    const match = lookupLockout({ vendor: 'Hikvision', model: de, firmware: 'V5.3.8build 150707' });
    expect(match).toMatchObject({ ruleId: 'hikvision-milestone-de-r0-5.3.8-b150707', canDisable: false, disableHint: null, maxAttempts: 5, guessed: true });
    expect(match.policy).toContain('cannot disable the lock');
  });

  it('R2 and R0, 5.3.0 build 150513: both rows match (platform unknown) and agree: can be disabled', () => {
    const match = lookupLockout({ vendor: 'Hikvision', model: 'DS-2CD2032-I', firmware: 'V5.3.0 build 150513' });
    expect(match.ruleId).toBe('hikvision-milestone-r2-5.3.0-b150513');
    expect(match.alternativeRuleIds).toEqual(['hikvision-milestone-r0-5.3.0-b150513']);
    expect(match.canDisable).toBe(true);
    expect(match.guessReason).toContain('platform R2 or R0 assumed');
    expect(match.source).toContain('row R2');
    expect(match.source).toContain('row R0');
  });

  it('R0, 5.3.0 build 150513: matched on its own when it is the only row', () => {
    const data = structuredClone(knowledgeBaseJson);
    data.rules = data.rules.filter((r) => r.id !== 'hikvision-milestone-r2-5.3.0-b150513');
    const match = lookupLockout({ vendor: 'Hikvision', model: 'DS-2CD2032-I', firmware: 'V5.3.0 build 150513' }, parseKnowledgeBase(data));
    expect(match).toMatchObject({ ruleId: 'hikvision-milestone-r0-5.3.0-b150513', canDisable: true, alternativeRuleIds: [] });
    expect(match.guessReason).toContain('platform R0 assumed');
  });

  it('R6, 5.3.8 build 151224: can be disabled', () => {
    const match = lookupLockout({ vendor: 'Hikvision', model: 'DS-2CD2385G1-I', firmware: 'V5.3.8 build 151224' });
    expect(match).toMatchObject({ ruleId: 'hikvision-milestone-r6-5.3.8-b151224', canDisable: true, guessed: true });
  });

  it('DF R4, 5.3.10 build 150917: can be disabled', () => {
    const match = lookupLockout({ vendor: 'Hikvision', model: df, firmware: 'V5.3.10 build 150917' });
    expect(match).toMatchObject({ ruleId: 'hikvision-milestone-df-r4-5.3.10-b150917', canDisable: true });
  });

  it('DE R0, 5.3.9 build 150910: cannot be disabled', () => {
    const match = lookupLockout({ vendor: 'Hikvision', model: de, firmware: 'V5.3.9 build 150910' });
    expect(match).toMatchObject({ ruleId: 'hikvision-milestone-de-r0-5.3.9-b150910', canDisable: false });
  });

  it('matches family rows by family: a DS-2DE on the DF R3 build falls to the undecided 5.3.x rule', () => {
    const match = lookupLockout({ vendor: 'Hikvision', model: de, firmware: 'V5.3.8 build 150722' });
    expect(match).toMatchObject({ ruleId: 'hikvision-ipc-fw-5.3.x-unlisted', canDisable: null, maxAttempts: 5, guessed: false });
    expect(match.policy).toContain('depends on the platform');
  });

  it('a family row matched without the build is a guess, and says why', () => {
    const match = lookupLockout({ vendor: 'Hikvision', model: df, firmware: 'V5.3.8' });
    expect(match.ruleId).toBe('hikvision-milestone-df-r3-5.3.8-b150722');
    expect(match.guessReason).toContain('did not report its firmware build');
  });

  it('matches the model family case-insensitively', () => {
    expect(lookupLockout({ vendor: 'Hikvision', model: 'ds-2df8425ix-ael', firmware: 'V5.3.10 build 150917' }).ruleId).toBe(
      'hikvision-milestone-df-r4-5.3.10-b150917',
    );
  });

  it('reports canDisable null when rows with the same conditions disagree', () => {
    const data = structuredClone(knowledgeBaseJson);
    const r0 = data.rules.find((r) => r.id === 'hikvision-milestone-r0-5.3.0-b150513')!;
    r0.canDisable = false;
    const match = lookupLockout({ vendor: 'Hikvision', model: 'DS-2CD2032-I', firmware: 'V5.3.0 build 150513' }, parseKnowledgeBase(data));
    expect(match.canDisable).toBeNull();
    expect(match.policy).toContain('the matching rows disagree');
  });
});

describe('Hikvision firmware boundary at 5.3.0', () => {
  it('5.2.x on an IPC: no lock documented (ONVIF capture DS-2CD2012-I V5.2.0)', () => {
    const identity = onvifIdentity('onvif-device/hikvision-DS-2CD2012-I-V5.2.0-GetDeviceInformationResponse-onvif-nvt.xml');
    expect(identity).toEqual({ vendor: 'HIKVISION', model: 'DS-2CD2012-I', firmware: 'V5.2.0 build 140721' });
    const match = lookupLockout(identity);
    expect(match).toMatchObject({ ruleId: 'hikvision-ipc-fw-before-5.3.0', maxAttempts: null, lockSeconds: null, scope: null, canDisable: null });
    expect(match.policy).toBe('Hikvision IPC firmware V5.2.0 build 140721 (before 5.3.0): no login lock documented — Illegal Login Lock arrived with 5.3.0, so it appears after an upgrade');
    expect(shortPolicy(toLockoutInfo(match))).toBe('no lock known');
  });

  it('5.1.6 on the DS-2DF7276-AEL capture: no lock documented', () => {
    const identity = onvifIdentity('onvif-device/hikvision-DS-2DF7276-AEL-V5.1.6-GetDeviceInformationResponse-onvif-nvt.xml');
    expect(lookupLockout(identity).ruleId).toBe('hikvision-ipc-fw-before-5.3.0');
  });

  it.each([
    ['V5.2.9 build 150101', 'hikvision-ipc-fw-before-5.3.0'],
    ['V5.2.99', 'hikvision-ipc-fw-before-5.3.0'],
    ['V5.3.0', 'hikvision-milestone-r2-5.3.0-b150513'],
    ['V5.3.0 build 160101', 'hikvision-ipc-fw-5.3.x-unlisted'],
    ['V5.3.99', 'hikvision-ipc-fw-5.3.x-unlisted'],
    ['V5.4.0', 'hikvision-ipc-fw-5.3.0-plus'],
    ['V5.10.1', 'hikvision-ipc-fw-5.3.0-plus'],
  ])('%s → %s', (firmware, ruleId) => {
    expect(lookupLockout({ vendor: 'Hikvision', model: 'DS-2CD2032-I', firmware }).ruleId).toBe(ruleId);
  });

  it('5.6.2 (SADP capture DS-2CD2385G1-I) gives the docs/SAFETY.md example policy', () => {
    const file = 'hikvision/hikvision-DS-2CD2385G1-I-V5.6.2-sadp-probematch.xml';
    const match = lookupLockout({ vendor: 'Hikvision', model: extract(file, /<DeviceDescription>([^<]*)</), firmware: extract(file, /<SoftwareVersion>([^<]*)</) });
    expect(match).toMatchObject({
      ruleId: 'hikvision-ipc-fw-5.3.0-plus',
      maxAttempts: 5,
      maxAttemptsAdmin: 7,
      lockSeconds: 1800,
      scope: 'source-ip',
      canDisable: true,
      confidence: 'documented',
      guessed: false,
      guessReason: null,
    });
    expect(match.policy).toBe(`Hikvision IPC firmware >= 5.3.0: per source IP, 7 failures (admin) / 5 (others), 30 min; can be disabled in ${ILLEGAL_LOGIN_LOCK}`);
    expect(shortPolicy(toLockoutInfo(match))).toBe('5 tries/30 min per IP');
  });

  it('5.3.4 on the TRENDnet (Hikvision OEM) capture: TRENDnet is not in the knowledge base, so the worst case', () => {
    const identity = onvifIdentity('onvif-device/trendnet-TV-IP320PI-hikOEM-GetDeviceInformationResponse-onvif-nvt.xml');
    const match = lookupLockout(identity);
    expect(match.ruleId).toBe('worst-case:not-covered');
    expect(match.policy).toBe('TRENDnet TV-IP320PI firmware V5.3.4 build 160830 is not covered by the lockout knowledge base: assuming the worst — 3 failures lock the source IP for 30 min');
  });

  it('an old version number without a model is not read as an old IPC (it may be a recorder firmware line)', () => {
    const match = lookupLockout({ vendor: 'Hikvision', model: null, firmware: 'V4.0.3 build 130227' });
    expect(match).toMatchObject({ ruleId: 'worst-case:not-covered', maxAttempts: 3 });
  });

  it('firmware >= 5.3.0 without a model still gets the IPC rule', () => {
    expect(lookupLockout({ vendor: 'Hikvision', model: null, firmware: 'V5.5.6build 180326' }).ruleId).toBe('hikvision-ipc-fw-5.3.0-plus');
  });
});

describe('Hikvision recorders', () => {
  it('the NVR capture (DS-7608NXI-I2, V4.62.210) gets the recorder rule, with worst-case numbers assumed', () => {
    const file = 'hikvision/hikvision-NVR-DS-7608NXI-I2-V4.62.210-ISAPI-deviceInfo-isapi.org-ns-hikvision_next.xml';
    const match = lookupLockout({ vendor: 'Hikvision', model: extract(file, /<model>([^<]*)</), firmware: extract(file, /<firmwareVersion>([^<]*)</) });
    expect(match).toMatchObject({
      ruleId: 'hikvision-recorder',
      maxAttempts: 3,
      maxAttemptsAdmin: 3,
      lockSeconds: 1800,
      scope: 'source-ip',
      confidence: 'guess',
      guessed: true,
      assumed: ['maxAttempts', 'lockSeconds', 'scope'],
    });
    expect(match.policy).toBe('Hikvision NVR/DVR DS-7608NXI-I2/8P/S: the lock threshold of recorders is not documented here — assuming 3 failures lock the source IP for 30 min');
  });

  it('the DVR SADP capture (DS-7804HQH-K1) is a recorder too, whatever its firmware', () => {
    const file = 'hikvision/hikvision-DS-7804HQH-K1-DVR-sadp-probematch-truncated.xml';
    expect(lookupLockout({ vendor: 'Hikvision', model: extract(file, /<DeviceDescription>([^<]*)</), firmware: null }).ruleId).toBe('hikvision-recorder');
  });
});

describe('vendor rows of docs/FIELD-NOTES.md §2', () => {
  it('Dahua (DHIP capture IPC-HDW5421S): per source IP, commonly 5, 30 min', () => {
    const file = 'dahua-dhip/dahua-IPC-HDW5421S-phenomite.body.json';
    const match = lookupLockout({ vendor: extract(file, /"Vendor" : "([^"]*)"/), model: extract(file, /"DeviceType" : "([^"]*)"/), firmware: extract(file, /"Version" : "([^"]*)"/) });
    expect(match).toMatchObject({ ruleId: 'dahua', maxAttempts: 5, lockSeconds: 1800, scope: 'source-ip', canDisable: null, confidence: 'reported', guessed: false });
    expect(match.policy).toBe('Dahua: per source IP, commonly 5 failures, 30 min (configurable; device accounts and ONVIF users have separate settings)');
  });

  it('Lorex (DHIP capture W461ASC) is a Dahua OEM', () => {
    const file = 'dahua-dhip/lorex-W461ASC-rapid7.body.json';
    const match = lookupLockout({ vendor: extract(file, /"Vendor": "([^"]*)"/), model: 'W461ASC', firmware: extract(file, /"Version": "([^"]*)"/) });
    expect(match).toMatchObject({ ruleId: 'lorex-dahua-oem', maxAttempts: 5, lockSeconds: 1800 });
  });

  it('Amcrest (WS-Discovery capture IP2M-841B) is a Dahua OEM', () => {
    expect(lookupLockout({ vendor: 'Amcrest', model: 'IP2M-841B', firmware: null })).toMatchObject({ ruleId: 'amcrest-dahua-oem', maxAttempts: 5 });
  });

  it('Axis (ONVIF capture Q6045-E): rate-based', () => {
    const match = lookupLockout(onvifIdentity('onvif-device/axis-Q6045-E-fw5.55-GetDeviceInformationResponse-onvif-nvt.xml'));
    expect(match).toMatchObject({ ruleId: 'axis-rate', scope: 'rate', maxAttempts: null, lockSeconds: null, assumed: [] });
    expect(shortPolicy(toLockoutInfo(match))).toBe('rate-limited');
  });

  it('Hanwha under its old Samsung Techwin name: 5 failures lock the account for 30 s', () => {
    const match = lookupLockout({ vendor: 'Samsung Techwin', model: 'SNO-6084R', firmware: null });
    expect(match).toMatchObject({ ruleId: 'hanwha-account', maxAttempts: 5, lockSeconds: 30, scope: 'account' });
    expect(match.policy).toBe('Hanwha (Wisenet): 5 consecutive failures lock the account for 30 s');
    expect(shortPolicy(toLockoutInfo(match))).toBe('5 tries/30 s per account');
  });

  it('Sony: 8 failures, 60 s, scope not documented', () => {
    const match = lookupLockout({ vendor: 'Sony', model: 'SNC-VM772R', firmware: null });
    expect(match).toMatchObject({ ruleId: 'sony', maxAttempts: 8, lockSeconds: 60, scope: null });
    expect(shortPolicy(toLockoutInfo(match))).toBe('8 tries/60 s');
  });

  it('Reolink: optional, IP bans reported after more than 3 wrong passwords', () => {
    const match = lookupLockout({ vendor: 'Reolink', model: 'RLC-410', firmware: null });
    expect(match).toMatchObject({ ruleId: 'reolink-optional', maxAttempts: 3, lockSeconds: null, scope: 'source-ip', canDisable: true, confidence: 'reported' });
    expect(shortPolicy(toLockoutInfo(match))).toBe('3 tries per IP');
  });

  it('Bosch 6.30+: login firewall, threshold unknown, worst-case numbers assumed', () => {
    const match = lookupLockout({ vendor: 'Bosch Security Systems', model: 'FLEXIDOME IP 4000i', firmware: '6.30.0076' });
    expect(match).toMatchObject({ ruleId: 'bosch-fw-6.30-plus', maxAttempts: 3, lockSeconds: 1800, scope: 'source-ip', confidence: 'guess', guessed: true });
    expect(match.assumed).toEqual(['maxAttempts', 'lockSeconds', 'scope']);
    expect(match.policy).toContain('assuming 3 failures lock the source IP for 30 min');
  });

  it('Bosch before 6.30 is not covered, and Bosch without firmware is unknown firmware', () => {
    expect(lookupLockout({ vendor: 'Bosch', model: null, firmware: '6.20.0040' }).ruleId).toBe('worst-case:not-covered');
    expect(lookupLockout({ vendor: 'Bosch', model: null, firmware: null }).ruleId).toBe('worst-case:unknown-firmware');
  });
});

describe('unknown devices get the worst case', () => {
  it('unknown vendor', () => {
    const match = lookupLockout({ vendor: null, model: 'DS-2CD2032-I', firmware: 'V5.6.2' });
    expect(match).toMatchObject({ ruleId: 'worst-case:unknown-vendor', maxAttempts: 3, lockSeconds: 1800, scope: 'source-ip', guessed: true, confidence: 'guess' });
    expect(match.policy).toBe('Unknown vendor: assuming the worst — 3 failures lock the source IP for 30 min');
    expect(shortPolicy(toLockoutInfo(match))).toBe('3 tries/30 min per IP');
  });

  it('whitespace-only or absurdly long vendor is unknown', () => {
    expect(lookupLockout({ vendor: '   ', model: null, firmware: null }).ruleId).toBe('worst-case:unknown-vendor');
    expect(lookupLockout({ vendor: 'Hikvision'.repeat(100), model: null, firmware: null }).ruleId).toBe('worst-case:unknown-vendor');
  });

  it('unknown firmware for a vendor whose rules depend on it', () => {
    const match = lookupLockout({ vendor: 'hikvision', model: 'DS-2CD2385G1-I', firmware: null });
    expect(match.ruleId).toBe('worst-case:unknown-firmware');
    expect(match.policy).toBe('Hikvision, firmware unknown: assuming the worst — 3 failures lock the source IP for 30 min');
    expect(lookupLockout({ vendor: 'Hikvision', model: 'DS-2CD2385G1-I', firmware: 'latest' }).ruleId).toBe('worst-case:unknown-firmware');
  });

  it('a known vendor without a rule (Pelco capture D6230L)', () => {
    const match = lookupLockout(onvifIdentity('onvif-device/pelco-D6230L-GetDeviceInformationResponse-onvif-nvt.xml'));
    expect(match.ruleId).toBe('worst-case:not-covered');
    expect(match.policy).toBe('Pelco D6230L firmware 2.9.0.4.9340-A0.0 is not covered by the lockout knowledge base: assuming the worst — 3 failures lock the source IP for 30 min');
  });

  it('never claims more attempts than a simulated device allows (fixtures/profiles)', () => {
    const root = join(capturesDir, '..', 'profiles');
    const profiles = readdirSync(root).filter((f) => f.endsWith('.json'));
    expect(profiles.length).toBeGreaterThan(0);
    for (const file of profiles) {
      const profile = JSON.parse(readFileSync(join(root, file), 'utf8')) as {
        identity: { vendor: string; model: string; firmware: string };
        lockout: { threshold: number | null; scope: string };
      };
      const match = lookupLockout(profile.identity);
      if (profile.lockout.scope === 'rate') expect(match.scope, file).toBe('rate');
      else if (profile.lockout.threshold !== null) expect(match.maxAttempts, file).toBeLessThanOrEqual(profile.lockout.threshold);
    }
  });

  it('uses the shipped knowledge base by default', () => {
    expect(lookupLockout({ vendor: 'Sony', model: null, firmware: null })).toEqual(lookupLockout({ vendor: 'Sony', model: null, firmware: null }, knowledgeBase));
  });
});

describe('toLockoutInfo', () => {
  const match = lookupLockout({ vendor: 'Hikvision', model: 'DS-2CD2385G1-I', firmware: 'V5.6.2 build 190701' });

  it('copies the policy and leaves the live state unknown without a report', () => {
    expect(toLockoutInfo(match)).toEqual({
      policy: match.policy,
      maxAttempts: 5,
      lockSeconds: 1800,
      scope: 'source-ip',
      canDisable: true,
      state: 'unknown',
      remainingAttempts: null,
      unlockInSeconds: null,
      disableHint: ILLEGAL_LOGIN_LOCK,
      ruleId: 'hikvision-ipc-fw-5.3.0-plus',
    });
  });

  it('takes what the device reported about itself', () => {
    expect(toLockoutInfo(match, { state: 'locked', remainingAttempts: 0, unlockInSeconds: 1740 })).toMatchObject({ state: 'locked', remainingAttempts: 0, unlockInSeconds: 1740 });
    expect(toLockoutInfo(match, { state: 'unlocked', remainingAttempts: 4 })).toMatchObject({ state: 'unlocked', remainingAttempts: 4, unlockInSeconds: null });
  });

  it('drops nonsense from a hostile report instead of passing it on', () => {
    const info = toLockoutInfo(match, { state: 'lockd' as never, remainingAttempts: -1, unlockInSeconds: Number.NaN });
    expect(info).toMatchObject({ state: 'unknown', remainingAttempts: null, unlockInSeconds: null });
    expect(toLockoutInfo(match, { remainingAttempts: 1.5, unlockInSeconds: Infinity })).toMatchObject({ remainingAttempts: null, unlockInSeconds: null });
  });
});

describe('shortPolicy and formatLockDuration', () => {
  const base = toLockoutInfo(lookupLockout({ vendor: null, model: null, firmware: null }));

  it('formats the common shapes', () => {
    expect(shortPolicy(base)).toBe('3 tries/30 min per IP');
    expect(shortPolicy({ ...base, maxAttempts: 1, lockSeconds: null, scope: 'account' })).toBe('1 try per account');
    expect(shortPolicy({ ...base, scope: 'rate' })).toBe('rate-limited');
    expect(shortPolicy({ ...base, maxAttempts: null, scope: null })).toBe('no lock known');
  });

  it('prints minutes from two minutes up, seconds below', () => {
    expect(formatLockDuration(1800)).toBe('30 min');
    expect(formatLockDuration(120)).toBe('2 min');
    expect(formatLockDuration(60)).toBe('60 s');
    expect(formatLockDuration(30)).toBe('30 s');
    expect(formatLockDuration(90)).toBe('90 s');
  });
});
