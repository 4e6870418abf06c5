/** Dahua CGI: magicBox.cgi challenges anonymously and answers device type and serial once logged in. */
import { send } from '../http-reply.js';
import type { HttpService } from './types.js';

export const dahuaService: HttpService = async (host, { req, res, url, source }) => {
  const rtspConfig = url.pathname === '/cgi-bin/configManager.cgi' && url.searchParams.get('action') === 'getConfig' && url.searchParams.get('name') === 'RTSP';
  if (host.profile.vendorApi !== 'dahua' || (url.pathname !== '/cgi-bin/magicBox.cgi' && !rtspConfig)) return false;
  const outcome = await host.gate.checkHttpCredentials(req, source);
  if (outcome === 'ok' && rtspConfig) {
    send(res, 200, 'text/plain', `table.RTSP.Enable=true\r\ntable.RTSP.Port=${host.rtspPort ?? 554}\r\n`);
  } else if (outcome === 'ok') {
    const id = host.profile.identity;
    send(res, 200, 'text/plain', `deviceType=${id.model}\r\nserialNumber=${id.serial}\r\nhardwareVersion=1.00\r\n`);
  } else {
    host.gate.sendChallenge(res, 401, 'text/plain', 'Error\r\n');
  }
  return true;
};
