/**
 * One emulated camera on its own loopback address: WS-Discovery on UDP 3702, an ONVIF device service and the
 * vendor's HTTP API, each device with its own clock, accounts and lockout model, and counters that tests read to
 * prove what the scanner did (anonymous vs credentialed requests, failed logins, lockouts, who sent credentials).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { randomBytes, randomUUID } from 'node:crypto';
import { openUdpSocket, type UdpEndpoint, type UdpSocketFactory } from '../transport/udp.js';
import type { SimulatorProfile } from './profile.js';
import { buildHello } from '../protocols/ws-discovery/index.js';
import { editElement, loadCapture, rewriteServiceUrls, setElementText } from './templates.js';
import { verifyDigest, verifyUsernameToken, type CredentialCheck } from './verify-credentials.js';
import { responderDeviceInfo, startDiscoveryResponders, ssdpDescriptionXml, subscribeMulticastGroup, SSDP_DESCRIPTION_PATH, type Responder } from './responders/index.js';
import { startRtspResponder, type RtspResponder } from './responders/rtsp-responder.js';
import { loadSimulatorCertificate, type SimulatorCertificate } from './tls.js';

export interface DeviceCounters {
  anonymousRequests: number;
  credentialedRequests: number;
  failedLogins: number;
  successfulLogins: number;
  /** Times the lockout engaged. */
  lockouts: number;
  discoveryProbes: number;
  /** Source addresses that presented credentials. */
  credentialedSources: string[];
  /** Credentialed requests that carried HTTP and WS credentials together (S4 forbids it). */
  mixedCredentialRequests: number;
  /** Credentialed requests using Basic (S4 forbids it over plain HTTP). */
  basicCredentialRequests: number;
  /** RTSP requests of any kind (also counted above as anonymous or credentialed). */
  rtspRequests: number;
}

export interface DeviceOptions {
  address: string;
  httpPort: number;
  /** Fleet-wide password, used unless the profile sets its own. */
  password: string;
  udpFactory?: UdpSocketFactory;
  /** Upper bound of the random WS-Discovery answer delay (ONVIF APP_MAX_DELAY is 500 ms). */
  maxAnswerDelayMs?: number;
  /** Also answer multicast probes on the interface with this address (network-namespace tests only). */
  multicast?: { interfaceAddress: string; interfaceName?: string };
  /** A second, IPv6 address: WS-Discovery (ff02::c when multicast has an interfaceName) and HTTP answer there too. */
  ipv6Address?: string;
}

interface LockEntry {
  failures: number;
  lockedUntilMs: number;
  recent: number[];
}

const SOAP_CT = 'application/soap+xml; charset=utf-8';

export class SimulatedDevice {
  readonly profile: SimulatorProfile;
  readonly address: string;
  httpPort: number;
  readonly counters: DeviceCounters = {
    anonymousRequests: 0,
    credentialedRequests: 0,
    failedLogins: 0,
    successfulLogins: 0,
    lockouts: 0,
    discoveryProbes: 0,
    credentialedSources: [],
    mixedCredentialRequests: 0,
    basicCredentialRequests: 0,
    rtspRequests: 0,
  };
  /** Bound RTSP port (profile.rtsp), or null. */
  rtspPort: number | null = null;
  /** Bound HTTPS port (profile.https), or null. */
  httpsPort: number | null = null;
  private readonly password: string;
  private readonly udpFactory: UdpSocketFactory;
  private readonly maxAnswerDelayMs: number;
  private udp: UdpEndpoint | null = null;
  private readonly multicast: { interfaceAddress: string; interfaceName?: string } | undefined;
  readonly ipv6Address: string | undefined;
  private udp6: UdpEndpoint | null = null;
  private wsGroup6: UdpEndpoint | null = null;
  private http6: Server | null = null;
  private responders: Responder | null = null;
  private wsGroup: { close(): Promise<void> } | null = null;
  private http: Server | null = null;
  private https: HttpsServer | null = null;
  private rtsp: RtspResponder | null = null;
  private readonly locks = new Map<string, LockEntry>();
  private readonly issuedNonces = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(profile: SimulatorProfile, options: DeviceOptions) {
    this.profile = profile;
    this.address = options.address;
    this.httpPort = options.httpPort;
    this.password = profile.account.password ?? options.password;
    this.udpFactory = options.udpFactory ?? openUdpSocket;
    this.maxAnswerDelayMs = options.maxAnswerDelayMs ?? 40;
    this.multicast = options.multicast;
    this.ipv6Address = options.ipv6Address;
  }

  get host(): string {
    return this.address.includes(':') ? `[${this.address}]` : this.address;
  }

  get baseUrl(): string {
    return `http://${this.host}${this.httpPort === 80 ? '' : `:${this.httpPort}`}`;
  }

  get onvifUrl(): string {
    return `${this.baseUrl}${this.profile.onvif?.path ?? '/onvif/device_service'}`;
  }

  /** The ONVIF service over TLS (profile.https), or null. */
  get httpsOnvifUrl(): string | null {
    if (this.httpsPort === null) return null;
    return `https://${this.host}${this.httpsPort === 443 ? '' : `:${this.httpsPort}`}${this.profile.onvif?.path ?? '/onvif/device_service'}`;
  }

  /** What the device announces in XAddrs: its own service (HTTPS first when it has it), unless the profile spoofs another host. */
  get advertisedXAddrs(): string {
    const spoof = this.profile.wsDiscovery?.advertisedHost;
    const urls = this.httpsOnvifUrl ? [this.httpsOnvifUrl, this.onvifUrl] : [this.onvifUrl];
    // Real devices list their IPv6 service too (the Hikvision capture adds a link-local one).
    if (this.ipv6Address) urls.push(this.onvifUrl.replace(this.host, `[${this.ipv6Address}]`));
    return urls.map((url) => (spoof ? url.replace(this.host, spoof) : url)).join(' ');
  }

  get endpointUuid(): string {
    const mac = this.profile.identity.mac.replace(/[^0-9a-f]/gi, '').toLowerCase();
    return (this.profile.wsDiscovery?.endpointUuid ?? `urn:uuid:${randomUUID()}`).replace('{mac}', mac);
  }

  deviceNowMs(): number {
    return Date.now() + this.profile.clock.offsetMs;
  }

  async start(): Promise<void> {
    this.http = createServer((req, res) => void this.handleHttp(req, res));
    this.http.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      this.http!.once('error', reject);
      this.http!.listen(this.httpPort, this.address, () => resolve());
    });
    const bound = this.http.address();
    if (bound && typeof bound === 'object') this.httpPort = bound.port;
    if (this.profile.https) await this.startHttps(this.profile.https.port ?? (this.httpPort === 80 ? 443 : 0));
    if (this.profile.rtsp) {
      const rtsp = this.profile.rtsp;
      this.rtsp = await startRtspResponder({
        address: this.address,
        // The scanner's probe knows only 554 (and mDNS-announced ports): as non-root the port is ephemeral and unfound.
        port: rtsp.port ?? (typeof process.getuid === 'function' && process.getuid() === 0 ? 554 : 0),
        server: rtsp.server,
        realm: rtsp.realm,
        ...(rtsp.optionsTemplate ? { optionsTemplate: rtsp.optionsTemplate } : {}),
        ...(rtsp.describeTemplate ? { describeTemplate: rtsp.describeTemplate } : {}),
        onRequest: ({ source, credentialed, basic }) => {
          this.counters.rtspRequests += 1;
          if (!credentialed) {
            this.counters.anonymousRequests += 1;
            return;
          }
          this.noteCredentialed(source);
          if (basic) this.counters.basicCredentialRequests += 1;
        },
      });
      this.rtspPort = this.rtsp.port;
    }
    if (this.profile.startLocked) this.lockAll();
    if (this.profile.channels.includes('ws-discovery')) {
      // reuseAddr: a fleet multicast hub binds the group address on the same port.
      this.udp = await this.udpFactory({ type: this.address.includes(':') ? 'udp6' : 'udp4', bindAddress: this.address, port: 3702, reuseAddr: true });
      this.udp.onMessage((message) => this.handleDiscovery(message.data, message.address, message.port));
      this.udp.onError(() => undefined);
      if (this.ipv6Address) await this.startIpv6();
      if (this.multicast) {
        // A device coming onto the network announces itself (WS-Discovery §4.1 Hello).
        await this.udp.send(Buffer.from(this.buildHello(), 'utf8'), 3702, '239.255.255.250').catch(() => undefined);
        this.wsGroup = await subscribeMulticastGroup(
          { udpFactory: this.udpFactory, group: '239.255.255.250', port: 3702, interfaceAddress: this.multicast.interfaceAddress },
          (message) => this.handleDiscovery(message.data, message.address, message.port),
        );
      }
    }
    this.responders = await startDiscoveryResponders({
      device: responderDeviceInfo(this.profile, this.address, this.httpPort),
      udpFactory: this.udpFactory,
      channels: this.profile.channels,
      ...(this.multicast ? { multicast: this.multicast } : {}),
      onProbe: ({ source, credentialed }) => {
        this.counters.discoveryProbes += 1;
        if (credentialed) this.noteCredentialed(source);
      },
    });
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.responders?.close();
    this.responders = null;
    await this.rtsp?.close();
    this.rtsp = null;
    const https = this.https;
    this.https = null;
    if (https) {
      https.closeAllConnections();
      await new Promise<void>((resolve) => https.close(() => resolve()));
    }
    await this.wsGroup?.close();
    this.wsGroup = null;
    await this.udp?.close();
    this.udp = null;
    await this.wsGroup6?.close();
    await this.udp6?.close();
    this.wsGroup6 = null;
    this.udp6 = null;
    const http6 = this.http6;
    this.http6 = null;
    if (http6) {
      http6.closeAllConnections();
      await new Promise<void>((resolve) => http6.close(() => resolve()));
    }
    const http = this.http;
    this.http = null;
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  }

  /**
   * Present another certificate from now on (a device replaced, or a machine in the middle): open TLS
   * connections are dropped so every new request meets the new certificate.
   */
  useHttpsCertificate(certificate: SimulatorCertificate): void {
    if (!this.https) throw new Error(`${this.profile.name} serves no HTTPS`);
    this.https.setSecureContext(certificate);
    this.https.closeAllConnections();
  }

  private async startIpv6(): Promise<void> {
    const address = this.ipv6Address!;
    const http6 = createServer((req, res) => void this.handleHttp(req, res));
    this.http6 = http6;
    await new Promise<void>((resolve, reject) => {
      http6.once('error', reject);
      http6.listen(this.httpPort, address, () => resolve());
    });
    const udp6 = await this.udpFactory({ type: 'udp6', bindAddress: address, port: 3702, reuseAddr: true, ipv6Only: true });
    this.udp6 = udp6;
    udp6.onMessage((message) => this.handleDiscovery(message.data, message.address, message.port, udp6));
    udp6.onError(() => undefined);
    const ifname = this.multicast?.interfaceName;
    if (ifname) {
      // Every device joins ff02::c on the port; each answers from its own IPv6 socket.
      const group = await this.udpFactory({ type: 'udp6', bindAddress: '::', port: 3702, reuseAddr: true, ipv6Only: true, memberships: [{ group: 'ff02::c', interfaceAddress: `::%${ifname}` }] });
      this.wsGroup6 = group;
      group.onMessage((message) => this.handleDiscovery(message.data, message.address, message.port, udp6));
      group.onError(() => undefined);
    }
  }

  private async startHttps(port: number): Promise<void> {
    const https = createHttpsServer(loadSimulatorCertificate('simulator'), (req, res) => void this.handleHttp(req, res));
    https.keepAliveTimeout = 5_000;
    this.https = https;
    await new Promise<void>((resolve, reject) => {
      https.once('error', reject);
      https.listen(port, this.address, () => resolve());
    });
    const bound = https.address();
    this.httpsPort = bound && typeof bound === 'object' ? bound.port : port;
  }

  /** Failures counted for this source (or account) right now; exposed for tests. */
  isLockedFor(source: string, username: string | null): boolean {
    const entry = this.locks.get(this.lockKey(source, username));
    return !!entry && entry.lockedUntilMs > Date.now();
  }

  // ---- WS-Discovery -------------------------------------------------------------------------------------

  /** Answer a WS-Discovery datagram (from the device's own socket, or relayed by the fleet's multicast hub). */
  answerDiscovery(data: Buffer, address: string, port: number): void {
    this.handleDiscovery(data, address, port);
  }

  private handleDiscovery(data: Buffer, address: string, port: number, via?: UdpEndpoint): void {
    const text = data.toString('utf8');
    if (!/<(?:[\w-]+:)?Probe[\s>/]/.test(text)) return;
    this.counters.discoveryProbes += 1;
    if (/Authorization|UsernameToken|<(?:[\w-]+:)?Password/.test(text)) this.noteCredentialed(address);
    const relatesTo = /<(?:[\w-]+:)?MessageID[^>]*>([^<]+)</.exec(text)?.[1]?.trim() ?? '';
    const reply = Buffer.from(this.buildProbeMatches(relatesTo), 'utf8');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      (via ?? this.udp)?.send(reply, port, address).catch(() => undefined);
    }, Math.floor(Math.random() * this.maxAnswerDelayMs));
    this.timers.add(timer);
  }

  buildHello(): string {
    const ws = this.profile.wsDiscovery;
    return buildHello({
      messageId: randomUUID(),
      endpointUuid: this.endpointUuid,
      types: (ws?.types ?? 'dn:NetworkVideoTransmitter tds:Device').split(/\s+/).filter((t) => /^(dn|tds):/.test(t)),
      scopes: ws?.scopes ?? [],
      xaddrs: this.advertisedXAddrs.split(' '),
      metadataVersion: 1,
    });
  }

  buildProbeMatches(relatesTo: string): string {
    const ws = this.profile.wsDiscovery;
    const scopes = (ws?.scopes ?? []).join(' ');
    const types = ws?.types ?? 'dn:NetworkVideoTransmitter tds:Device';
    if (ws?.probeMatchTemplate) {
      let xml = loadCapture(ws.probeMatchTemplate);
      xml = setElementText(xml, 'MessageID', `uuid:${randomUUID()}`);
      xml = setElementText(xml, 'RelatesTo', relatesTo);
      xml = setElementText(xml, 'Address', this.endpointUuid);
      xml = setElementText(xml, 'Scopes', scopes);
      xml = setElementText(xml, 'XAddrs', this.advertisedXAddrs);
      xml = setElementText(xml, 'Types', types);
      return xml;
    }
    return (
      '<?xml version="1.0" encoding="UTF-8"?>' +
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" ' +
      'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">' +
      `<s:Header><a:MessageID>uuid:${randomUUID()}</a:MessageID><a:RelatesTo>${relatesTo}</a:RelatesTo>` +
      '<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>' +
      '<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action></s:Header>' +
      `<s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>${this.endpointUuid}</a:Address></a:EndpointReference>` +
      `<d:Types>${types}</d:Types><d:Scopes>${scopes}</d:Scopes><d:XAddrs>${this.advertisedXAddrs}</d:XAddrs>` +
      '<d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>'
    );
  }

  // ---- HTTP -----------------------------------------------------------------------------------------------

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).byteLength;
      if (size > 256 * 1024) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const source = normaliseSource(req.socket.remoteAddress ?? '');
    const url = new URL(req.url ?? '/', 'http://device');
    const authorization = req.headers['authorization'];
    const hasWsse = /UsernameToken/.test(body);
    const credentialed = authorization !== undefined || hasWsse;
    if (credentialed) {
      this.noteCredentialed(source);
      if (authorization && hasWsse) this.counters.mixedCredentialRequests += 1;
      if (authorization && /^\s*basic/i.test(authorization)) this.counters.basicCredentialRequests += 1;
    } else {
      this.counters.anonymousRequests += 1;
    }
    const server = this.profile.http?.server;
    if (server) res.setHeader('Server', server);

    if (req.method === 'GET' && url.pathname === SSDP_DESCRIPTION_PATH && this.profile.channels.includes('ssdp')) {
      this.send(res, 200, 'text/xml; charset="utf-8"', ssdpDescriptionXml(responderDeviceInfo(this.profile, this.address, this.httpPort)));
      return;
    }
    const onvifPath = this.profile.onvif?.path ?? '/onvif/device_service';
    if (req.method === 'POST' && this.profile.onvif && url.pathname === onvifPath) {
      await this.handleOnvif(req, res, body, source, (req.socket as TLSSocket).encrypted === true);
      return;
    }
    if (this.profile.vendorApi === 'hikvision') {
      if (url.pathname === '/SDK/activateStatus' && req.method === 'GET') {
        this.send(res, 200, 'application/xml', `<?xml version="1.0" encoding="UTF-8"?>\n<ActivateStatus><Activated>${this.profile.activated}</Activated></ActivateStatus>\n`);
        return;
      }
      if (url.pathname === '/ISAPI/Security/userCheck' || url.pathname === '/ISAPI/System/deviceInfo') {
        const outcome = await this.checkHttpCredentials(req, source);
        if (outcome === 'ok') {
          const payload = url.pathname === '/ISAPI/Security/userCheck'
            ? '<?xml version="1.0" encoding="UTF-8"?>\n<userCheck>\n<statusValue>200</statusValue>\n<statusString>OK</statusString>\n</userCheck>\n'
            : this.hikvisionDeviceInfo();
          this.send(res, 200, 'application/xml', payload);
        } else {
          this.sendHikvision401(res, source, outcome);
        }
        return;
      }
    }
    if (this.profile.vendorApi === 'axis' && url.pathname === '/axis-cgi/basicdeviceinfo.cgi' && req.method === 'POST') {
      const id = this.profile.identity;
      const data = JSON.parse(loadCapture('axis/axis-M1065-LW-basicdeviceinfo-getAllProperties.json')) as { data?: { propertyList?: Record<string, string> } };
      const list = { ...(data.data?.propertyList ?? {}), ProdNbr: id.model, ProdFullName: `AXIS ${id.model} Network Camera`, Version: id.firmware, SerialNumber: id.mac.replace(/:/g, '').toUpperCase() };
      this.send(res, 200, 'application/json', JSON.stringify({ apiVersion: '1.0', data: { propertyList: list } }));
      return;
    }
    if (this.profile.vendorApi === 'dahua' && url.pathname === '/cgi-bin/magicBox.cgi') {
      const outcome = await this.checkHttpCredentials(req, source);
      if (outcome === 'ok') {
        const id = this.profile.identity;
        this.send(res, 200, 'text/plain', `deviceType=${id.model}\r\nserialNumber=${id.serial}\r\nhardwareVersion=1.00\r\n`);
      } else {
        this.sendChallenge(res, 401, 'text/plain', 'Error\r\n');
      }
      return;
    }
    this.send(res, 404, 'text/plain', 'not found');
  }

  private async handleOnvif(req: IncomingMessage, res: ServerResponse, body: string, source: string, secure: boolean): Promise<void> {
    const onvif = this.profile.onvif!;
    const operation = /<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?(\w+)/.exec(body)?.[1] ?? '';
    const preAuth = ['GetSystemDateAndTime', 'GetCapabilities', 'GetServices', 'GetServiceCapabilities', 'GetHostname', 'GetWsdlUrl', 'GetEndpointReference'];
    const needsLogin = !preAuth.includes(operation) || (operation === 'GetSystemDateAndTime' && onvif.timeNeedsLogin === true);
    if (needsLogin) {
      const outcome = await this.checkOnvifCredentials(req, body, source);
      if (outcome !== 'ok') {
        if (outcome === 'anonymous' && (onvif.auth === 'http-digest' || onvif.auth === 'either')) {
          this.sendChallenge(res, 401, 'text/html', '<html><body>401 Unauthorized</body></html>');
          return;
        }
        this.sendOnvifAuthFault(res, source, outcome);
        return;
      }
    }
    const payload = this.onvifResponse(operation, secure && this.httpsOnvifUrl ? new URL(this.httpsOnvifUrl).origin : this.baseUrl);
    if (payload === null) {
      this.send(res, 400, SOAP_CT, soapFault('env:Receiver', 'ter:ActionNotSupported', 'Optional Action Not Implemented'));
      return;
    }
    this.send(res, 200, SOAP_CT, payload);
  }

  private onvifResponse(operation: string, base: string): string | null {
    const templates = this.profile.onvif?.templates ?? {};
    const id = this.profile.identity;
    switch (operation) {
      case 'GetSystemDateAndTime': {
        const template = templates.GetSystemDateAndTime;
        if (!template) return null;
        const now = new Date(this.deviceNowMs());
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
        // there is a UTCDateTime to rely on, otherwise LocalDateTime is the clock (FIELD-NOTES §4).
        xml = editElement(xml, 'LocalDateTime', fill);
        if (!/UTCDateTime/.test(xml)) xml = setElementText(xml, 'TZ', 'UTC0');
        return xml;
      }
      case 'GetCapabilities':
        return templates.GetCapabilities ? rewriteServiceUrls(loadCapture(templates.GetCapabilities), base) : null;
      case 'GetServices':
        return templates.GetServices ? rewriteServiceUrls(loadCapture(templates.GetServices), base) : null;
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

  private hikvisionDeviceInfo(): string {
    const id = this.profile.identity;
    let xml = loadCapture('hikvision/hikvision-DS-2CD2T43G2-4I-V5.7.18-ISAPI-deviceInfo.xml');
    xml = setElementText(xml, 'model', id.model);
    xml = setElementText(xml, 'serialNumber', id.serial);
    xml = setElementText(xml, 'macAddress', id.mac);
    const [version, build] = id.firmware.split(/\s*build\s*/i);
    xml = setElementText(xml, 'firmwareVersion', version ?? id.firmware);
    if (build) xml = setElementText(xml, 'firmwareReleasedDate', `build ${build}`);
    return xml;
  }

  // ---- credentials and lockout -----------------------------------------------------------------------------

  private noteCredentialed(source: string): void {
    this.counters.credentialedRequests += 1;
    if (!this.counters.credentialedSources.includes(source)) this.counters.credentialedSources.push(source);
  }

  private lockKey(source: string, username: string | null): string {
    return this.profile.lockout.scope === 'account' ? `account:${username ?? ''}` : `ip:${source}`;
  }

  private lockAll(): void {
    this.locks.set('*', { failures: 0, lockedUntilMs: Date.now() + this.profile.lockout.lockSeconds * 1000, recent: [] });
  }

  private lockedNow(source: string, username: string | null): boolean {
    const all = this.locks.get('*');
    if (all && all.lockedUntilMs > Date.now()) return true;
    return this.isLockedFor(source, username);
  }

  private unlockInSeconds(source: string, username: string | null): number {
    const entry = this.locks.get('*')?.lockedUntilMs ?? this.locks.get(this.lockKey(source, username))?.lockedUntilMs ?? 0;
    return Math.max(0, Math.ceil((entry - Date.now()) / 1000));
  }

  /** Count one failed login; returns attempts left before the lock (null when the device never locks). */
  private recordFailure(source: string, username: string | null): number | null {
    this.counters.failedLogins += 1;
    const policy = this.profile.lockout;
    if (policy.threshold === null) return null;
    const key = this.lockKey(source, username);
    const entry = this.locks.get(key) ?? { failures: 0, lockedUntilMs: 0, recent: [] };
    const now = Date.now();
    if (policy.scope === 'rate') {
      entry.recent = entry.recent.filter((t) => now - t < 1000).concat(now);
      if (entry.recent.length > (policy.perSecond ?? policy.threshold)) {
        entry.lockedUntilMs = now + policy.lockSeconds * 1000;
        this.counters.lockouts += 1;
      }
      this.locks.set(key, entry);
      return null;
    }
    entry.failures += 1;
    if (entry.failures >= policy.threshold) {
      entry.lockedUntilMs = now + policy.lockSeconds * 1000;
      entry.failures = 0;
      this.counters.lockouts += 1;
      this.locks.set(key, entry);
      return 0;
    }
    this.locks.set(key, entry);
    return policy.threshold - entry.failures;
  }

  private recordSuccess(source: string, username: string): void {
    this.counters.successfulLogins += 1;
    const entry = this.locks.get(this.lockKey(source, username));
    if (entry && this.profile.lockout.scope !== 'rate') entry.failures = 0;
  }

  private async delayIfCredentialed(): Promise<void> {
    const delay = this.profile.credentialedDelayMs ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  }

  private checkHttpAuthorization(req: IncomingMessage, header: string): CredentialCheck {
    if (/^\s*basic/i.test(header)) {
      if (this.profile.onvif?.auth !== 'basic-only') return { ok: false, username: null, reason: 'wrong-scheme' };
      const [user, ...rest] = Buffer.from(header.trim().slice(6), 'base64').toString('utf8').split(':');
      const ok = user === this.profile.account.username && rest.join(':') === this.password;
      return ok ? { ok: true, username: user } : { ok: false, username: user ?? null, reason: 'bad-password' };
    }
    return verifyDigest({
      header,
      method: req.method ?? 'GET',
      realm: this.profile.http?.realm ?? 'device',
      username: this.profile.account.username,
      password: this.password,
      issuedNonces: this.issuedNonces,
    });
  }

  /** 'ok' | 'anonymous' | 'locked' | attempts-left-after-failure (number or null). */
  private async checkHttpCredentials(req: IncomingMessage, source: string): Promise<'ok' | 'anonymous' | 'locked' | { remaining: number | null }> {
    const header = req.headers['authorization'];
    if (header === undefined) return 'anonymous';
    await this.delayIfCredentialed();
    const check = this.checkHttpAuthorization(req, header);
    if (this.lockedNow(source, check.username)) return 'locked';
    if (check.ok) {
      this.recordSuccess(source, check.username);
      return 'ok';
    }
    return { remaining: this.recordFailure(source, check.username) };
  }

  private async checkOnvifCredentials(req: IncomingMessage, body: string, source: string): Promise<'ok' | 'anonymous' | 'locked' | { remaining: number | null }> {
    const header = req.headers['authorization'];
    const token = verifyUsernameToken({
      envelope: body,
      username: this.profile.account.username,
      password: this.password,
      deviceNowMs: this.deviceNowMs(),
      windowMs: this.profile.clock.tokenWindowMs,
    });
    if (header === undefined && token === null) return 'anonymous';
    await this.delayIfCredentialed();
    const checks: CredentialCheck[] = [];
    // A device checks both when both are present: two chances to fail (FIELD-NOTES §5).
    if (header !== undefined) checks.push(this.profile.onvif?.auth === 'ws-username-token' ? { ok: false, username: null, reason: 'wrong-scheme' } : this.checkHttpAuthorization(req, header));
    if (token !== null) checks.push(this.profile.onvif?.auth === 'http-digest' || this.profile.onvif?.auth === 'basic-only' ? { ok: false, username: token.username, reason: 'wrong-scheme' } : token);
    const username = checks.find((c) => c.username)?.username ?? null;
    if (this.lockedNow(source, username)) return 'locked';
    let remaining: number | null = null;
    let failed = false;
    for (const check of checks) {
      if (!check.ok) {
        failed = true;
        remaining = this.recordFailure(source, check.username);
      }
    }
    if (!failed) {
      this.recordSuccess(source, username ?? '');
      return 'ok';
    }
    return { remaining };
  }

  private sendChallenge(res: ServerResponse, status: number, type: string, body: string): void {
    const http = this.profile.http;
    const challenges: string[] = [];
    for (const algorithm of http?.digestAlgorithms ?? ['MD5']) {
      const nonce = randomBytes(16).toString('hex') + `:${Date.now()}`;
      this.issuedNonces.add(nonce);
      const stale = http?.staleOnFirstChallenge ? ', stale="TRUE"' : ', stale="FALSE"';
      challenges.push(`Digest realm="${http?.realm ?? 'device'}", domain="::", qop="${http?.qop ?? 'auth'}", nonce="${nonce}", opaque="", algorithm="${algorithm}"${stale}`);
    }
    if (http?.basicChallengeToo) challenges.push(`Basic realm="${http.realm}"`);
    if (this.profile.onvif?.auth === 'basic-only') challenges.splice(0, challenges.length, `Basic realm="${http?.realm ?? 'device'}"`);
    res.setHeader('WWW-Authenticate', challenges);
    this.send(res, status, type, body);
  }

  private sendHikvision401(res: ServerResponse, source: string, outcome: 'anonymous' | 'locked' | { remaining: number | null }): void {
    const locked = outcome === 'locked' || this.lockedNow(source, this.profile.account.username) || (typeof outcome === 'object' && outcome.remaining === 0);
    const remaining = typeof outcome === 'object' ? outcome.remaining : null;
    let body = '<?xml version="1.0" encoding="UTF-8" ?>\n<userCheck>\n<statusValue>401</statusValue>\n<statusString>Unauthorized</statusString>\n';
    if (locked) body += `<lockStatus>lock</lockStatus>\n<unlockTime>${this.unlockInSeconds(source, this.profile.account.username)}</unlockTime>\n<retryLoginTime>0</retryLoginTime>\n`;
    else if (remaining !== null && this.profile.lockout.reportRemaining) body += `<lockStatus>unlock</lockStatus>\n<unlockTime>0</unlockTime>\n<retryLoginTime>${remaining}</retryLoginTime>\n`;
    body += '</userCheck>\n';
    this.sendChallenge(res, 401, 'application/xml; charset="UTF-8"', body);
  }

  private sendOnvifAuthFault(res: ServerResponse, source: string, outcome: 'anonymous' | 'locked' | { remaining: number | null }): void {
    const locked = outcome === 'locked' || (typeof outcome === 'object' && outcome.remaining === 0);
    let reason = 'Sender not Authorized';
    if (locked) {
      reason = 'The device is locked because of entering wrong username/password many times. Please try it after 30 minutes!';
      void source;
    } else if (typeof outcome === 'object' && outcome.remaining !== null && this.profile.lockout.reportRemaining) {
      reason = `Sender not Authorized. You still have ${outcome.remaining} attempt(s)`;
    }
    this.send(res, 400, SOAP_CT, soapFault('env:Sender', 'ter:NotAuthorized', reason));
  }

  private send(res: ServerResponse, status: number, type: string, body: string): void {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }
}

function normaliseSource(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function soapFault(code: string, subcode: string, reason: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error">' +
    `<env:Body><env:Fault><env:Code><env:Value>${code}</env:Value><env:Subcode><env:Value>${subcode}</env:Value></env:Subcode></env:Code>` +
    `<env:Reason><env:Text xml:lang="en">${reason}</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>\n`
  );
}
