import { describe, expect, it } from 'vitest';
import { getProfilesBody, getStreamUriBody, parseGetProfiles, parseGetStreamUri, parseServices, pickMediaService, ONVIF_MEDIA2_NAMESPACE } from '../../../../src/protocols/onvif/index.js';
import { parseXml } from '../../../../src/protocols/xml/parse-xml.js';
import { readCaptureText } from '../../../support/captures.js';

describe('ONVIF Media / Media2 codecs', () => {
  it('reads the profile tokens of a Media ver10 GetProfilesResponse in order, skipping one without a token', () => {
    const profiles = parseGetProfiles(readCaptureText('synthetic-format-references/onvif-media-GetProfilesResponse-from-media-wsdl.xml'));
    expect(profiles).toEqual([
      { token: 'Profile_1', name: 'mainStream' },
      { token: 'Profile_2', name: 'subStream' },
    ]);
  });

  it('reads Media2 profiles (Name in the media2 namespace)', () => {
    expect(parseGetProfiles(readCaptureText('synthetic-format-references/onvif-media2-GetProfilesResponse-from-media2-wsdl.xml')).map((p) => p.token)).toEqual(['PROFILE_000', 'PROFILE_001']);
  });

  it('reads the URI of captured ver10 GetStreamUri answers (Dahua via go2rtc, Tapo via EdgeX), entities decoded', () => {
    expect(parseGetStreamUri(readCaptureText('onvif-device/dahua-GetStreamUriResponse-go2rtc.xml'))).toBe('rtsp://192.168.1.123:554/cam/realmonitor?channel=1&subtype=1&unicast=true&proto=Onvif');
    expect(parseGetStreamUri(readCaptureText('onvif-device/tplink-tapo-C200-GetStreamUriResponse-edgex.xml'))).toBe('rtsp://192.168.12.128:554/stream1');
  });

  it('reads a Media2 GetStreamUri answer (Uri without MediaUri)', () => {
    expect(parseGetStreamUri(readCaptureText('synthetic-format-references/onvif-media2-GetStreamUriResponse-from-media2-wsdl.xml'))).toBe('rtsp://192.0.2.77:554/Streaming/Channels/101?transportmode=unicast&profile=Profile_1');
  });

  it('throws the fault when the device answers one', () => {
    expect(() => parseGetProfiles(readCaptureText('onvif-device/hikvision-DS-2DF7276-AEL-GetServices-fault-InvalidArgVal-onvif-nvt.xml'))).toThrow(/fault/);
  });

  it('builds requests that name their namespace and ask RTP-Unicast over RTSP (ver10) or Protocol RTSP (ver20), token escaped', () => {
    const ver10 = parseXml(getStreamUriBody('media', 'a<b'));
    expect(ver10.name).toBe('GetStreamUri');
    expect(getStreamUriBody('media', 'a<b')).toContain('<tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol>');
    expect(getStreamUriBody('media', 'a<b')).toContain('<trt:ProfileToken>a&lt;b</trt:ProfileToken>');
    expect(getStreamUriBody('media2', 'P1')).toBe(`<tr2:GetStreamUri xmlns:tr2="${ONVIF_MEDIA2_NAMESPACE}"><tr2:Protocol>RTSP</tr2:Protocol><tr2:ProfileToken>P1</tr2:ProfileToken></tr2:GetStreamUri>`);
    expect(getProfilesBody('media')).toContain('http://www.onvif.org/ver10/media/wsdl');
  });

  it('picks Media ver10 from a captured GetServices (Pelco), Media2 only when that is all there is', () => {
    const pelco = parseServices(readCaptureText('onvif-device/pelco-D6230L-GetServicesResponse-onvif-nvt.xml'));
    expect(pickMediaService(pelco)).toEqual({ version: 'media', xaddr: 'http://10.10.1.66/onvif/media_service' });
    expect(pickMediaService([{ namespace: ONVIF_MEDIA2_NAMESPACE, xaddr: 'http://x/m2' }])).toEqual({ version: 'media2', xaddr: 'http://x/m2' });
    expect(pickMediaService([{ namespace: 'http://www.onvif.org/ver10/events/wsdl', xaddr: 'http://x/e' }])).toBeNull();
  });
});
