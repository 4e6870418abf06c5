import { describe, it, expect } from 'vitest';
import { thrownBy } from '../../../support/errors.js';
import { listCaptures, readCapture, readCaptureText } from '../../../support/captures.js';
import { childElement, findElement, parseXml, textOf } from '../../../../src/protocols/xml/parse-xml.js';
import {
  OnvifDecodeError,
  buildSoapRequest,
  getCapabilitiesBody,
  getDeviceInformationBody,
  getServicesBody,
  getSystemDateAndTimeBody,
  parseSoapFault,
} from '../../../../src/protocols/onvif/index.js';

const errorOf = (fn: () => unknown): OnvifDecodeError => thrownBy(fn, OnvifDecodeError);

const TDS = 'http://www.onvif.org/ver10/device/wsdl';

describe('buildSoapRequest and the device-service bodies', () => {
  const bodies: Array<[string, string, string]> = [
    ['GetSystemDateAndTime', getSystemDateAndTimeBody(), '<tds:GetSystemDateAndTime xmlns:tds="http://www.onvif.org/ver10/device/wsdl"/>'],
    ['GetCapabilities', getCapabilitiesBody(), '<tds:GetCapabilities xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><tds:Category>All</tds:Category></tds:GetCapabilities>'],
    ['GetServices', getServicesBody(), '<tds:GetServices xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>'],
    ['GetDeviceInformation', getDeviceInformationBody(), '<tds:GetDeviceInformation xmlns:tds="http://www.onvif.org/ver10/device/wsdl"/>'],
  ];
  for (const [operation, body, exact] of bodies) {
    it(`${operation}: tds namespace, well-formed SOAP 1.2 request without credentials`, () => {
      expect(body).toBe(exact);
      const request = buildSoapRequest(body);
      expect(request).toContain('xmlns:s="http://www.w3.org/2003/05/soap-envelope"');
      expect(request).toContain(`xmlns:tds="${TDS}"`);
      expect(request).not.toMatch(/Security|UsernameToken|Password/i);
      const root = parseXml(request);
      expect(root.name).toBe('Envelope');
      expect(childElement(root, 'Header')).toBeUndefined();
      expect(childElement(root, 'Body')?.children.map((c) => c.name)).toEqual([operation]);
    });
  }

  it('GetServices can ask for capabilities', () => {
    expect(textOf(parseXml(getServicesBody(true)), 'IncludeCapability')).toBe('true');
  });

  it('puts a given header before the body', () => {
    const request = buildSoapRequest(getDeviceInformationBody(), { header: '<x:Marker xmlns:x="urn:test">1</x:Marker>' });
    const root = parseXml(request);
    expect(root.children.map((c) => c.name)).toEqual(['Header', 'Body']);
    expect(textOf(childElement(root, 'Header'), 'Marker')).toBe('1');
  });
});

describe('parseSoapFault on captures', () => {
  it('Trendnet (Hikvision OEM) GetDeviceInformation: Sender / ter:NotAuthorized', () => {
    expect(parseSoapFault(readCapture('onvif-device/trendnet-TV-IP320PI-hikOEM-GetDeviceInformation-fault-NotAuthorized-onvif-nvt.xml'))).toEqual({
      code: 'Sender',
      subcodes: ['NotAuthorized'],
      reason: 'The action requested requires authorization and the sender is not authorized',
    });
  });

  it('Hikvision DS-2DF7276-AEL GetServices: nested subcodes, Node/Role ignored, Detail kept', () => {
    expect(parseSoapFault(readCapture('onvif-device/hikvision-DS-2DF7276-AEL-GetServices-fault-InvalidArgVal-onvif-nvt.xml'))).toEqual({
      code: 'Sender',
      subcodes: ['InvalidArgVal', 'InvalidParameter'],
      reason: 'the parameter value is illegal',
      detail: 'NULL',
    });
  });

  it('Axis Q6045-E GetServices: Receiver / ter:Action', () => {
    expect(parseSoapFault(readCapture('onvif-device/axis-Q6045-E-fw5.55-GetServices-fault-Receiver-ter-Action-onvif-nvt.xml'))).toEqual({
      code: 'Receiver',
      subcodes: ['Action'],
      reason: 'Action failed',
      detail: 'The requested SOAP action failed',
    });
  });

  it('Axis (2024) reply to a malformed request: Sender / ter:WellFormed', () => {
    expect(parseSoapFault(readCapture('onvif-device/axis-2024-fault-Sender-ter-WellFormed-hammeraj.xml'))).toEqual({
      code: 'Sender',
      subcodes: ['WellFormed'],
      reason: 'Well-formed error',
      detail: 'XML well-formed violation occurred',
    });
  });

  it('gSOAP camera: SOAP 1.1 faultcode/faultstring inside a SOAP 1.2 envelope', () => {
    expect(parseSoapFault(readCapture('ws-discovery/generic-gsoap-NVT-reply-to-SOAP11-probe-VersionMismatch-fault-zoneminder-issue1346.xml'))).toEqual({
      code: 'VersionMismatch',
      subcodes: [],
      reason: 'Invalid SOAP message or SOAP version mismatch',
    });
  });

  it('Vivotek (truncated as posted) is rejected with a named error; completed, it is NotAuthorized with an escaped reason', () => {
    const truncated = readCaptureText('onvif-device/vivotek-GetSystemDateAndTime-fault-NotAuthorized-agsh-issue301-truncated.txt');
    expect(errorOf(() => parseSoapFault(truncated)).code).toBe('xml-malformed');
    const completed = `${truncated}</env:Reason></env:Fault></env:Body></env:Envelope>`;
    expect(parseSoapFault(completed)).toEqual({
      code: 'Sender',
      subcodes: ['NotAuthorized'],
      reason: 'An error was discovered processing the <wsse:Security> header.',
    });
  });

  it('returns null for every well-formed response that is not a fault', () => {
    const responses = listCaptures('onvif-device').filter((f) => !/fault|truncated/i.test(f));
    expect(responses.length).toBeGreaterThanOrEqual(20);
    for (const file of responses) expect(parseSoapFault(readCapture(`onvif-device/${file}`))).toBeNull();
  });
});

describe('parseSoapFault edge cases', () => {
  it('prefers the English Reason text', () => {
    const xml = '<e:Envelope xmlns:e="x"><e:Body><e:Fault><e:Code><e:Value>e:Sender</e:Value></e:Code><e:Reason><e:Text xml:lang="de">Nicht erlaubt</e:Text><e:Text xml:lang="en-US">Not allowed</e:Text></e:Reason></e:Fault></e:Body></e:Envelope>';
    expect(parseSoapFault(xml)).toEqual({ code: 'Sender', subcodes: [], reason: 'Not allowed' });
  });

  it('splits a SOAP 1.1 dotted faultcode into code and subcodes', () => {
    const xml = '<S:Envelope xmlns:S="x"><S:Body><S:Fault><faultcode>S:Client.Authentication</faultcode><faultstring>bad</faultstring><detail><x>Sender not Authorized</x></detail></S:Fault></S:Body></S:Envelope>';
    expect(parseSoapFault(xml)).toEqual({ code: 'Client', subcodes: ['Authentication'], reason: 'bad', detail: 'Sender not Authorized' });
  });

  it('bounds subcode depth and text length', () => {
    const nested = `${'<e:Subcode><e:Value>ter:X</e:Value>'.repeat(20)}${'</e:Subcode>'.repeat(20)}`;
    const xml = `<e:Envelope><e:Body><e:Fault><e:Code><e:Value>e:Sender</e:Value>${nested}</e:Code><e:Reason><e:Text>${'r'.repeat(5000)}</e:Text></e:Reason></e:Fault></e:Body></e:Envelope>`;
    const fault = parseSoapFault(xml)!;
    expect(fault.subcodes).toHaveLength(8);
    expect(fault.reason).toHaveLength(1024);
  });

  it('an empty Fault is still a fault', () => {
    expect(parseSoapFault('<e:Envelope><e:Body><e:Fault/></e:Body></e:Envelope>')).toEqual({ subcodes: [] });
  });

  it('names what is not SOAP', () => {
    expect(errorOf(() => parseSoapFault('<html><body>401</body></html>')).code).toBe('not-soap');
    expect(errorOf(() => parseSoapFault('<e:Envelope/>')).code).toBe('not-soap');
    expect(errorOf(() => parseSoapFault('')).code).toBe('xml-empty');
    expect(errorOf(() => parseSoapFault('<!DOCTYPE e><e:Envelope/>')).code).toBe('xml-doctype');
  });

  it('the Body of a request it built has no Fault', () => {
    const root = parseXml(buildSoapRequest(getSystemDateAndTimeBody()));
    expect(findElement(root, 'Fault')).toBeUndefined();
    expect(parseSoapFault(buildSoapRequest(getSystemDateAndTimeBody()))).toBeNull();
  });
});
