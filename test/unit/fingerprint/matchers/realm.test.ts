import { describe, expect, it } from 'vitest';
import { matchRealm, type RealmMatch } from '../../../../src/fingerprint/matchers/realm.js';
import { listCaptures, readCaptureText } from '../../../support/captures.js';

/**
 * Realms from challenge header values. A local regex on purpose: the real WWW-Authenticate parser is someone
 * else's code, and this test is about what a realm means, not how it is parsed.
 */
function realmsIn(text: string): string[] {
  return [...text.matchAll(/\brealm="([^"]*)"/gi)].map((m) => m[1] ?? '');
}

function brief(match: RealmMatch): Partial<RealmMatch> {
  const out: Partial<RealmMatch> = { kind: match.kind };
  if (match.vendor) out.vendor = match.vendor;
  if (match.serial) out.serial = match.serial;
  if (match.model) out.model = match.model;
  if (match.mac) out.mac = match.mac;
  if (match.confidence) out.confidence = match.confidence;
  return out;
}

describe('matchRealm on every realm of the recog WWW-Authenticate examples', () => {
  const lines = readCaptureText('http-auth/recog-camera-WWW-Authenticate-header-values.txt')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));

  it('finds one realm per example', () => {
    expect(lines).toHaveLength(16);
    expect(lines.flatMap(realmsIn)).toHaveLength(16);
  });

  it('interprets each of them', () => {
    const results = lines.flatMap(realmsIn).map((realm) => [realm, brief(matchRealm(realm))]);
    expect(results).toEqual([
      ['DVR', { kind: 'unknown' }],
      ['hikvision', { kind: 'vendor-keyword', vendor: 'Hikvision', confidence: 'medium' }],
      ['Merit LILIN Ent. Co., Ltd,', { kind: 'vendor-keyword', vendor: 'LILIN', confidence: 'medium' }],
      ['Merit LILIN Ent. Co., Ltd.', { kind: 'vendor-keyword', vendor: 'LILIN', confidence: 'medium' }],
      ['camera', { kind: 'unknown' }],
      ['IPCamera Login', { kind: 'unknown' }],
      ['Mini Dome IP Camera', { kind: 'unknown' }],
      ['DCS-5222LB1', { kind: 'model', vendor: 'D-Link', model: 'DCS-5222LB1', confidence: 'medium' }],
      ['DCS-2530L', { kind: 'model', vendor: 'D-Link', model: 'DCS-2530L', confidence: 'medium' }],
      ['DCS-932LB1_BC', { kind: 'model', vendor: 'D-Link', model: 'DCS-932LB1_BC', confidence: 'medium' }],
      ['TP-LINK IP-Camera', { kind: 'vendor-keyword', vendor: 'TP-Link', confidence: 'medium' }],
      ['TiVo DVR', { kind: 'unknown' }],
      ['Orbit-351', { kind: 'unknown' }],
      // Lorex NR900 DVR: a Dahua OEM with Dahua's realm.
      ['Login to ND011811000000', { kind: 'dahua-login-to', vendor: 'Dahua', serial: 'ND011811000000', confidence: 'high' }],
      ["Use 'live' as User Name", { kind: 'vendor-keyword', vendor: 'Bosch', confidence: 'medium' }],
      ["Use 'live' as User Name in order to log in to the respective level", { kind: 'vendor-keyword', vendor: 'Bosch', confidence: 'medium' }],
    ]);
  });
});

describe('matchRealm on the RTSP captures', () => {
  it('every realm of every rtsp/ capture', () => {
    const results = listCaptures('rtsp')
      .filter((f) => !f.startsWith('recog-'))
      .flatMap((f) => realmsIn(readCaptureText(`rtsp/${f}`)).map((realm) => [f, realm, brief(matchRealm(realm))]));
    expect(results).toEqual([
      ['aiphone-ZePRO-DESCRIBE-401-cameradar-issue199.txt', 'Secret', { kind: 'unknown' }],
      [
        'axis-AXISOS-GStreamer-DESCRIBE-401-Kane610-axis.txt',
        'AXIS_ACCC8E012345',
        { kind: 'axis', vendor: 'Axis', serial: 'ACCC8E012345', mac: 'ac:cc:8e:01:23:45', confidence: 'high' },
      ],
      ['dahua-DVR-D12A163300000656-DESCRIBE-401-hydra-issue695.txt', 'Login to D12A163300000656', { kind: 'dahua-login-to', vendor: 'Dahua', serial: 'D12A163300000656', confidence: 'high' }],
      ['dahua-IPC-4K01FD2PAJ6E3FF-DESCRIBE-401-retina-issue62.txt', 'Login to 4K01FD2PAJ6E3FF', { kind: 'dahua-login-to', vendor: 'Dahua', serial: '4K01FD2PAJ6E3FF', confidence: 'high' }],
      ['generic-hisilicon-tcp-av0_0-DESCRIBE-401-cameradar-issue142-nonce-redacted.txt', 'RTSPD', { kind: 'unknown' }],
      ['hanwha-wisenet-iPOLiS-profile2-media.smp-DESCRIBE-401-cameradar-issue199.txt', 'iPOLiS', { kind: 'vendor-keyword', vendor: 'Hanwha', confidence: 'medium' }],
      // Hikvision sends a Digest and a Basic challenge with the same realm (docs/FIELD-NOTES.md §4).
      ['hikvision-IPC-C1214-DESCRIBE-401-exoplayer-issue9800-truncated.txt', 'IP Camera(C1214)', { kind: 'hikvision-ip-camera', vendor: 'Hikvision', confidence: 'high' }],
      ['hikvision-IPC-C1214-DESCRIBE-401-exoplayer-issue9800-truncated.txt', 'IP Camera(C1214)', { kind: 'hikvision-ip-camera', vendor: 'Hikvision', confidence: 'high' }],
      // Reolink's RTSP is LIVE555: a realm many products share.
      ['reolink-h264Preview-DESCRIBE-401-cameradar-issue213-nonce-redacted.txt', 'LIVE555 Streaming Media', { kind: 'unknown' }],
    ]);
  });
});

describe('matchRealm on the HTTP captures', () => {
  it('Axis AXIS_WS_<serial> (node-onvif issue 40): the serial is the MAC', () => {
    const headers = JSON.parse(readCaptureText('http-auth/axis-ACCC8E494578-onvif-cgi-jpg-401-headers-node-onvif-issue40.json')) as Record<string, string>;
    const [realm] = realmsIn(headers['www-authenticate'] ?? '');
    expect(realm).toBe('AXIS_WS_ACCC8E494578');
    expect(brief(matchRealm(realm))).toEqual({ kind: 'axis', vendor: 'Axis', serial: 'ACCC8E494578', mac: 'ac:cc:8e:49:45:78', confidence: 'high' });
  });

  it('old Dahua magicBox.cgi realm Device_CGI is a low-confidence hint', () => {
    const [realm] = realmsIn(readCaptureText('http-auth/dahua-IPC-HFW4300S-V2-fw2.420-magicBox-cgi-401-partial-rroller-issue583.txt'));
    expect(realm).toBe('Device_CGI');
    expect(brief(matchRealm(realm))).toEqual({ kind: 'vendor-keyword', vendor: 'Dahua', confidence: 'low' });
  });

  it('the Hikvision NVR hex realm: redacted with X by the reporter, so not claimed; its shape is a hex id', () => {
    const [realm] = realmsIn(readCaptureText('http-auth/hikvision-NVR-ERI-K104-P4-ISAPI-System-status-401-full-hikvision_next-issue50.txt'));
    expect(realm).toBe('fe12f37bdXXXXXbccbbd35f1');
    expect(matchRealm(realm).kind).toBe('unknown');
    // Same length and shape with the redaction filled in: a 24-digit hex id, Hikvision only as a low guess.
    const shape = realm!.replace(/X/g, '0');
    expect(brief(matchRealm(shape))).toEqual({ kind: 'hex-id', vendor: 'Hikvision', confidence: 'low' });
    expect(matchRealm(shape).reason).toContain('does not prove Hikvision');
  });
});

describe('matchRealm on the docs/FIELD-NOTES.md §4 forms and the simulator fleet', () => {
  it.each([
    ['DS-2CD2310FD-I', { kind: 'hikvision-model', vendor: 'Hikvision', model: 'DS-2CD2310FD-I', confidence: 'high' }],
    ['DS-2CD2032-I', { kind: 'hikvision-model', vendor: 'Hikvision', model: 'DS-2CD2032-I', confidence: 'high' }],
    ['IP Camera(C2183)', { kind: 'hikvision-ip-camera', vendor: 'Hikvision', confidence: 'high' }],
    ['a1b2c3d4e5f60718293a4b5c', { kind: 'hex-id', vendor: 'Hikvision', confidence: 'low' }],
    ['Login to 6G0A1B2PAZ12345', { kind: 'dahua-login-to', vendor: 'Dahua', serial: '6G0A1B2PAZ12345', confidence: 'high' }],
    ['Login to 9d1c1f6a7e8d4c2b0a1f3e5d7c9b2a4e', { kind: 'dahua-login-to', vendor: 'Dahua', confidence: 'high' }],
    ['AXIS_ACCC8E123404', { kind: 'axis', vendor: 'Axis', serial: 'ACCC8E123404', mac: 'ac:cc:8e:12:34:04', confidence: 'high' }],
    ['axis_ws_accc8e123404', { kind: 'axis', vendor: 'Axis', serial: 'ACCC8E123404', mac: 'ac:cc:8e:12:34:04', confidence: 'high' }],
    ['IPCAM', { kind: 'unknown' }],
  ])('%j', (realm, expected) => {
    expect(brief(matchRealm(realm))).toEqual(expected);
  });

  it('a Dahua hash realm carries no serial and says why', () => {
    const match = matchRealm('Login to 9d1c1f6a7e8d4c2b0a1f3e5d7c9b2a4e');
    expect(match.serial).toBeNull();
    expect(match.reason).toContain('hash');
  });
});

describe('matchRealm on hostile or odd input', () => {
  it.each([
    [''],
    ['   '],
    ['Login to'],
    ['Login to two words'],
    ['IP Camera()'],
    ['AXIS_ACCC8E12345G'],
    ['0123456789abcde'],
    ['x'.repeat(1000)],
    [`Login to ${'A'.repeat(300)}`],
  ])('%j is not over-interpreted', (realm) => {
    const match = matchRealm(realm);
    expect(match.serial).toBeNull();
    expect(match.mac).toBeNull();
    expect(['unknown', 'vendor-keyword']).toContain(match.kind);
  });

  it('does not throw on non-strings', () => {
    expect(matchRealm(null).kind).toBe('unknown');
    expect(matchRealm(undefined).kind).toBe('unknown');
    expect(matchRealm(5 as unknown as string).kind).toBe('unknown');
  });

  it('a serial with punctuation is not passed on as a serial', () => {
    expect(matchRealm('Login to ABC/../123')).toMatchObject({ kind: 'dahua-login-to', serial: null });
  });
});
