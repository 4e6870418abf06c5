/** `device.access` (what the login will need) and the HTTPS certificate probe. */
import { X509Certificate } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readCaptureText } from '../../support/captures.js';
import { deviceAccess } from '../../../src/fingerprint/fingerprint.js';
import { httpsBaseUrl, probeHttpsCertificate } from '../../../src/fingerprint/https-probe.js';
import { schemeFromChallenges, toOfferedChallenges } from '../../../src/fingerprint/onvif-probe.js';
import type { ServiceAccess } from '../../../src/fingerprint/types.js';
import { createHttpTransport } from '../../../src/transport/http.js';
import { loadSimulatorCertificate } from '../../../src/simulator/tls.js';

/** The WWW-Authenticate values of a captured HTTP head. */
function challengesIn(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => /^www-authenticate:/i.test(l)).map((l) => l.slice(l.indexOf(':') + 1).trim());
}

function service(kind: ServiceAccess['kind'], headerValues: string[]): ServiceAccess {
  const challenges = toOfferedChallenges(headerValues);
  return { kind, url: 'http://192.0.2.40/', method: 'GET', scheme: schemeFromChallenges(challenges), challenges };
}

describe('deviceAccess', () => {
  it('Hikvision NVR capture: Digest MD5', () => {
    const hikvision = service('hikvision-isapi', challengesIn(readCaptureText('http-auth/hikvision-NVR-ERI-K104-P4-ISAPI-System-status-401-full-hikvision_next-issue50.txt')));
    expect(deviceAccess({ services: [hikvision], certificateSha256: null })).toEqual({ schemes: ['http-digest:MD5'], httpsCertificateSha256: null });
  });

  it('Axis capture (algorithm=MD5 unquoted) plus a WS-UsernameToken-only ONVIF service, in the order seen', () => {
    const headers = JSON.parse(readCaptureText('http-auth/axis-ACCC8E494578-onvif-cgi-jpg-401-headers-node-onvif-issue40.json')) as Record<string, string>;
    const vapix = service('axis-vapix', [headers['www-authenticate']!]);
    const onvif: ServiceAccess = { kind: 'onvif', url: 'http://192.0.2.41/onvif/device_service', method: 'POST', scheme: 'ws-username-token', challenges: [] };
    expect(deviceAccess({ services: [onvif, vapix], certificateSha256: 'AA:BB' }).schemes).toEqual(['ws-username-token', 'http-digest:MD5']);
    expect(deviceAccess({ services: [onvif, vapix], certificateSha256: 'AA:BB' }).httpsCertificateSha256).toBe('AA:BB');
  });

  it('Dahua magicBox capture: Basic only', () => {
    const dahua = service('dahua-cgi', challengesIn(readCaptureText('http-auth/dahua-IPC-HFW4300S-V2-fw2.420-magicBox-cgi-401-partial-rroller-issue583.txt')));
    expect(deviceAccess({ services: [dahua], certificateSha256: null }).schemes).toEqual(['basic-only']);
  });

  it('several Digest algorithms in the device\'s order; absent algorithm is MD5 (RFC 7616 §3.3); unknown and duplicates dropped', () => {
    const dahua = service('dahua-cgi', ['Digest realm="Login to 6G0A1B2PAZ12345", qop="auth", nonce="1", algorithm="SHA-256"', 'Digest realm="Login to 6G0A1B2PAZ12345", qop="auth", nonce="2"']);
    const onvif = service('onvif', ['Digest realm="x", qop="auth", nonce="3", algorithm=md5']);
    const silent: ServiceAccess = { kind: 'onvif', url: 'http://192.0.2.40/', method: 'POST', scheme: 'unknown', challenges: [] };
    const open: ServiceAccess = { kind: 'onvif', url: 'http://192.0.2.40/', method: 'POST', scheme: 'none', challenges: [] };
    expect(deviceAccess({ services: [dahua, onvif, silent, open], certificateSha256: null }).schemes).toEqual(['http-digest:SHA-256', 'http-digest:MD5', 'none']);
    expect(deviceAccess({ services: [], certificateSha256: null })).toEqual({ schemes: [], httpsCertificateSha256: null });
  });
});

describe('httpsBaseUrl', () => {
  it('takes an https XAddr on the responder, or moves another https XAddr\'s port onto the responder', () => {
    expect(httpsBaseUrl('192.0.2.40', ['http://192.0.2.40/onvif/device_service', 'https://192.0.2.40:8443/onvif/device_service'], undefined)).toBe('https://192.0.2.40:8443/');
    expect(httpsBaseUrl('192.0.2.40', ['https://169.254.1.1/onvif/device_service'], undefined)).toBe('https://192.0.2.40/');
    expect(httpsBaseUrl('fe80::1', ['https://[fe80::1]:4443/onvif'], undefined)).toBe('https://[fe80::1]:4443/');
  });

  it('falls back to an advertised HTTPS port, else null', () => {
    expect(httpsBaseUrl('192.0.2.40', ['http://192.0.2.40/onvif/device_service'], 443)).toBe('https://192.0.2.40/');
    expect(httpsBaseUrl('192.0.2.40', [], 8443)).toBe('https://192.0.2.40:8443/');
    expect(httpsBaseUrl('192.0.2.40', ['http://192.0.2.40/onvif/device_service', 'not a url'], undefined)).toBeNull();
  });
});

describe('probeHttpsCertificate', () => {
  it('records the SHA-256 fingerprint of the certificate the server presents', async () => {
    const certificate = loadSimulatorCertificate('simulator');
    const server = createHttpsServer(certificate, (_req, res) => res.writeHead(401, { Server: 'App-webs/', 'WWW-Authenticate': 'Digest realm="a1b2", nonce="n", qop="auth"' }).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as { port: number }).port;
    const http = createHttpTransport();
    try {
      const result = await probeHttpsCertificate({ http, timeoutMs: 2000, now: () => 0 }, `https://127.0.0.1:${port}/`);
      expect(result.certificateSha256).toBe(new X509Certificate(certificate.cert).fingerprint256);
      expect(result.certificateSha256).not.toBe(new X509Certificate(loadSimulatorCertificate('impostor').cert).fingerprint256);
      expect(result.evidence).toEqual([
        { source: 'http', field: 'server', value: 'App-webs/' },
        { source: 'http', field: 'realm', value: 'a1b2' },
      ]);
      expect(result.warnings).toEqual([]);
    } finally {
      await http.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('an advertised HTTPS port that refuses the connection is quiet; plain HTTP on it is a warning', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const closedPort = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    // Reads (and drops) the ClientHello so it sees the client hang up, then the server can close.
    const plain = createServer((socket) => socket.resume().end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', () => resolve()));
    const plainPort = (plain.address() as { port: number }).port;
    const http = createHttpTransport();
    try {
      const quiet = await probeHttpsCertificate({ http, timeoutMs: 1000, now: () => 0 }, `https://127.0.0.1:${closedPort}/`);
      expect(quiet).toEqual({ evidence: [], services: [], warnings: [] });
      const loud = await probeHttpsCertificate({ http, timeoutMs: 1000, now: () => 0 }, `https://127.0.0.1:${plainPort}/`);
      expect(loud.warnings).toHaveLength(1);
      expect(loud.warnings[0]!.code).toMatch(/^http-/);
      expect(loud.certificateSha256).toBeUndefined();
    } finally {
      await http.close();
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });
});
