/**
 * The lock setting over the vendor APIs, credentialed through the device's AuthGate and honoured by its lockout
 * model: Hikvision `GET /ISAPI/Security/capabilities`, `GET/PUT /ISAPI/Security/illegalLoginLock`; Dahua
 * `configManager.cgi?action=getConfig&name=General` / `action=setConfig&General.LockLogin…`. The request bodies
 * are read here with plain patterns, independently of the client codecs in src/protocols (an encoder bug must
 * fail against these, not be mirrored by them).
 */
import { loadCapture, setElementText } from '../templates.js';
import { send } from '../http-reply.js';
import type { HttpService, ServiceHost, ServiceRequest } from './types.js';

const XML = 'application/xml; charset="UTF-8"';

function responseStatus(path: string, code: number, text: string, sub: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ResponseStatus version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">\n<requestURL>${path}</requestURL>\n<statusCode>${code}</statusCode>\n<statusString>${text}</statusString>\n<subStatusCode>${sub}</subStatusCode>\n</ResponseStatus>\n`;
}

async function credentialed(host: ServiceHost, request: ServiceRequest, onDenied: () => void): Promise<boolean> {
  const outcome = await host.gate.checkHttpCredentials(request.req, request.source);
  if (outcome === 'ok') return true;
  onDenied();
  return false;
}

async function hikvision(host: ServiceHost, request: ServiceRequest): Promise<boolean> {
  const { req, res, url, body, source } = request;
  const path = url.pathname;
  if (path !== '/ISAPI/Security/capabilities' && path !== '/ISAPI/Security/illegalLoginLock') return false;
  if (!(await credentialed(host, request, () => host.gate.sendHikvision401(res, source, 'anonymous')))) return true;
  const option = host.profile.lockOption !== false;
  const setting = host.gate.lockSetting;
  if (path === '/ISAPI/Security/capabilities') {
    send(res, 200, XML, setElementText(loadCapture('hikvision/hikvision-ISAPI-Security-capabilities-200-isapi-notes.xml'), 'issupIllegalLoginLock', String(option)));
    return true;
  }
  if (!option) {
    send(res, 404, XML, responseStatus(path, 4, 'Invalid Operation', 'notSupport'));
    return true;
  }
  if (req.method === 'GET') {
    send(res, 200, XML, `<?xml version="1.0" encoding="UTF-8"?>\n<IllegalLoginLock version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">\n<enabled>${setting.enabled}</enabled>\n<maxIllegalLoginTimes>${setting.threshold}</maxIllegalLoginTimes>\n<maxIllegalLoginLockTime>${setting.lockSeconds}</maxIllegalLoginLockTime>\n</IllegalLoginLock>\n`);
    return true;
  }
  if (req.method === 'PUT') {
    const enabled = /<enabled>\s*(true|false)\s*<\/enabled>/i.exec(body)?.[1];
    const times = /<maxIllegalLoginTimes>\s*(\d+)\s*</.exec(body)?.[1];
    const seconds = /<maxIllegalLoginLockTime>\s*(\d+)\s*</.exec(body)?.[1];
    // Newer lines: 3–10 attempts, 10–3600 s (manua.ls DS-PEA22-F p.76); outside that the device refuses.
    const badTimes = times !== undefined && (Number(times) < 3 || Number(times) > 10);
    const badSeconds = seconds !== undefined && (Number(seconds) < 10 || Number(seconds) > 3600);
    if (!/<IllegalLoginLock[\s>]/.test(body) || enabled === undefined || badTimes || badSeconds) {
      send(res, 400, XML, responseStatus(path, 6, 'Invalid Content', 'badParameters'));
      return true;
    }
    host.gate.applyLockSetting({
      enabled: enabled.toLowerCase() === 'true',
      ...(times !== undefined ? { threshold: Number(times) } : {}),
      ...(seconds !== undefined ? { lockSeconds: Number(seconds) } : {}),
    });
    send(res, 200, XML, responseStatus(path, 1, 'OK', 'ok'));
    return true;
  }
  send(res, 405, XML, responseStatus(path, 4, 'Invalid Operation', 'methodNotAllowed'));
  return true;
}

async function dahua(host: ServiceHost, request: ServiceRequest): Promise<boolean> {
  const { res, url } = request;
  if (url.pathname !== '/cgi-bin/configManager.cgi') return false;
  // Only the General table is the lock setting's; other tables (RTSP, …) belong to the Dahua service.
  const general = url.searchParams.get('name') === 'General' || [...url.searchParams.keys()].some((key) => key.startsWith('General.'));
  if (!general) return false;
  if (!(await credentialed(host, request, () => host.gate.sendChallenge(res, 401, 'text/plain', 'Error\r\n')))) return true;
  const option = host.profile.lockOption !== false;
  const setting = host.gate.lockSetting;
  const action = url.searchParams.get('action');
  if (action === 'getConfig' && url.searchParams.get('name') === 'General') {
    const lines = ['table.General.LocalNo=8'];
    if (option) lines.push(`table.General.LockLoginEnable=${setting.enabled}`, `table.General.LockLoginTimes=${setting.threshold}`, `table.General.LoginFailLockTime=${setting.lockSeconds}`);
    lines.push(`table.General.MachineName=${host.profile.identity.model}`, 'table.General.MaxOnlineTime=1800');
    send(res, 200, 'text/plain', `${lines.join('\r\n')}\r\n`);
    return true;
  }
  if (action === 'setConfig' && option) {
    const enable = url.searchParams.get('General.LockLoginEnable');
    const times = url.searchParams.get('General.LockLoginTimes');
    const seconds = url.searchParams.get('General.LoginFailLockTime');
    const valid = (enable === null || /^(true|false)$/.test(enable)) && (times === null || /^\d+$/.test(times)) && (seconds === null || /^\d+$/.test(seconds)) && (enable ?? times ?? seconds) !== null;
    if (valid) {
      host.gate.applyLockSetting({
        ...(enable !== null ? { enabled: enable === 'true' } : {}),
        ...(times !== null ? { threshold: Number(times) } : {}),
        ...(seconds !== null ? { lockSeconds: Number(seconds) } : {}),
      });
      send(res, 200, 'text/plain', 'OK\r\n');
      return true;
    }
  }
  send(res, 400, 'text/plain', 'Error\r\nBad Request!\r\n');
  return true;
}

export const lockSettingsService: HttpService = async (host, request) => {
  if (host.profile.vendorApi === 'hikvision') return hikvision(host, request);
  if (host.profile.vendorApi === 'dahua') return dahua(host, request);
  return false;
};
