/** Hikvision: the verified identity from /ISAPI/System/deviceInfo (model, serial, MAC, firmware). */
import { parseIsapiDeviceInfo } from '../../protocols/hikvision/index.js';
import type { VerifiedRead } from './types.js';

export const hikvisionDeviceInfoRead: VerifiedRead = {
  name: 'hikvision-device-info',
  applies: (session) => session.item.service?.kind === 'hikvision-isapi',
  async run(session, into) {
    const response = await session.http('GET', '/ISAPI/System/deviceInfo');
    if (response.statusCode !== 200) {
      into.notes.push(`deviceInfo answered HTTP ${response.statusCode}`);
      return;
    }
    const info = parseIsapiDeviceInfo(response.body.toString('utf8'));
    if (info.model) into.evidence.push({ source: 'login', field: 'model', value: info.model, verified: true });
    if (info.serialNumber) into.evidence.push({ source: 'login', field: 'serial', value: info.serialNumber, verified: true });
    if (info.macAddress) into.evidence.push({ source: 'login', field: 'mac', value: info.macAddress, verified: true });
    if (info.firmwareVersion) into.evidence.push({ source: 'login', field: 'firmware', value: `${info.firmwareVersion}${info.firmwareReleasedDate ? ` ${info.firmwareReleasedDate}` : ''}`, verified: true });
    into.evidence.push({ source: 'login', field: 'vendor', value: 'Hikvision', verified: true });
  },
};
