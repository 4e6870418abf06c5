import { describe, expect, it } from 'vitest';
import { matchServerHeader, type ServerMatch } from '../../../../src/fingerprint/matchers/server-header.js';
import { listCaptures, readCaptureText } from '../../../support/captures.js';

function exampleValues(file: string): string[] {
  return readCaptureText(file)
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

function brief(match: ServerMatch): string {
  return `${match.vendor ?? '-'}/${match.confidence ?? '-'}${match.upnp ? '/upnp' : ''}`;
}

describe('matchServerHeader on the recog HTTP Server examples', () => {
  it('interprets every example; the Orbit and Axis ones are SSDP SERVER strings, as recog notes', () => {
    const values = exampleValues('http-auth/recog-camera-HTTP-Server-header-values.txt');
    expect(values.map((v) => [v, brief(matchServerHeader(v))])).toEqual([
      ['ReeCam IP Camera', 'ReeCam/medium'],
      ['Netwave IP Camera', '-/-'],
      ['camera', '-/-'],
      ['IPCamera Login', '-/-'],
      ['Mini Dome IP Camera', '-/-'],
      ['VCS-VIDOS-NVR', 'Bosch/medium'],
      ['FUHO-DVR', 'FUHO/medium'],
      ['Cross Web Server', '-/-'],
      ['Hikvision-Webs', 'Hikvision/high'],
      ['DVRDVS-Webs', 'Hikvision/high'],
      ['DNVRS-Webs', 'Hikvision/high'],
      ['tivo-httpd-1:20.7.4.RC35-D18-6:D18', 'TiVo/medium'],
      ['alphapd/2.1.8', 'D-Link/medium'],
      ['Linux/2.6.28.9-Mozart-8G, UPnP/1.0, Portable SDK for UPnP devices/1.6.6', '-/-/upnp'],
      ['Linux/4.9.94-axis5, UPnP/1.0, Portable SDK for UPnP devices/1.6.22', 'Axis/high/upnp'],
      ['MWS 0.01', 'ANNKE/low'],
      ['ev-compat', 'Pelco/medium'],
    ]);
  });

  it('names the generic servers as such', () => {
    expect(matchServerHeader('Cross Web Server').reason).toContain('generic');
    expect(matchServerHeader('Netwave IP Camera').reason).toContain('generic');
    expect(matchServerHeader('Linux/2.6.28.9-Mozart-8G, UPnP/1.0, Portable SDK for UPnP devices/1.6.6').product).toBe('Portable SDK for UPnP devices');
  });
});

describe('matchServerHeader on the recog RTSP Server examples', () => {
  it('interprets every example', () => {
    const values = exampleValues('rtsp/recog-camera-RTSP-Server-header-values.txt');
    expect(values.map((v) => [v, brief(matchServerHeader(v))])).toEqual([
      ['Hipcam RealServer/V1.0', '-/-'],
      ['Dahua Rtsp Server', 'Dahua/high'],
      ['HiIpcam/V100R003 VodServer/1.0.0', 'Foscam/low'],
      ['Indigo-Security/1.0', 'Indigo Security/medium'],
      ['AvigilonOnvifNvt/2.6.0.130', 'Avigilon/high'],
      // recog: Sony. Only a low hint: the same Ze-PRO server answers on an Aiphone intercom (rtsp/aiphone-*).
      ['Linux/2.6.35.14_nl-xarina+ Ze-PRO', 'Sony/low'],
    ]);
  });
});

describe('matchServerHeader on the Server headers of real exchanges', () => {
  function serverHeaders(text: string): string[] {
    return [...text.matchAll(/^Server:[ \t]*(.*?)\r?$/gim)].map((m) => m[1] ?? '');
  }

  it('every Server header of the rtsp/ captures', () => {
    const found = listCaptures('rtsp')
      .filter((f) => !f.startsWith('recog-'))
      .flatMap((f) => serverHeaders(readCaptureText(`rtsp/${f}`)).map((server) => [f, server, brief(matchServerHeader(server))]));
    expect(found).toEqual([
      ['aiphone-ZePRO-DESCRIBE-401-cameradar-issue199.txt', 'Linux/2.6.32.17-davinci1 Ze-PRO', '-/-'],
      ['axis-AXISOS-GStreamer-DESCRIBE-401-Kane610-axis.txt', 'GStreamer RTSP server', 'Axis/low'],
      ['axis-AXISOS-GStreamer-OPTIONS-200-Kane610-axis.txt', 'GStreamer RTSP server', 'Axis/low'],
    ]);
  });

  it('the Hikvision NVR 401 and the Axis 401 (Apache says nothing)', () => {
    const [nvr] = serverHeaders(readCaptureText('http-auth/hikvision-NVR-ERI-K104-P4-ISAPI-System-status-401-full-hikvision_next-issue50.txt'));
    expect(nvr).toBe('DNVRS-Webs');
    expect(matchServerHeader(nvr)).toMatchObject({ vendor: 'Hikvision', product: 'DNVRS-Webs', confidence: 'high', upnp: false });
    const axis = (JSON.parse(readCaptureText('http-auth/axis-ACCC8E494578-onvif-cgi-jpg-401-headers-node-onvif-issue40.json')) as Record<string, string>)['server'];
    expect(axis).toBe('Apache/2.4.27 (Unix) OpenSSL/1.0.2k');
    expect(matchServerHeader(axis)).toMatchObject({ vendor: null, product: 'Apache', confidence: null });
  });

  it('SSDP SERVER strings: Axis kernel tag, Dahua UPnP SDK, and a generic libupnp', () => {
    const ha = JSON.parse(readCaptureText('axis/axis-M1065-LW-ssdp-and-upnp-description-parsed-ha.json')) as Record<string, string>;
    expect(brief(matchServerHeader(ha['server']))).toBe('Axis/high/upnp');
    const dahua = readCaptureText('upnp/dahua-ssdp-search-responses-ha-issue46822.jsonl')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as Record<string, string>)['SERVER'] ?? '');
    expect(new Set(dahua)).toEqual(new Set(['Linux/3.8.8, UPnP/1.0, ZheJiang Dahua Technology CO.,LTD. Upnp SDK']));
    expect(brief(matchServerHeader(dahua[0]))).toBe('Dahua/high/upnp');
    const [m1014] = serverHeaders(readCaptureText('upnp/axis-M1014-ssdp-MSEARCH-200-response-axis-discovery-ssdp-js.txt'));
    expect(m1014).toBe('Linux/2.6.35, UPnP/1.0, Portable SDK for UPnP devices/1.6.18');
    // A 2016 Axis M1014 with a stock kernel string: nothing in it says Axis.
    expect(brief(matchServerHeader(m1014))).toBe('-/-/upnp');
  });
});

describe('matchServerHeader on the docs/FIELD-NOTES.md §4 forms', () => {
  it.each([
    ['Webs', 'Hikvision/medium'],
    ['App-webs/', 'Hikvision/high'],
    ['DNVRS-Webs', 'Hikvision/high'],
    ['Rtsp Server/3.0', 'Dahua/medium'],
    ['lighttpd', '-/-'],
    ['lighttpd/1.4.35', '-/-'],
    ['GoAhead-Webs', '-/-'],
    ['nginx', '-/-'],
  ])('%j → %s', (server, expected) => {
    expect(brief(matchServerHeader(server))).toBe(expected);
  });

  it('reports the product name', () => {
    expect(matchServerHeader('App-webs/').product).toBe('App-webs');
    expect(matchServerHeader('lighttpd/1.4.35').product).toBe('lighttpd');
  });
});

describe('matchServerHeader on hostile input', () => {
  it('does not throw and says nothing on empty, non-string or absurdly long values', () => {
    for (const value of ['', '   ', null, undefined, 9 as unknown as string, `App-webs/${'x'.repeat(500)}`]) {
      expect(matchServerHeader(value)).toMatchObject({ vendor: null, confidence: null });
    }
  });

  it('stays fast on a long run of commas and spaces (no catastrophic backtracking)', () => {
    const value = `${'a, '.repeat(80)}UPnP`;
    const started = performance.now();
    matchServerHeader(value);
    expect(performance.now() - started).toBeLessThan(250);
  });
});
