/**
 * Safety scenario (c): an emulation of a VMS "express scan" (docs/FIELD-NOTES.md §1 — e.g. Milestone XProtect): find the
 * cameras by WS-Discovery, then for every device try up to three credential pairs the installer typed plus the
 * default credentials of each candidate driver, stopping at the first pair that works — with the authentication
 * a naive HTTP client uses. It is NOT any vendor's code; it is written from the behaviour the field notes
 * describe, and deliberately generous to the VMS (the right pair is typed first, it stops at the first success,
 * and it tries only the drivers the WS-Discovery scopes point to instead of every driver it has).
 *
 *   ip netns exec <scanner-ns> node --import tsx bench/tools/vms-express-scan.ts --address <scanner ip>
 *
 * Passwords: $BENCH_PASSWORD is the installer's first pair (admin/<it>); the other two are fixed wrong ones.
 *
 * Drivers, per device (the order a driver-probing VMS would use):
 * - Hikvision (scopes name HIKVISION): GET /ISAPI/System/deviceInfo on the XAddrs host;
 * - Dahua (scopes name Dahua): GET /cgi-bin/magicBox.cgi?action=getSystemInfo on the XAddrs host;
 * - ONVIF (every device): POST GetDeviceInformation to XAddrs[0].
 * Pairs per driver: the three typed pairs, then the driver's defaults (Hikvision admin/12345, Dahua admin/admin,
 * Axis root/pass, Pelco admin/admin; the ONVIF driver adds the recognised vendor's default and admin/admin).
 * Naive authentication: vendor HTTP drivers send Basic pre-emptively and answer a 401 Digest challenge with
 * Digest (first challenge, its algorithm); the ONVIF driver sends a WS-UsernameToken dated by the local clock
 * and, on a 401 Digest challenge, repeats the call with Digest as well (token kept — "both", as many clients do).
 * Prints `RESULT {json}`.
 */
import { createSocket } from 'node:dgram';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:http';

interface Pair {
  username: string;
  password: string;
  origin: string;
}

interface Found {
  address: string;
  endpoint: string;
  xaddrs: string[];
  scopes: string[];
}

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const DEFAULTS: Record<string, Pair[]> = {
  hikvision: [{ username: 'admin', password: '12345', origin: 'Hikvision driver default' }],
  dahua: [{ username: 'admin', password: 'admin', origin: 'Dahua driver default' }],
  axis: [{ username: 'root', password: 'pass', origin: 'Axis driver default' }],
  pelco: [{ username: 'admin', password: 'admin', origin: 'Pelco driver default' }],
  onvif: [{ username: 'admin', password: 'admin', origin: 'ONVIF driver default' }],
};

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function probeXml(): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ' +
    'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" ' +
    'xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header><a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>' +
    `<a:MessageID>uuid:${randomUUID()}</a:MessageID><a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>` +
    '<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header><s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>'
  );
}

const text = (xml: string, name: string): string => new RegExp(`<(?:[\\w-]+:)?${name}(?:\\s[^>]*)?>([^<]*)<`).exec(xml)?.[1]?.trim() ?? '';

async function discover(address: string, waitMs: number): Promise<Found[]> {
  const socket = createSocket({ type: 'udp4' });
  const found = new Map<string, Found>();
  socket.on('message', (data, rinfo) => {
    const xml = data.toString('utf8');
    if (!/ProbeMatch/.test(xml)) return;
    const endpoint = text(xml, 'Address');
    const xaddrs = text(xml, 'XAddrs').split(/\s+/).filter(Boolean);
    if (!endpoint || xaddrs.length === 0 || found.has(endpoint)) return;
    found.set(endpoint, { address: rinfo.address, endpoint, xaddrs, scopes: text(xml, 'Scopes').split(/\s+/).filter(Boolean) });
  });
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  socket.setMulticastInterface(address);
  const probe = Buffer.from(probeXml(), 'utf8');
  await new Promise<void>((resolve) => socket.send(probe, 3702, '239.255.255.250', () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  socket.close();
  return [...found.values()];
}

function send(url: URL, method: string, headers: Record<string, string>, body: string | null): Promise<HttpAnswer | null> {
  return new Promise((resolve) => {
    const req = request(url, { method, headers: { ...headers, ...(body !== null ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) }, agent: false, timeout: 3000 }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (data += chunk.length + data.length > 1_000_000 ? '' : chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(null));
    if (body !== null) req.write(body);
    req.end();
  });
}

function digestChallenge(answer: HttpAnswer): Record<string, string> | null {
  const raw = answer.headers['www-authenticate'];
  const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const first = values.find((v) => /^\s*digest\s/i.test(v));
  if (!first) return null;
  const params: Record<string, string> = {};
  for (const match of first.matchAll(/([\w-]+)\s*=\s*(?:"([^"]*)"|([^\s,]*))/g)) params[match[1]!.toLowerCase()] = match[2] ?? match[3] ?? '';
  return params;
}

function digestHeader(challenge: Record<string, string>, method: string, uri: string, pair: Pair): string {
  const algorithm = challenge['algorithm'] ?? 'MD5';
  const hash = (s: string): string => createHash(/sha-?256/i.test(algorithm) ? 'sha256' : 'md5').update(s).digest('hex');
  const cnonce = randomBytes(8).toString('hex');
  const ha1 = hash(`${pair.username}:${challenge['realm'] ?? ''}:${pair.password}`);
  const ha2 = hash(`${method}:${uri}`);
  const qop = challenge['qop'] ? 'auth' : null;
  const response = qop ? hash(`${ha1}:${challenge['nonce']}:00000001:${cnonce}:${qop}:${ha2}`) : hash(`${ha1}:${challenge['nonce']}:${ha2}`);
  return (
    `Digest username="${pair.username}", realm="${challenge['realm'] ?? ''}", nonce="${challenge['nonce'] ?? ''}", uri="${uri}", algorithm=${algorithm}, ` +
    `response="${response}"${qop ? `, qop=${qop}, nc=00000001, cnonce="${cnonce}"` : ''}, opaque="${challenge['opaque'] ?? ''}"`
  );
}

function usernameToken(pair: Pair): string {
  // Dated by this machine's clock: the naive part (docs/FIELD-NOTES.md §1).
  const created = new Date().toISOString();
  const nonce = randomBytes(16);
  const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(pair.password)])).digest('base64');
  return (
    '<wsse:Security s:mustUnderstand="1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" ' +
    'xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><wsse:UsernameToken>' +
    `<wsse:Username>${pair.username}</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</wsse:Password>` +
    `<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce.toString('base64')}</wsse:Nonce>` +
    `<wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security>`
  );
}

/** One try of one pair with one driver; returns the number of credentialed requests sent and whether it worked. */
async function tryPair(driver: string, url: URL, pair: Pair): Promise<{ requests: number; ok: boolean }> {
  const uri = `${url.pathname}${url.search}`;
  if (driver === 'onvif') {
    const envelope = (): string =>
      '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">' +
      `<s:Header>${usernameToken(pair)}</s:Header><s:Body><tds:GetDeviceInformation/></s:Body></s:Envelope>`;
    const headers = { 'Content-Type': 'application/soap+xml; charset=utf-8' };
    const first = await send(url, 'POST', headers, envelope());
    if (!first) return { requests: 1, ok: false };
    if (first.status === 200) return { requests: 1, ok: true };
    const challenge = first.status === 401 ? digestChallenge(first) : null;
    if (!challenge) return { requests: 1, ok: false };
    const second = await send(url, 'POST', { ...headers, Authorization: digestHeader(challenge, 'POST', uri, pair) }, envelope());
    return { requests: 2, ok: second?.status === 200 };
  }
  const basic = `Basic ${Buffer.from(`${pair.username}:${pair.password}`).toString('base64')}`;
  const first = await send(url, 'GET', { Authorization: basic }, null);
  if (!first) return { requests: 1, ok: false };
  if (first.status === 200) return { requests: 1, ok: true };
  const challenge = first.status === 401 ? digestChallenge(first) : null;
  if (!challenge) return { requests: 1, ok: false };
  const second = await send(url, 'GET', { Authorization: digestHeader(challenge, 'GET', uri, pair) }, null);
  return { requests: 2, ok: second?.status === 200 };
}

function vendorOf(scopes: string[]): string | null {
  const joined = decodeURIComponent(scopes.filter((s) => /\/(name|hardware)\//i.test(s)).join(' ')).toLowerCase();
  for (const vendor of ['hikvision', 'dahua', 'axis', 'pelco']) if (joined.includes(vendor)) return vendor;
  return null;
}

async function scanDevice(device: Found, typed: Pair[]): Promise<{ endpoint: string; target: string; vendor: string | null; credentialedRequests: number; pairsTried: number; succeeded: string | null }> {
  const vendor = vendorOf(device.scopes);
  const xaddr = new URL(device.xaddrs[0]!);
  const drivers: Array<{ driver: string; url: URL; pairs: Pair[] }> = [];
  if (vendor === 'hikvision') drivers.push({ driver: 'hikvision', url: new URL('/ISAPI/System/deviceInfo', xaddr), pairs: [...typed, ...DEFAULTS['hikvision']!] });
  if (vendor === 'dahua') drivers.push({ driver: 'dahua', url: new URL('/cgi-bin/magicBox.cgi?action=getSystemInfo', xaddr), pairs: [...typed, ...DEFAULTS['dahua']!] });
  drivers.push({ driver: 'onvif', url: xaddr, pairs: [...typed, ...(vendor ? DEFAULTS[vendor]! : []), ...DEFAULTS['onvif']!] });
  let credentialedRequests = 0;
  let pairsTried = 0;
  for (const { driver, url, pairs } of drivers) {
    for (const pair of pairs) {
      pairsTried += 1;
      const outcome = await tryPair(driver, url, pair);
      credentialedRequests += outcome.requests;
      if (outcome.ok) return { endpoint: device.endpoint, target: xaddr.host, vendor, credentialedRequests, pairsTried, succeeded: `${driver}:${pair.origin}` };
    }
  }
  return { endpoint: device.endpoint, target: xaddr.host, vendor, credentialedRequests, pairsTried, succeeded: null };
}

async function main(): Promise<void> {
  const address = flag('--address');
  const password = process.env['BENCH_PASSWORD'];
  if (!address || !password) throw new Error('usage: --address <scanner ipv4>, password in $BENCH_PASSWORD');
  const typed: Pair[] = [
    { username: 'admin', password, origin: 'typed pair 1 (the site password)' },
    { username: 'admin', password: 'Installer-2019', origin: 'typed pair 2 (an old site password)' },
    { username: 'service', password: 'Service-2024!', origin: 'typed pair 3 (a service account)' },
  ];
  const begin = performance.now();
  const found = await discover(address, Number(flag('--wait') ?? 3000));
  const results: Awaited<ReturnType<typeof scanDevice>>[] = [];
  // A VMS scans several devices at once; 8 in parallel.
  const queue = [...found];
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) results.push(await scanDevice(next, typed));
  }));
  process.stdout.write(`RESULT ${JSON.stringify({ wallMs: performance.now() - begin, found: found.length, succeeded: results.filter((r) => r.succeeded).length, devices: results })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`vms-express-scan: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
