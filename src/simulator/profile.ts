/** Simulator device profiles: fixtures/profiles/*.json, each naming the captures it is derived from. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { profilesRoot } from './templates.js';

export type SimulatedAuth = 'http-digest' | 'ws-username-token' | 'either' | 'basic-only';

export interface SimulatorProfile {
  name: string;
  description: string;
  derivedFrom: string[];
  identity: {
    vendor: string;
    model: string;
    firmware: string;
    serial: string;
    mac: string;
    hardwareId?: string;
  };
  /** Which discovery channels answer (ws-discovery, sadp, dhip, ...). */
  channels: string[];
  wsDiscovery?: {
    /** urn:uuid endpoint; `{mac}` is replaced by the MAC's 12 hex digits. */
    endpointUuid: string;
    scopes: string[];
    types?: string;
    /** Captured ProbeMatch used as the template (fixtures/captures relative path). */
    probeMatchTemplate?: string;
    /**
     * Advertise XAddrs on this host instead of the device's own address (a spoofed or misconfigured answer that
     * points at a credential collector — docs/SAFETY.md S3).
     */
    advertisedHost?: string;
  };
  onvif?: {
    path: string;
    auth: SimulatedAuth;
    /** Captured responses used as templates, by operation. */
    templates: Partial<Record<'GetSystemDateAndTime' | 'GetCapabilities' | 'GetServices' | 'GetDeviceInformation', string>>;
    /** Devices such as Vivotek want a login even for the time (docs/FIELD-NOTES.md §4). */
    timeNeedsLogin?: boolean;
  };
  http?: {
    server?: string;
    realm: string;
    /** Digest algorithms offered, in the device's order of preference. */
    digestAlgorithms: string[];
    qop?: string;
    /** Hikvision sends stale="TRUE" even on a first challenge and a second Basic challenge (docs/FIELD-NOTES.md §4). */
    staleOnFirstChallenge?: boolean;
    basicChallengeToo?: boolean;
  };
  /**
   * ONVIF Media (`media`, ver10) or Media2 (`media2`, ver20, served alone) with these profiles, main first; served
   * at `path` (default /onvif/media_service or /onvif/media2_service). Stream URIs name the device's RTSP port.
   */
  media?: {
    version: 'media' | 'media2';
    path?: string;
    profiles: Array<{ token: string; name: string; rtspPath: string }>;
  };
  vendorApi?: 'hikvision' | 'axis' | 'dahua' | null;
  /**
   * An RTSP server (OPTIONS 200, DESCRIBE 401 Digest). It listens on `port`, else 554 when the simulator runs as
   * root, else an ephemeral port that nothing announces — the scanner's RTSP probe (port 554 unless mDNS says
   * otherwise) then finds nothing, as on a device whose RTSP is off.
   */
  rtsp?: {
    /** RTSP `Server` header; null sends none (as the captured Hikvision answers do). */
    server: string | null;
    realm: string;
    port?: number;
    /** Captured answers used as templates (fixtures/captures relative); defaults in rtsp-responder.ts. */
    optionsTemplate?: string;
    describeTemplate?: string;
  };
  /**
   * Also serve the HTTP API over TLS with the test certificate in fixtures/tls, announced first in XAddrs. Port:
   * `port`, else 443 when the HTTP port is 80, else ephemeral.
   */
  https?: { port?: number };
  clock: { offsetMs: number; tokenWindowMs: number };
  lockout: {
    /** Failures before the lock; null = never locks. */
    threshold: number | null;
    lockSeconds: number;
    scope: 'source-ip' | 'account' | 'rate';
    /** rate scope: failures allowed per second. */
    perSecond?: number;
    /** Tell the client how many attempts remain on failure (Hikvision retryLoginTime, ONVIF fault text). */
    reportRemaining?: boolean;
  };
  account: { username: string; password?: string };
  activated: boolean;
  /**
   * The vendor API offers the lock setting (Hikvision /ISAPI/Security/illegalLoginLock, Dahua General.LockLogin*);
   * default true. false: capabilities say issupIllegalLoginLock=false and the setting answers 404 (Milestone KB
   * 000002183: the option "may or may not be present").
   */
  lockOption?: boolean;
  /** Start the device already locked against every source (a device someone else locked). */
  startLocked?: boolean;
  /** Delay before answering a credentialed request (ms). */
  credentialedDelayMs?: number;
}

export function loadProfile(name: string): SimulatorProfile {
  const file = join(profilesRoot, name.endsWith('.json') ? name : `${name}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as SimulatorProfile;
}

export function listProfiles(): string[] {
  return readdirSync(profilesRoot)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}
