/**
 * GetDeviceInformation (ONVIF Core, access class READ_SYSTEM): the identity a device states about itself.
 * Answered anonymously by a few devices; otherwise it is the call the one login is made with (docs/FIELD-NOTES.md §5).
 */
import { childElement, decodeXmlText } from '../xml/parse-xml.js';
import type { XmlElement } from '../xml/parse-xml.js';
import { readSoapResponse } from './soap.js';

export interface OnvifDeviceInformation {
  manufacturer?: string;
  model?: string;
  firmwareVersion?: string;
  serialNumber?: string;
  hardwareId?: string;
}

/** Every real value is a short label; longer text is not an identity to display or key a ledger on. */
const MAX_FIELD_CHARS = 256;

/**
 * Parse a GetDeviceInformationResponse. Throws OnvifDecodeError: 'soap-fault' with the fault attached (e.g.
 * ter:NotAuthorized when called without credentials), 'unexpected-response', or an XML code.
 */
export function parseDeviceInformation(xml: string | Uint8Array): OnvifDeviceInformation {
  const response = readSoapResponse(xml, 'GetDeviceInformationResponse');
  const info: OnvifDeviceInformation = {};
  const set = (key: keyof OnvifDeviceInformation, name: string): void => {
    const value = fieldText(childElement(response, name));
    if (value !== undefined) info[key] = value;
  };
  set('manufacturer', 'Manufacturer');
  set('model', 'Model');
  set('firmwareVersion', 'FirmwareVersion');
  set('serialNumber', 'SerialNumber');
  set('hardwareId', 'HardwareId');
  return info;
}

function fieldText(element: XmlElement | undefined): string | undefined {
  if (!element) return undefined;
  // eslint-disable-next-line no-control-regex -- control characters would corrupt a terminal table or a CSV
  const text = decodeXmlText(element.text).replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (text === '' || text.length > MAX_FIELD_CHARS) return undefined;
  return text;
}
