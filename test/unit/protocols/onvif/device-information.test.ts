import { describe, it, expect } from 'vitest';
import { thrownBy } from '../../../support/errors.js';
import { listCaptures, readCapture } from '../../../support/captures.js';
import { OnvifDecodeError, parseDeviceInformation, parseOnvifAuthFault } from '../../../../src/protocols/onvif/index.js';
import type { OnvifDeviceInformation } from '../../../../src/protocols/onvif/index.js';

const dir = 'onvif-device';

const errorOf = (fn: () => unknown): OnvifDecodeError => thrownBy(fn, OnvifDecodeError);

describe('parseDeviceInformation on every capture', () => {
  const cases: Record<string, OnvifDeviceInformation> = {
    'axis-Q6045-E-fw5.55-GetDeviceInformationResponse-onvif-nvt.xml': {
      manufacturer: 'AXIS',
      model: 'AXIS Q6045-E',
      firmwareVersion: '5.55.1.2',
      serialNumber: '00408CFAB754',
      hardwareId: '1C9.2',
    },
    'hikvision-DS-2CD2012-I-V5.2.0-GetDeviceInformationResponse-onvif-nvt.xml': {
      manufacturer: 'HIKVISION',
      model: 'DS-2CD2012-I',
      firmwareVersion: 'V5.2.0 build 140721',
      serialNumber: 'DS-2CD2012-I20150201CCWR501088621',
      hardwareId: '88',
    },
    'hikvision-DS-2DF7276-AEL-V5.1.6-GetDeviceInformationResponse-onvif-nvt.xml': {
      manufacturer: 'HIKVISION',
      model: 'DS-2DF7276-AEL',
      firmwareVersion: 'V5.1.6 build 140401',
      serialNumber: 'DS-2DF7276-AEL20140613CCWR468714298B',
      hardwareId: '88',
    },
    'pelco-D6230L-GetDeviceInformationResponse-onvif-nvt.xml': {
      manufacturer: 'Pelco',
      model: 'D6230L',
      firmwareVersion: '2.9.0.4.9340-A0.0',
      serialNumber: 'J250117',
      hardwareId: '00:04:7d:0e:b8:5c',
    },
    'trendnet-TV-IP320PI-hikOEM-GetDeviceInformationResponse-onvif-nvt.xml': {
      manufacturer: 'TRENDnet',
      model: 'TV-IP320PI',
      firmwareVersion: 'V5.3.4 build 160830',
      serialNumber: 'TV-IP320PI20161206AAWR863642784',
      hardwareId: '88',
    },
  };

  it('covers every GetDeviceInformation response capture', () => {
    expect(listCaptures(dir).filter((f) => f.includes('GetDeviceInformationResponse'))).toEqual(Object.keys(cases).sort());
  });

  for (const [file, expected] of Object.entries(cases)) {
    it(file, () => {
      expect(parseDeviceInformation(readCapture(`${dir}/${file}`))).toEqual(expected);
    });
  }

  it('Trendnet without credentials: soap-fault NotAuthorized, read by parseOnvifAuthFault as not-authorized', () => {
    const error = errorOf(() => parseDeviceInformation(readCapture(`${dir}/trendnet-TV-IP320PI-hikOEM-GetDeviceInformation-fault-NotAuthorized-onvif-nvt.xml`)));
    expect(error.code).toBe('soap-fault');
    expect(error.name).toBe('OnvifDecodeError');
    expect(error.fault).toEqual({
      code: 'Sender',
      subcodes: ['NotAuthorized'],
      reason: 'The action requested requires authorization and the sender is not authorized',
    });
    expect(parseOnvifAuthFault(error.fault!)).toEqual({ kind: 'not-authorized', remainingAttempts: null });
  });
});

describe('parseDeviceInformation edge cases', () => {
  const wrap = (inner: string): string => `<e:Envelope><e:Body><tds:GetDeviceInformationResponse>${inner}</tds:GetDeviceInformationResponse></e:Body></e:Envelope>`;

  it('omits empty and absurd fields, decodes entities, strips control characters', () => {
    expect(
      parseDeviceInformation(wrap(`<tds:Manufacturer> </tds:Manufacturer><tds:Model>A&amp;B&#x9;C</tds:Model><tds:SerialNumber>${'9'.repeat(300)}</tds:SerialNumber><tds:HardwareId>x&#1;y</tds:HardwareId>`)),
    ).toEqual({ model: 'A&B C', hardwareId: 'x y' });
  });

  it('names a response to another operation and malformed XML', () => {
    expect(errorOf(() => parseDeviceInformation(readCapture(`${dir}/pelco-D6230L-GetSystemDateAndTimeResponse-onvif-nvt.xml`))).code).toBe('unexpected-response');
    expect(errorOf(() => parseDeviceInformation(wrap('<tds:Model>x</tds:Manufacturer>'))).code).toBe('xml-malformed');
    expect(errorOf(() => parseDeviceInformation('<html/>')).code).toBe('not-soap');
  });
});
