/**
 * What a device is — camera, recorder, not-a-camera or unknown — from all its evidence (issue 16). A DLNA media
 * server or a router answers SSDP and may name a vendor and a serial; only camera evidence makes it a camera, and a
 * knock is never planned on `not-a-camera` (guard/planner.ts). Pure.
 *
 * Sources: ONVIF Core §7.3.2.2 discovery types/scopes (`onvif://www.onvif.org/type/NetworkVideoTransmitter`,
 * `type/video_encoder`, `type/ptz`; Profile G recorders `type/NetworkVideoRecorder` / `type/nvr`); UPnP Device
 * Architecture / UPnP AV (`urn:schemas-upnp-org:device:MediaServer:1`, `MediaRenderer:1`, `InternetGatewayDevice:1`);
 * Hikvision model numbering (DS-2CD… cameras, DS-76/77/96… NVRs), Dahua (IPC- cameras, NVR/XVR/HCVR recorders).
 */
import type { Device, DeviceKind } from '../model/device.js';

const CAMERA_SCOPE = /onvif:\/\/www\.onvif\.org\/type\/(?:NetworkVideoTransmitter|Network_Video_Transmitter|video_encoder|ptz|audio_encoder)\b/i;
const RECORDER_SCOPE = /onvif:\/\/www\.onvif\.org\/type\/(?:NetworkVideoRecorder|nvr|NetworkVideoStorage)\b/i;
const NOT_CAMERA_UPNP = /:device:(?:MediaServer|MediaRenderer|InternetGatewayDevice|WANDevice|WANConnectionDevice|WFADevice|Printer|ZonePlayer|Basic|LANDevice|dial|HVAC_System|Light|BinaryLight|DimmableLight)(?::\d+)?$/i;
const CAMERA_UPNP = /:device:(?:DigitalSecurityCamera|Camera|NetworkCamera|IPCamera)(?::\d+)?$/i;
const RECORDER_MODEL = /^(?:i?DS-(?:7[0-9]|9[0-9]|8[0-9])\d{2}|(?:DHI-)?(?:NVR|XVR|HCVR)|NVR)/i;
const CAMERA_MODEL = /^(?:i?DS-2(?:CD|DE|DF|CE|CV|XS)|(?:DHI-)?IPC-|(?:DH-)?SD\d|AXIS|[MPQF]\d{4})/i;
/** mDNS service types only cameras/encoders announce (Axis: `_axis-video._tcp`). */
const CAMERA_MDNS = /^_(?:axis-video|rtsp)\._tcp/i;

export function classifyKind(device: Pick<Device, 'evidence' | 'onvif' | 'model'>): DeviceKind {
  const scopes = device.onvif?.scopes ?? [];
  const values = (field: string): string[] => device.evidence.filter((e) => e.field === field).map((e) => e.value);
  const upnpTypes = values('upnp-device-type');
  const models = [device.model ?? '', ...values('model')].filter((m) => m !== '');
  const recorder = scopes.some((s) => RECORDER_SCOPE.test(s)) || models.some((m) => RECORDER_MODEL.test(m));
  if (recorder) return 'recorder';
  const camera =
    scopes.some((s) => CAMERA_SCOPE.test(s)) ||
    upnpTypes.some((t) => CAMERA_UPNP.test(t)) ||
    models.some((m) => CAMERA_MODEL.test(m)) ||
    values('service').some((t) => CAMERA_MDNS.test(t)) ||
    device.evidence.some((e) => (e.source === 'isapi' || e.source === 'axis') && e.field === 'vendor') ||
    device.evidence.some((e) => e.source === 'onvif' && (e.field === 'onvif-answer' || e.field.startsWith('capability:')));
  if (camera) return 'camera';
  if (upnpTypes.some((t) => NOT_CAMERA_UPNP.test(t))) return 'not-a-camera';
  return 'unknown';
}
