/**
 * A what-if for the unicast-sweep loss, without touching src/: the same runScan, with the UDP socket factory it
 * accepts (ScanOptions.udp) replaced by one that opens every socket with a chosen SO_RCVBUF. Run twice — once with
 * the kernel default, once with a large buffer — the difference in devices found is the buffer's doing.
 *
 *   node --import tsx bench/tools/scan-what-if.ts --targets <a.b.c.d-e.f.g.h> --wait 3000 [--recv-buffer <bytes>] [--build bench/.build]
 *
 * Prints `RESULT {json}`.
 */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { UdpMessage, UdpSocketFactory } from '../../src/transport/udp.js';

type LibraryModule = typeof import('../../src/index.js');

/** The compiled modules when --build is given (what the CLI runs), else the sources under tsx. */
async function loadCore(build: string | undefined): Promise<LibraryModule> {
  return (await import(build ? pathToFileURL(join(build, 'index.js')).href : '../../src/index.js')) as LibraryModule;
}

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** openUdpSocket (src/transport/udp.ts) plus `recvBufferSize`. */
function bufferedFactory(recvBufferSize: number | null, granted: number[]): UdpSocketFactory {
  return async (options) => {
    const socket = dgram.createSocket({ type: options.type, reuseAddr: options.reuseAddr ?? false, ...(recvBufferSize ? { recvBufferSize } : {}) });
    const handlers: Array<(message: UdpMessage) => void> = [];
    const errorHandlers: Array<(error: Error) => void> = [];
    socket.on('message', (data, rinfo) => {
      const message: UdpMessage = { data, address: rinfo.address, port: rinfo.port, family: rinfo.family === 'IPv6' || isIPv6(rinfo.address) ? 'IPv6' : 'IPv4' };
      for (const handler of handlers) handler(message);
    });
    socket.on('error', (error) => errorHandlers.forEach((h) => h(error)));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: options.bindAddress, port: options.port ?? 0, exclusive: !options.reuseAddr }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    granted.push(socket.getRecvBufferSize());
    if (options.broadcast) socket.setBroadcast(true);
    if (options.multicastTtl !== undefined) socket.setMulticastTTL(options.multicastTtl);
    if (options.multicastLoopback !== undefined) socket.setMulticastLoopback(options.multicastLoopback);
    if (options.multicastInterface) socket.setMulticastInterface(options.multicastInterface);
    for (const membership of options.memberships ?? []) socket.addMembership(membership.group, membership.interfaceAddress);
    const bound = socket.address();
    let closed = false;
    return {
      localAddress: bound.address,
      localPort: bound.port,
      send: (data, port, address) => new Promise<void>((resolve, reject) => (closed ? reject(new Error('socket closed')) : socket.send(data, port, address, (error) => (error ? reject(error) : resolve())))),
      onMessage: (handler) => void handlers.push(handler),
      onError: (handler) => void errorHandlers.push(handler),
      close: () => new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        socket.close(() => resolve());
      }),
    };
  };
}

async function main(): Promise<void> {
  const { runScan, expandTargets, ScanDocumentBuilder } = await loadCore(flag('--build'));
  const targets = expandTargets([flag('--targets') ?? '']);
  const waitMs = Number(flag('--wait') ?? 3000);
  const recvBuffer = flag('--recv-buffer') ? Number(flag('--recv-buffer')) : null;
  const granted: number[] = [];
  const builder = new ScanDocumentBuilder();
  let t0 = 0;
  let fingerprintDone = 0;
  for await (const event of runScan({ targets, interfaces: [], waitMs, timeoutMs: 2000, concurrency: 64, udp: bufferedFactory(recvBuffer, granted) })) {
    builder.add(event);
    if (event.type === 'phase' && event.phase === 'discovery' && event.state === 'started') t0 = Date.parse(event.at);
    if (event.type === 'phase' && event.phase === 'fingerprint' && event.state === 'finished') fingerprintDone = Date.parse(event.at) - t0;
  }
  const document = builder.build();
  const cpu = process.cpuUsage();
  process.stdout.write(`RESULT ${JSON.stringify({
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
    recvBufferRequested: recvBuffer,
    recvBufferGranted: [...new Set(granted)],
    fingerprintDoneMs: fingerprintDone,
    devices: document.devices.map((d) => ({ addresses: d.addresses, model: d.model, discoveredBy: d.discoveredBy })),
  })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`scan-what-if: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
