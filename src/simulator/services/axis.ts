/** Axis VAPIX: basicdeviceinfo getAllUnrestrictedProperties answers anonymously (VAPIX Basic device information API). */
import { loadCapture } from '../templates.js';
import { send } from '../http-reply.js';
import type { HttpService } from './types.js';

export const axisService: HttpService = async (host, { req, res, url }) => {
  if (host.profile.vendorApi !== 'axis' || url.pathname !== '/axis-cgi/basicdeviceinfo.cgi' || req.method !== 'POST') return false;
  const id = host.profile.identity;
  const data = JSON.parse(loadCapture('axis/axis-M1065-LW-basicdeviceinfo-getAllProperties.json')) as { data?: { propertyList?: Record<string, string> } };
  const list = { ...(data.data?.propertyList ?? {}), ProdNbr: id.model, ProdFullName: `AXIS ${id.model} Network Camera`, Version: id.firmware, SerialNumber: id.mac.replace(/:/g, '').toUpperCase() };
  send(res, 200, 'application/json', JSON.stringify({ apiVersion: '1.0', data: { propertyList: list } }));
  return true;
};
