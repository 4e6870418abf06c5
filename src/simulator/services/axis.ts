/**
 * Axis VAPIX: basicdeviceinfo getAllUnrestrictedProperties answers anonymously (VAPIX Basic device information API);
 * `param.cgi?action=list` needs an account (VAPIX Parameter management): anonymously a Digest 401 through the
 * AuthGate (so the counters see every login), with the right credentials the Brand group, as a real Axis lists it
 * (fixtures/captures/axis/axis-M1065-LW-param-cgi-Brand.txt), for this profile's model.
 */
import { loadCapture } from '../templates.js';
import { send } from '../http-reply.js';
import type { HttpService, ServiceHost } from './types.js';

export const axisService: HttpService = async (host, { req, res, url, source }) => {
  if (host.profile.vendorApi !== 'axis') return false;
  if (url.pathname === '/axis-cgi/param.cgi' && req.method === 'GET' && url.searchParams.get('action') === 'list') {
    const outcome = await host.gate.checkHttpCredentials(req, source);
    if (outcome === 'ok') send(res, 200, 'text/plain', brandGroup(host));
    else host.gate.sendChallenge(res, 401, 'text/html', '<HTML><HEAD><TITLE>401 Unauthorized</TITLE></HEAD></HTML>\n');
    return true;
  }
  if (url.pathname !== '/axis-cgi/basicdeviceinfo.cgi' || req.method !== 'POST') return false;
  const id = host.profile.identity;
  const data = JSON.parse(loadCapture('axis/axis-M1065-LW-basicdeviceinfo-getAllProperties.json')) as { data?: { propertyList?: Record<string, string> } };
  const list = { ...(data.data?.propertyList ?? {}), ProdNbr: id.model, ProdFullName: `AXIS ${id.model} Network Camera`, Version: id.firmware, SerialNumber: id.mac.replace(/:/g, '').toUpperCase() };
  send(res, 200, 'application/json', JSON.stringify({ apiVersion: '1.0', data: { propertyList: list } }));
  return true;
};

function brandGroup(host: ServiceHost): string {
  const model = host.profile.identity.model;
  return loadCapture('axis/axis-M1065-LW-param-cgi-Brand.txt')
    .replace(/M1065-LW/g, model)
    .replace(/\r?\n?$/, '\n');
}
