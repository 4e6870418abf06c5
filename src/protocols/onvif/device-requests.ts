/**
 * Request bodies for the ONVIF device service (tds). Each declares its own namespace so it stands alone inside
 * any envelope. GetSystemDateAndTime, GetCapabilities and GetServices are in the PRE_AUTH access class (ONVIF Core:
 * callable without credentials); GetDeviceInformation needs READ_SYSTEM, so sent anonymously it is refused — and the
 * refusal tells which scheme the device wants (docs/FIELD-NOTES.md §4).
 */
import { ONVIF_DEVICE_NAMESPACE } from './soap.js';

const TDS = `xmlns:tds="${ONVIF_DEVICE_NAMESPACE}"`;

export function getSystemDateAndTimeBody(): string {
  return `<tds:GetSystemDateAndTime ${TDS}/>`;
}

/** Category All: the one form every ONVIF 1.x/2.x device accepts (ONVIF Device Management WSDL). */
export function getCapabilitiesBody(): string {
  return `<tds:GetCapabilities ${TDS}><tds:Category>All</tds:Category></tds:GetCapabilities>`;
}

/** IncludeCapability is a required element of GetServices (devicemgmt.wsdl, minOccurs 1), so it is always sent. */
export function getServicesBody(includeCapability = false): string {
  return `<tds:GetServices ${TDS}><tds:IncludeCapability>${includeCapability ? 'true' : 'false'}</tds:IncludeCapability></tds:GetServices>`;
}

export function getDeviceInformationBody(): string {
  return `<tds:GetDeviceInformation ${TDS}/>`;
}
