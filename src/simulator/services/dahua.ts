/** Dahua CGI: magicBox.cgi challenges anonymously and answers device type and serial once logged in. */
import { send } from '../http-reply.js';
import type { HttpService } from './types.js';

export const dahuaService: HttpService = async (host, { req, res, url, source }) => {
  if (host.profile.vendorApi !== 'dahua' || url.pathname !== '/cgi-bin/magicBox.cgi') return false;
  const outcome = await host.gate.checkHttpCredentials(req, source);
  if (outcome === 'ok') {
    const id = host.profile.identity;
    send(res, 200, 'text/plain', `deviceType=${id.model}\r\nserialNumber=${id.serial}\r\nhardwareVersion=1.00\r\n`);
  } else {
    host.gate.sendChallenge(res, 401, 'text/plain', 'Error\r\n');
  }
  return true;
};
