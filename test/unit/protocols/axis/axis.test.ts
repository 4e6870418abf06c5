import { describe, it, expect } from 'vitest';
import { readCapture, readCaptureText } from '../../../support/captures.js';
import {
  AxisDecodeError,
  MAX_AXIS_JSON_BYTES,
  MAX_PARAM_CGI_BYTES,
  buildBasicDeviceInfoRequest,
  parseBasicDeviceInfo,
  parseParamCgi,
} from '../../../../src/protocols/axis/axis.js';

function decodeErrorOf(run: () => unknown): AxisDecodeError {
  try {
    run();
  } catch (error) {
    if (error instanceof AxisDecodeError) return error;
    throw error;
  }
  throw new Error('expected an AxisDecodeError');
}

describe('buildBasicDeviceInfoRequest', () => {
  it('asks only for the unrestricted properties (anonymous on AXIS OS 8.40+)', () => {
    expect(buildBasicDeviceInfoRequest()).toBe('{"apiVersion":"1.0","method":"getAllUnrestrictedProperties"}');
  });
});

describe('parseBasicDeviceInfo', () => {
  it('reads the M1065-LW capture', () => {
    expect(parseBasicDeviceInfo(readCapture('axis/axis-M1065-LW-basicdeviceinfo-getAllProperties.json'))).toEqual({
      apiVersion: '1.1',
      brand: 'AXIS',
      prodNbr: 'M1065-LW',
      prodFullName: 'AXIS M1065-LW Network Camera',
      prodShortName: 'AXIS M1065-LW',
      prodType: 'Network Camera',
      version: '9.80.1',
      serialNumber: 'ACCC12345678',
      mac: 'ac:cc:12:34:56:78',
      architecture: 'armv7hf',
      soc: 'Ambarella S2L (Flattened Device Tree)',
      hardwareId: '70E',
      buildDate: 'Apr 29 2020 06:50',
    });
  });

  it('agrees with the same camera\'s param.cgi Brand group', () => {
    const info = parseBasicDeviceInfo(readCaptureText('axis/axis-M1065-LW-basicdeviceinfo-getAllProperties.json'));
    const brand = parseParamCgi(readCaptureText('axis/axis-M1065-LW-param-cgi-Brand.txt'));
    expect(info.brand).toBe(brand['root.Brand.Brand']);
    expect(info.prodNbr).toBe(brand['root.Brand.ProdNbr']);
    expect(info.prodFullName).toBe(brand['root.Brand.ProdFullName']);
    expect(info.prodShortName).toBe(brand['root.Brand.ProdShortName']);
    expect(info.prodType).toBe(brand['root.Brand.ProdType']);
  });

  it('returns the VAPIX error object instead of data', () => {
    expect(parseBasicDeviceInfo('{"apiVersion":"1.0","method":"getAllUnrestrictedProperties","error":{"code":2002,"message":"Method not supported."}}')).toEqual({
      apiVersion: '1.0',
      error: { code: 2002, message: 'Method not supported.' },
    });
  });

  it('reads only string properties, trimmed and bounded, and no MAC from a serial that is not one', () => {
    const info = parseBasicDeviceInfo(JSON.stringify({
      data: { propertyList: { Brand: ' AXIS ', ProdNbr: 42, Version: null, SerialNumber: 'not-a-mac', ProdFullName: 'x'.repeat(1000), Soc: '' } },
    }));
    expect(info).toEqual({ brand: 'AXIS', serialNumber: 'not-a-mac', prodFullName: 'x'.repeat(256) });
  });

  it('reads nothing through prototypes', () => {
    const info = parseBasicDeviceInfo('{"data":{"propertyList":{"__proto__":{"Brand":"polluted"}}},"__proto__":{"apiVersion":"x"}}');
    expect(info).toEqual({});
    expect(({} as Record<string, unknown>)['Brand']).toBeUndefined();
  });

  it('names its failures', () => {
    expect(decodeErrorOf(() => parseBasicDeviceInfo('<html>401</html>')).code).toBe('axis-malformed');
    expect(decodeErrorOf(() => parseBasicDeviceInfo('[1,2]')).code).toBe('axis-malformed');
    expect(decodeErrorOf(() => parseBasicDeviceInfo('null')).code).toBe('axis-malformed');
    expect(decodeErrorOf(() => parseBasicDeviceInfo('')).code).toBe('axis-malformed');
    expect(decodeErrorOf(() => parseBasicDeviceInfo(`{"a":"${'x'.repeat(MAX_AXIS_JSON_BYTES)}"}`)).code).toBe('axis-too-large');
  });
});

describe('parseParamCgi', () => {
  it('reads the M1065-LW Brand group, keeping an empty value and a last line without newline', () => {
    const params = parseParamCgi(readCapture('axis/axis-M1065-LW-param-cgi-Brand.txt'));
    expect({ ...params }).toEqual({
      'root.Brand.Brand': 'AXIS',
      'root.Brand.ProdFullName': 'AXIS M1065-LW Network Camera',
      'root.Brand.ProdNbr': 'M1065-LW',
      'root.Brand.ProdShortName': 'AXIS M1065-LW',
      'root.Brand.ProdType': 'Network Camera',
      'root.Brand.ProdVariant': '',
      'root.Brand.WebURL': 'http://www.axis.com',
    });
  });

  it('reads the M3024-L firmware 5.51 Brand group', () => {
    const params = parseParamCgi(readCaptureText('axis/axis-M3024-L-fw5.51-param-cgi-Brand.txt'));
    expect(Object.keys(params)).toHaveLength(6);
    expect(params['root.Brand.ProdNbr']).toBe('M3024-L');
    expect(params['root.Brand.ProdFullName']).toBe('AXIS M3024-L Network Camera');
    expect(params['root.Brand.WebURL']).toBe('http://www.axis.com/');
  });

  it('reads the firmware 9.10.1 Properties group', () => {
    const params = parseParamCgi(readCapture('axis/axis-fw9.10.1-param-cgi-Properties.txt'));
    expect(Object.keys(params)).toHaveLength(12);
    expect(params['root.Properties.Firmware.Version']).toBe('9.10.1');
    expect(params['root.Properties.Firmware.BuildDate']).toBe('Feb 15 2019 09:42');
    expect(params['root.Properties.System.SerialNumber']).toBe('00408C123456');
    expect(params['root.Properties.Image.Resolution']).toBe('1920x1080,1280x960,1280x720,1024x768,1024x576,800x600,640x480,640x360,352x240,320x240');
  });

  it('keeps "=" inside values, accepts CRLF, skips error and junk lines, first key wins', () => {
    const params = parseParamCgi('# Error: Error -1 getting param in group \'Nope\'\r\nroot.A=x=y\r\nnot a param\r\n=orphan\r\nroot.A=second\r\n\r\nroot.B=b\r\n');
    expect({ ...params }).toEqual({ 'root.A': 'x=y', 'root.B': 'b' });
  });

  it('treats __proto__ as an ordinary key', () => {
    const params = parseParamCgi('__proto__=polluted\nroot.X=1');
    expect(Object.hasOwn(params, '__proto__')).toBe(true);
    expect(params['__proto__']).toBe('polluted');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('bounds the input and the number of entries', () => {
    expect(decodeErrorOf(() => parseParamCgi('a'.repeat(MAX_PARAM_CGI_BYTES + 1))).code).toBe('axis-too-large');
    const many = Array.from({ length: 5000 }, (_, i) => `root.P${i}=${i}`).join('\n');
    expect(Object.keys(parseParamCgi(many))).toHaveLength(4096);
  });
});
