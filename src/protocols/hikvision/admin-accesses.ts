/**
 * Hikvision ISAPI `GET /ISAPI/Security/adminAccesses`: the device's access ports as an AdminAccessProtocolList of
 * AdminAccessProtocol{id, enabled, protocol, portNo} (HTTP, HTTPS, RTSP, DEV_MANAGE…). ISAPI clients read the
 * RTSP port here rather than assume 554. Read only with the accepted credentials (it needs SECURITY_READ).
 */
import { decodeXmlText, findElements, parseXml, childElement } from '../xml/parse-xml.js';

/** The RTSP port the device lists, or null when the list has no enabled RTSP entry with a valid port. */
export function parseAdminAccessRtspPort(xml: string | Uint8Array): number | null {
  const root = parseXml(xml, 64 * 1024);
  for (const entry of findElements(root, 'AdminAccessProtocol')) {
    const protocol = decodeXmlText(childElement(entry, 'protocol')?.text ?? '').trim().toUpperCase();
    if (protocol !== 'RTSP') continue;
    const enabled = decodeXmlText(childElement(entry, 'enabled')?.text ?? 'true').trim().toLowerCase();
    if (enabled === 'false') continue;
    const port = Number(decodeXmlText(childElement(entry, 'portNo')?.text ?? '').trim());
    if (Number.isInteger(port) && port >= 1 && port <= 65535) return port;
  }
  return null;
}
