/** The ONVIF device service (ONVIF Core): PRE_AUTH operations answer anonymously, the rest need credentials. */
import { editElement, loadCapture, rewriteServiceUrls, setElementText } from '../templates.js';
import { SOAP_CONTENT_TYPE, send, soapFault } from '../http-reply.js';
import type { HttpService, ServiceHost } from './types.js';
import { syntheticGetServices } from './onvif-media.js';

/** ONVIF Core §5.9.4.3: operations a device must answer without credentials (PRE_AUTH). */
const PRE_AUTH = ['GetSystemDateAndTime', 'GetCapabilities', 'GetServices', 'GetServiceCapabilities', 'GetHostname', 'GetWsdlUrl', 'GetEndpointReference'];

export const onvifService: HttpService = async (host, { req, res, url, body, source, secure }) => {
  const onvif = host.profile.onvif;
  if (req.method !== 'POST' || !onvif || url.pathname !== (onvif.path ?? '/onvif/device_service')) return false;
  const operation = /<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?(\w+)/.exec(body)?.[1] ?? '';
  const needsLogin = !PRE_AUTH.includes(operation) || (operation === 'GetSystemDateAndTime' && onvif.timeNeedsLogin === true);
  if (needsLogin) {
    const outcome = await host.gate.checkOnvifCredentials(req, body, source);
    if (outcome !== 'ok') {
      if (outcome === 'anonymous' && (onvif.auth === 'http-digest' || onvif.auth === 'either')) {
        host.gate.sendChallenge(res, 401, 'text/html', '<html><body>401 Unauthorized</body></html>');
        return true;
      }
      host.gate.sendOnvifAuthFault(res, outcome);
      return true;
    }
  }
  const payload = onvifResponse(host, operation, secure && host.httpsOnvifUrl ? new URL(host.httpsOnvifUrl).origin : host.baseUrl);
  if (payload === null) {
    send(res, 400, SOAP_CONTENT_TYPE, soapFault('env:Receiver', 'ter:ActionNotSupported', 'Optional Action Not Implemented'));
    return true;
  }
  send(res, 200, SOAP_CONTENT_TYPE, payload);
  return true;
};

function onvifResponse(host: ServiceHost, operation: string, base: string): string | null {
  const templates = host.profile.onvif?.templates ?? {};
  const id = host.profile.identity;
  switch (operation) {
    case 'GetSystemDateAndTime': {
      const template = templates.GetSystemDateAndTime;
      if (!template) return null;
      const now = new Date(host.deviceNowMs());
      const fill = (inner: string): string => {
        let out = inner;
        out = setElementText(out, 'Year', String(now.getUTCFullYear()));
        out = setElementText(out, 'Month', String(now.getUTCMonth() + 1));
        out = setElementText(out, 'Day', String(now.getUTCDate()));
        out = setElementText(out, 'Hour', String(now.getUTCHours()));
        out = setElementText(out, 'Minute', String(now.getUTCMinutes()));
        out = setElementText(out, 'Second', String(now.getUTCSeconds()));
        return out;
      };
      let xml = editElement(loadCapture(template), 'UTCDateTime', fill);
      // The simulated device keeps its local clock on UTC; a TZ in the template is left as captured only when
      // there is a UTCDateTime to rely on, otherwise LocalDateTime is the clock.
      xml = editElement(xml, 'LocalDateTime', fill);
      if (!/UTCDateTime/.test(xml)) xml = setElementText(xml, 'TZ', 'UTC0');
      return xml;
    }
    case 'GetCapabilities':
      return templates.GetCapabilities ? rewriteServiceUrls(loadCapture(templates.GetCapabilities), base) : null;
    case 'GetServices': {
      if (!templates.GetServices) return host.profile.media ? syntheticGetServices(host, base) : null;
      const xml = rewriteServiceUrls(loadCapture(templates.GetServices), base);
      // A Media2-only device lists ver20 media where the capture lists ver10.
      return host.profile.media?.version === 'media2' ? xml.replace(/http:\/\/www\.onvif\.org\/ver10\/media\/wsdl/g, 'http://www.onvif.org/ver20/media/wsdl') : xml;
    }
    case 'GetDeviceInformation': {
      const template = templates.GetDeviceInformation;
      if (!template) return null;
      let xml = loadCapture(template);
      xml = setElementText(xml, 'Manufacturer', id.vendor);
      xml = setElementText(xml, 'Model', id.model);
      xml = setElementText(xml, 'FirmwareVersion', id.firmware);
      xml = setElementText(xml, 'SerialNumber', id.serial);
      xml = setElementText(xml, 'HardwareId', id.hardwareId ?? '1.0');
      return xml;
    }
    default:
      return null;
  }
}
