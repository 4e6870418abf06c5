/**
 * A plain inventory CSV for any other VMS or a spreadsheet (Blue Iris, Scrypted, Home Assistant's generic camera,
 * ZoneMinder, Shinobi take these fields by hand): identity, ports, login status, lockout policy and the RTSP
 * URLs without credentials. It never holds a secret. Cells that a spreadsheet would run as a formula (leading
 * = + @ or a control character) are prefixed with an apostrophe: device-supplied text is not to be executed.
 */
import type { Device } from '../../model/device.js';
import { csvLines, type ExportFormatter, type ExportInput } from './types.js';

export const INVENTORY_HEADER = [
  'id', 'addresses', 'mac', 'serial', 'vendor', 'model', 'firmware',
  'http_port', 'onvif_port', 'rtsp_port',
  'login_status', 'login_method', 'lockout_policy', 'lockout_max_attempts', 'lockout_seconds', 'lockout_state',
  'rtsp_main', 'rtsp_sub', 'milestone_driver',
];

const cell = (value: string | number | null | undefined): string => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /^[=+@\t\r]/.test(text) ? `'${text}` : text;
};

function portOf(url: string | undefined, fallback: number): number | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.port ? Number(parsed.port) : fallback;
  } catch {
    return null;
  }
}

function onvifUrl(device: Device): string | undefined {
  const xaddrs = device.onvif?.xaddrs ?? [];
  return xaddrs.find((x) => device.addresses.some((a) => x.includes(a.includes(':') ? `[${a}]` : a))) ?? xaddrs[0];
}

export function inventoryRow(device: Device, input: ExportInput): string[] {
  const main = device.streams?.[0]?.uri;
  const sub = device.streams?.[1]?.uri;
  const credential = input.credentialFor(device);
  const onvif = onvifUrl(device);
  const onvifPort = portOf(onvif, onvif?.startsWith('https:') ? 443 : 80);
  const driver = device.export?.milestoneDriver;
  return [
    device.id, device.addresses.join(';'), device.mac, device.serial, device.vendor, device.model, device.firmware,
    credential?.port ?? (credential ? 80 : onvifPort), onvifPort, portOf(main, 554),
    device.login.status, device.login.method, device.lockout.policy, device.lockout.maxAttempts, device.lockout.lockSeconds, device.lockout.state,
    main, sub, driver ? `${driver.number} ${driver.name} (${driver.rule})` : null,
  ].map(cell);
}

export const inventoryExport: ExportFormatter = {
  kind: 'inventory',
  secret: false,
  needsLogin: false,
  description: 'inventory CSV without secrets',
  format(input) {
    const lines = [INVENTORY_HEADER, ...input.document.devices.map((d) => inventoryRow(d, input))];
    return { content: csvLines(lines), rows: input.document.devices.length, leftOut: [] };
  },
};
