/**
 * The RTSP streams the go2rtc and Frigate exports name: per logged-in camera its main and sub stream (read after
 * the one login, Device.streams), with the accepted credentials put into the URL for the restreamer —
 * percent-encoded userinfo (RFC 3986 §3.2.1), as go2rtc's and Frigate's rtsp:// sources take them.
 */
import type { Device } from '../../model/device.js';
import { loggedIn, type ExportInput, type LeftOut, type LoginCredential } from './types.js';

export interface CameraStreams {
  device: Device;
  /** YAML key: lower-case letters, digits and `_`, unique in the file. */
  name: string;
  main: string;
  sub: string | null;
}

const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');

export function withCredentials(uri: string, credential: LoginCredential): string {
  const url = new URL(uri);
  return `rtsp://${encodeURIComponent(credential.username)}:${encodeURIComponent(credential.password.reveal())}@${url.host}${url.pathname}${url.search}`;
}

export function cameraName(device: Device): string {
  const tail = device.mac ? device.mac.replace(/:/g, '').slice(-6) : slug(device.addresses[0] ?? device.id);
  return [slug(device.vendor ?? 'camera'), slug(device.model ?? ''), tail].filter(Boolean).join('_');
}

export function cameraStreams(input: ExportInput): { cameras: CameraStreams[]; leftOut: LeftOut[] } {
  const cameras: CameraStreams[] = [];
  const leftOut: LeftOut[] = [];
  const used = new Set<string>();
  for (const { device, credential } of loggedIn(input)) {
    const streams = device.streams ?? [];
    if (streams.length === 0) {
      leftOut.push({ device, reason: 'no RTSP stream was read after the login (see the device\'s warnings)' });
      continue;
    }
    let name = cameraName(device);
    for (let n = 2; used.has(name); n++) name = `${cameraName(device)}_${n}`;
    used.add(name);
    cameras.push({ device, name, main: withCredentials(streams[0]!.uri, credential), sub: streams[1] ? withCredentials(streams[1].uri, credential) : null });
  }
  return { cameras, leftOut };
}

/** A YAML double-quoted scalar (JSON strings are valid YAML 1.2 double-quoted scalars). */
export const yamlString = (text: string): string => JSON.stringify(text);
