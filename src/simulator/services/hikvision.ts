/** Hikvision ISAPI: anonymous /SDK/activateStatus, Digest-protected userCheck and deviceInfo (docs/FIELD-NOTES.md). */
import { loadCapture, setElementText } from '../templates.js';
import { send } from '../http-reply.js';
import type { HttpService, ServiceHost } from './types.js';

export const hikvisionService: HttpService = async (host, { req, res, url, source }) => {
  if (host.profile.vendorApi !== 'hikvision') return false;
  if (url.pathname === '/SDK/activateStatus' && req.method === 'GET') {
    send(res, 200, 'application/xml', `<?xml version="1.0" encoding="UTF-8"?>\n<ActivateStatus><Activated>${host.profile.activated}</Activated></ActivateStatus>\n`);
    return true;
  }
  if (url.pathname === '/ISAPI/Security/userCheck' || url.pathname === '/ISAPI/System/deviceInfo' || url.pathname === '/ISAPI/Security/adminAccesses') {
    const outcome = await host.gate.checkHttpCredentials(req, source);
    if (outcome === 'ok') {
      const payload = url.pathname === '/ISAPI/Security/userCheck'
        ? '<?xml version="1.0" encoding="UTF-8"?>\n<userCheck>\n<statusValue>200</statusValue>\n<statusString>OK</statusString>\n</userCheck>\n'
        : url.pathname === '/ISAPI/Security/adminAccesses' ? adminAccesses(host) : hikvisionDeviceInfo(host);
      send(res, 200, 'application/xml', payload);
    } else {
      host.gate.sendHikvision401(res, source, outcome);
    }
    return true;
  }
  return false;
};

function hikvisionDeviceInfo(host: ServiceHost): string {
  const id = host.profile.identity;
  let xml = loadCapture('hikvision/hikvision-DS-2CD2T43G2-4I-V5.7.18-ISAPI-deviceInfo.xml');
  xml = setElementText(xml, 'model', id.model);
  xml = setElementText(xml, 'serialNumber', id.serial);
  xml = setElementText(xml, 'macAddress', id.mac);
  const [version, build] = id.firmware.split(/\s*build\s*/i);
  xml = setElementText(xml, 'firmwareVersion', version ?? id.firmware);
  if (build) xml = setElementText(xml, 'firmwareReleasedDate', `build ${build}`);
  return xml;
}

/** The access ports as ISAPI lists them (AdminAccessProtocolList); RTSP only when the device has an RTSP server. */
function adminAccesses(host: ServiceHost): string {
  const entry = (id: number, protocol: string, port: number): string => `<AdminAccessProtocol version="2.0"><id>${id}</id><enabled>true</enabled><protocol>${protocol}</protocol><portNo>${port}</portNo></AdminAccessProtocol>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<AdminAccessProtocolList version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">${entry(1, 'HTTP', host.httpPort)}${host.rtspPort !== null ? entry(4, 'RTSP', host.rtspPort) : ''}</AdminAccessProtocolList>\n`;
}
