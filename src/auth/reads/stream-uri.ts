/**
 * A stream URI read from a device is a claim, not an address to trust (CONTRACT S3): it must name the responder
 * the login went to. One that names another host is reported and rewritten to the responder's address (the path
 * and port are kept: devices behind NAT or with a second interface name their other address); one with userinfo
 * loses it (no credentials in an export the user did not ask to hold them); anything but rtsp:// is dropped.
 */
import type { StreamInfo } from '../../model/device.js';

export type StreamUriCheck =
  | { kind: 'ok'; uri: string; note: string | null }
  | { kind: 'dropped'; note: string };

function hostFor(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

export function checkStreamUri(raw: string, responder: string): StreamUriCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { kind: 'dropped', note: `stream URI "${raw.slice(0, 80)}" is not a URL; dropped` };
  }
  if (url.protocol !== 'rtsp:') return { kind: 'dropped', note: `stream URI with scheme ${url.protocol} is not RTSP; dropped` };
  const notes: string[] = [];
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
    notes.push('the device put credentials in its stream URI; removed');
  }
  const named = url.hostname.replace(/^\[|\]$/g, '');
  if (named.toLowerCase() !== responder.toLowerCase()) {
    notes.push(`stream URI named host ${named}, not the responder ${responder}; rewritten to ${responder}`);
    url.hostname = hostFor(responder);
  }
  return { kind: 'ok', uri: url.toString(), note: notes.length > 0 ? notes.join('; ') : null };
}

/** rtsp://<responder>[:port]<path> for a vendor's documented path (554, RFC 2326's default, is left out). */
export function vendorStreamUri(responder: string, port: number | null, path: string): string {
  return `rtsp://${hostFor(responder)}${port && port !== 554 ? `:${port}` : ''}${path}`;
}

export function mainAndSub(streams: StreamInfo[]): { main: StreamInfo | null; sub: StreamInfo | null } {
  return { main: streams[0] ?? null, sub: streams[1] ?? null };
}
