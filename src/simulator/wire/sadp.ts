/**
 * The simulated Hikvision devices' SADP ProbeMatch, laid out like the captured DS-2CD2385G1-I V5.6.2 answer
 * (fixtures/captures/hikvision): the capture gives the element names and their order, this device gives the
 * values; an element with no value is left out, as devices leave out what they lack. Kept apart from the
 * scanner's SADP decoder on purpose.
 */
import { escapeXml } from '../../protocols/xml/parse-xml.js';
import { loadCapture } from '../templates.js';

export interface SadpAnswer {
  uuid: string;
  deviceType?: string;
  model?: string;
  serial?: string;
  /** Colon form; Hikvision sends lowercase with dashes. */
  mac?: string;
  ipv4?: string;
  ipv4Mask?: string;
  ipv4Gateway?: string;
  ipv6?: string;
  httpPort?: number;
  commandPort?: number;
  httpsPort?: number;
  firmware?: string;
  dspVersion?: string;
  activated?: boolean;
  dhcp?: boolean;
  deviceLocked?: boolean;
  oemCode?: string;
  /** Captured firmware spells false "flase" in some fields (DeviceLock, HCPlatformEnable): reproduce it on request. */
  falseSpelling?: 'false' | 'flase';
}

const CAPTURE = 'hikvision/hikvision-DS-2CD2385G1-I-V5.6.2-sadp-probematch.xml';
let captureOrder: string[] | null = null;

/** Element names of the captured answer, in order. */
function elementOrder(): string[] {
  captureOrder ??= [...loadCapture(CAPTURE).matchAll(/^\s*<([A-Za-z0-9]+)>/gm)].map((m) => m[1]!).filter((name) => name !== 'ProbeMatch');
  return captureOrder;
}

export function sadpProbeMatchXml(answer: SadpAnswer): string {
  const no = answer.falseSpelling ?? 'false';
  const flag = (value: boolean | undefined): string | undefined => (value === undefined ? undefined : value ? 'true' : no);
  const values: Record<string, string | number | undefined> = {
    Uuid: answer.uuid,
    Types: 'inquiry',
    DeviceType: answer.deviceType,
    DeviceDescription: answer.model,
    DeviceSN: answer.serial,
    CommandPort: answer.commandPort,
    HttpPort: answer.httpPort,
    HttpsPort: answer.httpsPort,
    MAC: answer.mac?.toLowerCase().replace(/:/g, '-'),
    IPv4Address: answer.ipv4,
    IPv4SubnetMask: answer.ipv4Mask,
    IPv4Gateway: answer.ipv4Gateway,
    IPv6Address: answer.ipv6,
    DHCP: flag(answer.dhcp),
    SoftwareVersion: answer.firmware,
    DSPVersion: answer.dspVersion,
    Activated: flag(answer.activated),
    DetailOEMCode: answer.oemCode,
    DeviceLock: flag(answer.deviceLocked),
  };
  const order = [...elementOrder(), ...Object.keys(values).filter((name) => !elementOrder().includes(name))];
  const lines = order.flatMap((name) => (values[name] === undefined ? [] : [`\t<${name}>${escapeXml(String(values[name]))}</${name}>`]));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ProbeMatch>\n${lines.join('\n')}\n</ProbeMatch>\n`;
}
