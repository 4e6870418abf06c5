/**
 * One emulated camera on its own loopback address: WS-Discovery on UDP 3702, an ONVIF device service and the
 * vendor's HTTP API, each device with its own clock, accounts and lockout model, and counters that tests read to
 * prove what the scanner did (anonymous vs credentialed requests, failed logins, lockouts, who sent credentials).
 */
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { randomUUID } from 'node:crypto';
import { openUdpSocket, type UdpEndpoint, type UdpSocketFactory } from '../transport/udp.js';
import type { SimulatorProfile } from './profile.js';
import { WS_DISCOVERY_IPV4_GROUP, WS_DISCOVERY_IPV6_GROUP, WS_DISCOVERY_PORT } from '../protocols/ws-discovery/index.js';
import { helloXml, probeMatchesXml, type AnnouncedEndpoint } from './wire/ws-discovery.js';
import { loadCapture, setElementText } from './templates.js';
import { AuthGate } from './auth-gate.js';
import { newCounters, type DeviceCounters } from './counters.js';
import type { ServiceHost } from './services/index.js';
import { serveHttp } from './http-server.js';
import { responderDeviceInfo, startDiscoveryResponders, subscribeMulticastGroup, type Responder } from './responders/index.js';
import { startRtspResponder, type RtspResponder } from './responders/rtsp-responder.js';
import { loadSimulatorCertificate, type SimulatorCertificate } from './tls.js';
import { urlHost } from '../model/address.js';

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

export type { DeviceCounters };

export class SimulatedDevice implements ServiceHost {
  readonly profile: SimulatorProfile;
  readonly address: string;
  httpPort: number;
  readonly counters: DeviceCounters = newCounters();
  /** Credential checks and the lockout model (shared by every service this device hosts). */
  readonly gate: AuthGate;
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
    this.gate = new AuthGate(profile, this.password, this.counters, () => this.deviceNowMs());
  }

  get host(): string {
    return urlHost(this.address);
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
    this.http = createServer((req, res) => void serveHttp(this, req, res));
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
          this.gate.noteCredentialed(source);
          if (basic) this.counters.basicCredentialRequests += 1;
        },
      });
      this.rtspPort = this.rtsp.port;
    }
    if (this.profile.startLocked) this.gate.lockAll();
    if (this.profile.channels.includes('ws-discovery')) {
      // reuseAddr: a fleet multicast hub binds the group address on the same port.
      this.udp = await this.udpFactory({ type: this.address.includes(':') ? 'udp6' : 'udp4', bindAddress: this.address, port: WS_DISCOVERY_PORT, reuseAddr: true });
      this.udp.onMessage((message) => this.handleDiscovery(message.data, message.address, message.port));
      this.udp.onError(() => undefined);
      if (this.ipv6Address) await this.startIpv6();
      if (this.multicast) {
        // A device coming onto the network announces itself (WS-Discovery §4.1 Hello).
        await this.udp.send(Buffer.from(this.buildHello(), 'utf8'), WS_DISCOVERY_PORT, WS_DISCOVERY_IPV4_GROUP).catch(() => undefined);
        this.wsGroup = await subscribeMulticastGroup(
          { udpFactory: this.udpFactory, group: WS_DISCOVERY_IPV4_GROUP, port: WS_DISCOVERY_PORT, interfaceAddress: this.multicast.interfaceAddress },
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
        if (credentialed) this.gate.noteCredentialed(source);
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
    const http6 = createServer((req, res) => void serveHttp(this, req, res));
    this.http6 = http6;
    await new Promise<void>((resolve, reject) => {
      http6.once('error', reject);
      http6.listen(this.httpPort, address, () => resolve());
    });
    const udp6 = await this.udpFactory({ type: 'udp6', bindAddress: address, port: WS_DISCOVERY_PORT, reuseAddr: true, ipv6Only: true });
    this.udp6 = udp6;
    udp6.onMessage((message) => this.handleDiscovery(message.data, message.address, message.port, udp6));
    udp6.onError(() => undefined);
    const ifname = this.multicast?.interfaceName;
    if (ifname) {
      // Every device joins ff02::c on the port; each answers from its own IPv6 socket.
      const group = await this.udpFactory({ type: 'udp6', bindAddress: '::', port: WS_DISCOVERY_PORT, reuseAddr: true, ipv6Only: true, memberships: [{ group: WS_DISCOVERY_IPV6_GROUP, interfaceAddress: `::%${ifname}` }] });
      this.wsGroup6 = group;
      group.onMessage((message) => this.handleDiscovery(message.data, message.address, message.port, udp6));
      group.onError(() => undefined);
    }
  }

  private async startHttps(port: number): Promise<void> {
    const https = createHttpsServer(loadSimulatorCertificate('simulator'), (req, res) => void serveHttp(this, req, res));
    https.keepAliveTimeout = 5_000;
    this.https = https;
    await new Promise<void>((resolve, reject) => {
      https.once('error', reject);
      https.listen(port, this.address, () => resolve());
    });
    const bound = https.address();
    this.httpsPort = bound && typeof bound === 'object' ? bound.port : port;
  }

  /** Locked for this source (or account) right now; exposed for tests. */
  isLockedFor(source: string, username: string | null): boolean {
    return this.gate.isLockedFor(source, username);
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
    if (/Authorization|UsernameToken|<(?:[\w-]+:)?Password/.test(text)) this.gate.noteCredentialed(address);
    const relatesTo = /<(?:[\w-]+:)?MessageID[^>]*>([^<]+)</.exec(text)?.[1]?.trim() ?? '';
    const reply = Buffer.from(this.buildProbeMatches(relatesTo), 'utf8');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      (via ?? this.udp)?.send(reply, port, address).catch(() => undefined);
    }, Math.floor(Math.random() * this.maxAnswerDelayMs));
    this.timers.add(timer);
  }

  /** What this device announces about itself in Hello and ProbeMatches. */
  private announced(): AnnouncedEndpoint {
    const ws = this.profile.wsDiscovery;
    return {
      address: this.endpointUuid,
      types: ws?.types ?? 'dn:NetworkVideoTransmitter tds:Device',
      scopes: ws?.scopes ?? [],
      xaddrs: this.advertisedXAddrs.split(' '),
    };
  }

  buildHello(): string {
    return helloXml(randomUUID(), this.announced());
  }

  buildProbeMatches(relatesTo: string): string {
    const ws = this.profile.wsDiscovery;
    const endpoint = this.announced();
    if (ws?.probeMatchTemplate) {
      // The profile's own captured answer, with this device's values put in.
      let xml = loadCapture(ws.probeMatchTemplate);
      xml = setElementText(xml, 'MessageID', `uuid:${randomUUID()}`);
      xml = setElementText(xml, 'RelatesTo', relatesTo);
      xml = setElementText(xml, 'Address', endpoint.address);
      xml = setElementText(xml, 'Scopes', endpoint.scopes.join(' '));
      xml = setElementText(xml, 'XAddrs', endpoint.xaddrs.join(' '));
      xml = setElementText(xml, 'Types', endpoint.types);
      return xml;
    }
    return probeMatchesXml(randomUUID(), relatesTo, endpoint);
  }
}
