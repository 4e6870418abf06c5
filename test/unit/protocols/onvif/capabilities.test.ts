import { describe, it, expect } from 'vitest';
import { thrownBy } from '../../../support/errors.js';
import { listCaptures, readCapture } from '../../../support/captures.js';
import { OnvifDecodeError, parseCapabilities, parseServices } from '../../../../src/protocols/onvif/index.js';

const dir = 'onvif-device';

const errorOf = (fn: () => unknown): OnvifDecodeError => thrownBy(fn, OnvifDecodeError);

describe('parseCapabilities', () => {
  it('covers every GetCapabilities capture', () => {
    expect(listCaptures(dir).filter((f) => f.includes('GetCapabilities'))).toEqual([
      'axis-Q6045-E-fw5.55-GetCapabilitiesResponse-onvif-nvt.xml',
      'dahua-GetCapabilitiesResponse-go2rtc.xml',
      'hikvision-DS-2DF7276-AEL-V5.1.6-GetCapabilitiesResponse-onvif-nvt.xml',
    ]);
  });

  it('Axis Q6045-E: media, events and PTZ share one endpoint; no imaging or analytics', () => {
    expect(parseCapabilities(readCapture(`${dir}/axis-Q6045-E-fw5.55-GetCapabilitiesResponse-onvif-nvt.xml`))).toEqual({
      deviceXAddr: 'http://192.168.0.19/onvif/device_service',
      eventsXAddr: 'http://192.168.0.19/onvif/services',
      mediaXAddr: 'http://192.168.0.19/onvif/services',
      ptzXAddr: 'http://192.168.0.19/onvif/services',
    });
  });

  it('Dahua: DeviceIO under Extension, no PTZ', () => {
    expect(parseCapabilities(readCapture(`${dir}/dahua-GetCapabilitiesResponse-go2rtc.xml`))).toEqual({
      analyticsXAddr: 'http://192.168.1.123/onvif/analytics_service',
      deviceXAddr: 'http://192.168.1.123/onvif/device_service',
      eventsXAddr: 'http://192.168.1.123/onvif/event_service',
      imagingXAddr: 'http://192.168.1.123/onvif/imaging_service',
      mediaXAddr: 'http://192.168.1.123/onvif/media_service',
      deviceIOXAddr: 'http://192.168.1.123/onvif/deviceIO_service',
    });
  });

  it('Hikvision DS-2DF7276-AEL: the hikCapabilities extension is reported as a vendor extension', () => {
    expect(parseCapabilities(readCapture(`${dir}/hikvision-DS-2DF7276-AEL-V5.1.6-GetCapabilitiesResponse-onvif-nvt.xml`))).toEqual({
      analyticsXAddr: 'http://10.10.1.60/onvif/Analytics',
      deviceXAddr: 'http://10.10.1.60/onvif/device_service',
      eventsXAddr: 'http://10.10.1.60/onvif/Events',
      imagingXAddr: 'http://10.10.1.60/onvif/Imaging',
      mediaXAddr: 'http://10.10.1.60/onvif/Media',
      ptzXAddr: 'http://10.10.1.60/onvif/PTZ',
      deviceIOXAddr: 'http://10.10.1.60/onvif/DeviceIO',
      vendorExtensions: { hikCapabilities: 'http://10.10.1.60/onvif/hik_ext' },
    });
  });

  it('a fault becomes a soap-fault error carrying the fault', () => {
    const error = errorOf(() => parseCapabilities(readCapture(`${dir}/trendnet-TV-IP320PI-hikOEM-GetDeviceInformation-fault-NotAuthorized-onvif-nvt.xml`)));
    expect(error.code).toBe('soap-fault');
    expect(error.fault).toMatchObject({ code: 'Sender', subcodes: ['NotAuthorized'] });
  });

  it('another operation\'s response is unexpected', () => {
    expect(errorOf(() => parseCapabilities(readCapture(`${dir}/dahua-GetStreamUriResponse-go2rtc.xml`))).code).toBe('unexpected-response');
  });

  it('skips empty, spaced or over-long XAddrs', () => {
    const xml = `<e:Envelope><e:Body><tds:GetCapabilitiesResponse><tds:Capabilities><tt:Device><tt:XAddr> </tt:XAddr></tt:Device><tt:Media><tt:XAddr>http://a http://b</tt:XAddr></tt:Media><tt:PTZ><tt:XAddr>http://${'x'.repeat(3000)}</tt:XAddr></tt:PTZ><tt:Events><tt:XAddr> http://192.0.2.1/e </tt:XAddr></tt:Events></tds:Capabilities></tds:GetCapabilitiesResponse></e:Body></e:Envelope>`;
    expect(parseCapabilities(xml)).toEqual({ eventsXAddr: 'http://192.0.2.1/e' });
  });
});

describe('parseServices', () => {
  it('Hikvision DS-2DF7276-AEL: seven services at version 2.10 (nested Capabilities ignored)', () => {
    const services = parseServices(readCapture(`${dir}/hikvision-DS-2DF7276-AEL-V5.1.6-GetServicesResponse-onvif-nvt.xml`));
    expect(services.map((s) => s.namespace)).toEqual([
      'http://www.onvif.org/ver10/device/wsdl',
      'http://www.onvif.org/ver10/media/wsdl',
      'http://www.onvif.org/ver10/events/wsdl',
      'http://www.onvif.org/ver20/ptz/wsdl',
      'http://www.onvif.org/ver20/imaging/wsdl',
      'http://www.onvif.org/ver10/deviceIO/wsdl',
      'http://www.onvif.org/ver20/analytics/wsdl',
    ]);
    expect(services[1]).toEqual({ namespace: 'http://www.onvif.org/ver10/media/wsdl', xaddr: 'http://10.10.1.60/onvif/Media', version: '2.10' });
    expect(new Set(services.map((s) => s.version))).toEqual(new Set(['2.10']));
  });

  it('Pelco D6230L: 22 services including Pelco\'s own namespaces', () => {
    const services = parseServices(readCapture(`${dir}/pelco-D6230L-GetServicesResponse-onvif-nvt.xml`));
    expect(services).toHaveLength(22);
    expect(services[0]).toEqual({ namespace: 'http://www.onvif.org/ver10/device/wsdl', xaddr: 'http://10.10.1.66/onvif/device_service', version: '2.50' });
    expect(services.find((s) => s.namespace === 'http://www.onvif.org/ver10/advancedsecurity/wsdl')).toEqual({
      namespace: 'http://www.onvif.org/ver10/advancedsecurity/wsdl',
      xaddr: 'http://10.10.1.66/onvif/security_service',
      version: '16.10',
    });
    expect(services.filter((s) => s.namespace.startsWith('urn:schemas-pelco-com:'))).toHaveLength(11);
    expect(services.at(-1)).toEqual({ namespace: 'urn:schemas-pelco-com:onvif:led:1', xaddr: 'http://10.10.1.66/onvif/device_service', version: '1.0' });
  });

  it('Axis Q6045-E (fw 5.55) refuses GetServices: Receiver / ter:Action', () => {
    const error = errorOf(() => parseServices(readCapture(`${dir}/axis-Q6045-E-fw5.55-GetServices-fault-Receiver-ter-Action-onvif-nvt.xml`)));
    expect(error.code).toBe('soap-fault');
    expect(error.fault).toEqual({ code: 'Receiver', subcodes: ['Action'], reason: 'Action failed', detail: 'The requested SOAP action failed' });
  });

  it('Hikvision DS-2DF7276-AEL GetServices fault: InvalidArgVal / InvalidParameter', () => {
    const error = errorOf(() => parseServices(readCapture(`${dir}/hikvision-DS-2DF7276-AEL-GetServices-fault-InvalidArgVal-onvif-nvt.xml`)));
    expect(error.code).toBe('soap-fault');
    expect(error.fault?.subcodes).toEqual(['InvalidArgVal', 'InvalidParameter']);
  });

  it('skips incomplete entries, omits an unreadable version, and is bounded', () => {
    const entry = (ns: string, x: string, version = ''): string => `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${x}</tds:XAddr>${version}</tds:Service>`;
    const xml = `<e:Envelope><e:Body><tds:GetServicesResponse>${entry('', 'http://a/')}${entry('urn:x', '')}${entry('urn:y', 'http://y/', '<tds:Version><tt:Major>two</tt:Major><tt:Minor>0</tt:Minor></tds:Version>')}${entry('urn:z', 'http://z/').repeat(300)}</tds:GetServicesResponse></e:Body></e:Envelope>`;
    const services = parseServices(xml);
    expect(services[0]).toEqual({ namespace: 'urn:y', xaddr: 'http://y/' });
    expect(services).toHaveLength(128);
  });
});
