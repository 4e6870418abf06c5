import { describe, it, expect } from 'vitest';
import { listCaptures, readCapture } from '../../../support/captures.js';
import { SsdpDecodeError } from '../../../../src/protocols/ssdp/ssdp.js';
import { MAX_DESCRIPTION_BYTES, parseDeviceDescription } from '../../../../src/protocols/ssdp/upnp-description.js';

function decodeErrorOf(input: string): SsdpDecodeError {
  try {
    parseDeviceDescription(input);
  } catch (error) {
    if (error instanceof SsdpDecodeError) return error;
    throw error;
  }
  throw new Error('expected an SsdpDecodeError');
}

describe('parseDeviceDescription on captures', () => {
  it('every description capture has a manufacturer, a model and a serial that is the UDN tail', () => {
    const files = listCaptures('upnp').filter((f) => f.endsWith('.xml'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const description = parseDeviceDescription(readCapture(`upnp/${file}`));
      expect(description.manufacturer).toBe('AXIS');
      expect(description.modelName).toMatch(/^AXIS /);
      expect(description.serialNumber).toMatch(/^[0-9A-F]{12}$/);
      expect(description.udn?.endsWith(description.serialNumber!)).toBe(true);
    }
  });

  it('Axis M1014 (lines joined with spaces)', () => {
    expect(parseDeviceDescription(readCapture('upnp/axis-M1014-upnp-rootdesc1-axis-discovery-ssdp-js-linejoined.xml'))).toEqual({
      deviceType: 'urn:schemas-upnp-org:device:Basic:1',
      friendlyName: 'AXIS M1014 - ACCC8E270AD8',
      manufacturer: 'AXIS',
      modelName: 'AXIS M1014',
      modelNumber: 'M1014',
      modelDescription: 'AXIS M1014 Fixed Network Camera',
      serialNumber: 'ACCC8E270AD8',
      udn: 'uuid:Upnp-BasicDevice-1_0-ACCC8E270AD8',
      presentationUrl: 'http://192.168.1.102:80/',
      urlBase: 'http://192.168.1.102:51578/',
    });
  });

  it('Axis P3301 (URLBase after </device>)', () => {
    expect(parseDeviceDescription(readCapture('upnp/axis-P3301-upnp-device-description-rootdesc.xml'))).toEqual({
      deviceType: 'urn:schemas-upnp-org:device:Basic:1',
      friendlyName: 'AXIS P3301 - 00408CA45086',
      manufacturer: 'AXIS',
      modelName: 'AXIS P3301',
      modelNumber: 'P3301',
      modelDescription: 'AXIS P3301 Network Fixed Dome Camera',
      serialNumber: '00408CA45086',
      udn: 'uuid:Upnp-BasicDevice-1_0-00408CA45086',
      presentationUrl: 'http://10.59.104.28:80/',
      urlBase: 'http://10.59.104.28:49152/',
    });
  });
});

describe('parseDeviceDescription on odd or hostile input', () => {
  it('reads the root device, not an embedded one listed first', () => {
    const xml = `<root xmlns="urn:schemas-upnp-org:device-1-0"><device><deviceList><device><serialNumber>EMBEDDED</serialNumber>
      <modelName>Inner</modelName></device></deviceList><modelName>Outer</modelName><serialNumber>ROOT</serialNumber></device></root>`;
    expect(parseDeviceDescription(xml)).toEqual({ modelName: 'Outer', serialNumber: 'ROOT' });
  });

  it('decodes entities and ignores empty fields', () => {
    expect(parseDeviceDescription('<root><device><manufacturer>A &amp; B</manufacturer><modelName>  </modelName></device></root>')).toEqual({
      manufacturer: 'A & B',
    });
  });

  it('names every failure', () => {
    expect(decodeErrorOf('<?xml version="1.0"?><!DOCTYPE root [<!ENTITY x "y">]><root><device/></root>').code).toBe('upnp-malformed');
    expect(decodeErrorOf('<root><device>').code).toBe('upnp-malformed');
    expect(decodeErrorOf('').code).toBe('upnp-malformed');
    expect(decodeErrorOf(`<root>${' '.repeat(MAX_DESCRIPTION_BYTES)}</root>`).code).toBe('upnp-malformed');
    expect(decodeErrorOf('<html><body>login</body></html>').code).toBe('upnp-no-device');
    expect(decodeErrorOf('<root><specVersion/></root>').code).toBe('upnp-no-device');
  });
});
