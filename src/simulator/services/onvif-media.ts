/**
 * ONVIF Media (ver10) and Media2 (ver20) for a simulated device whose profile has `media`: GetProfiles and
 * GetStreamUri for its profiles (main + sub), each credentialed through the device's AuthGate like every non
 * PRE_AUTH ONVIF call (so the counters show them as credentialed requests), with stream URIs naming the device's
 * own address and RTSP port. A profile with `version: "media2"` serves only Media2, as a Profile T-only device.
 */
import { SOAP_CONTENT_TYPE, send, soapFault } from '../http-reply.js';
import type { SimulatorProfile } from '../profile.js';
import type { HttpService, ServiceHost } from './types.js';

const MEDIA10 = 'http://www.onvif.org/ver10/media/wsdl';
const MEDIA20 = 'http://www.onvif.org/ver20/media/wsdl';

export type SimulatedMedia = NonNullable<SimulatorProfile['media']>;

export function mediaPath(media: SimulatedMedia): string {
  return media.path ?? (media.version === 'media2' ? '/onvif/media2_service' : '/onvif/media_service');
}

function envelope(body: string, prefix: string, namespace: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:${prefix}="${namespace}" xmlns:tt="http://www.onvif.org/ver10/schema"><env:Body>${body}</env:Body></env:Envelope>\n`;
}

function streamUri(host: ServiceHost, path: string): string {
  const hostPart = host.address.includes(':') ? `[${host.address}]` : host.address;
  const port = host.rtspPort ?? 554;
  return `rtsp://${hostPart}${port === 554 ? '' : `:${port}`}${path}`.replace(/&/g, '&amp;');
}

/** A GetServices answer for a device that has no captured one: its device service and its media service. */
export function syntheticGetServices(host: ServiceHost, base: string): string {
  const media = host.profile.media!;
  const service = (namespace: string, path: string, major: number, minor: number): string =>
    `<tds:Service><tds:Namespace>${namespace}</tds:Namespace><tds:XAddr>${base}${path}</tds:XAddr><tds:Version><tt:Major>${major}</tt:Major><tt:Minor>${minor}</tt:Minor></tds:Version></tds:Service>`;
  const body = `<tds:GetServicesResponse>${service('http://www.onvif.org/ver10/device/wsdl', host.profile.onvif?.path ?? '/onvif/device_service', 2, 60)}${
    media.version === 'media2' ? service(MEDIA20, mediaPath(media), 2, 60) : service(MEDIA10, mediaPath(media), 2, 60)
  }</tds:GetServicesResponse>`;
  return envelope(body, 'tds', 'http://www.onvif.org/ver10/device/wsdl');
}

export const onvifMediaService: HttpService = async (host, { req, res, url, body, source }) => {
  const media = host.profile.media;
  if (req.method !== 'POST' || !media || !host.profile.onvif || url.pathname !== mediaPath(media)) return false;
  const call = /<(?:[\w-]+:)?Body[^>]*>\s*<(?:([\w-]+):)?(\w+)/.exec(body);
  const operation = call?.[2] ?? '';
  const version = body.includes(MEDIA20) ? 'media2' : body.includes(MEDIA10) ? 'media' : null;
  const outcome = await host.gate.checkOnvifCredentials(req, body, source);
  if (outcome !== 'ok') {
    if (outcome === 'anonymous' && (host.profile.onvif.auth === 'http-digest' || host.profile.onvif.auth === 'either')) {
      host.gate.sendChallenge(res, 401, 'text/html', '<html><body>401 Unauthorized</body></html>');
    } else {
      host.gate.sendOnvifAuthFault(res, outcome);
    }
    return true;
  }
  if (version !== media.version || (operation !== 'GetProfiles' && operation !== 'GetStreamUri')) {
    send(res, 400, SOAP_CONTENT_TYPE, soapFault('env:Receiver', 'ter:ActionNotSupported', 'Optional Action Not Implemented'));
    return true;
  }
  const [prefix, namespace] = version === 'media' ? ['trt', MEDIA10] : ['tr2', MEDIA20];
  if (operation === 'GetProfiles') {
    const profiles = media.profiles.map((p) => `<${prefix}:Profiles token="${p.token}"${version === 'media' ? ' fixed="true"' : ''}><tt:Name>${p.name}</tt:Name></${prefix}:Profiles>`).join('');
    send(res, 200, SOAP_CONTENT_TYPE, envelope(`<${prefix}:GetProfilesResponse>${profiles}</${prefix}:GetProfilesResponse>`, prefix, namespace));
    return true;
  }
  const token = /<(?:[\w-]+:)?ProfileToken>([^<]*)</.exec(body)?.[1]?.trim();
  const profile = media.profiles.find((p) => p.token === token);
  if (!profile) {
    send(res, 400, SOAP_CONTENT_TYPE, soapFault('env:Sender', 'ter:InvalidArgVal', 'No such profile'));
    return true;
  }
  const uri = streamUri(host, profile.rtspPath);
  const answer = version === 'media'
    ? `<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>${uri}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>`
    : `<tr2:GetStreamUriResponse><tr2:Uri>${uri}</tr2:Uri></tr2:GetStreamUriResponse>`;
  send(res, 200, SOAP_CONTENT_TYPE, envelope(answer, prefix, namespace));
  return true;
};
