/**
 * Hostile responders (issue 8, "Hostile networks"): hosts on the camera LAN that answer discovery probes and
 * HTTP requests in every way a broken or malicious device can. They live on their own addresses (<subnet>.200 and
 * up) and are never part of the demo fleet: only tests start them.
 *
 * UDP kinds answer WS-Discovery (3702), SADP (37020) and DHIP (37810) probes with:
 *   garbage          truncated and random datagrams
 *   xml-bomb         XML with DOCTYPE entity bombs and external entities (XXE pointing at the collector)
 *   non-utf8         answers whose bytes are not UTF-8 (Latin-1 names, lone continuation bytes, UTF-16)
 *   jumbo            ~60 KB datagrams
 *   flood            500 ProbeMatches per probe (and as many SADP/DHIP answers), half of them duplicate UUIDs
 *   impersonator     another device's MAC, serial and endpoint UUID, from this host's address
 *   points-elsewhere XAddrs, SADP IPv4Address/HttpPort and DHIP IPv4Address pointing at another host (a collector)
 *
 * HTTP kinds answer WS-Discovery with a well-formed ProbeMatch whose XAddrs name their own server, then misbehave:
 *   huge-body        a 200 with a body of tens of MB, streamed as fast as the client reads
 *   trickle          a 200 whose body arrives one byte at a time, forever
 *   slowloris        a status line, then header bytes one at a time, never ending the head
 *   reset            half a response, then a TCP reset
 *   redirect         anonymous requests get a Digest challenge (GET / a 302); credentialed ones a 302 to the collector
 *                    (it and absurd-digest answer an anonymous GetSystemDateAndTime, so they pass the agreement rule)
 *   absurd-digest    401 challenges with a 10 KB nonce, 1000 parameters, and an unknown algorithm
 *
 * Every responder counts what it received, so tests can prove what the scanner did (e.g. that the redirect host
 * saw one credentialed request and the collector none).
 */
import { randomUUID } from 'node:crypto';
import { openUdpSocket, type UdpEndpoint, type UdpMessage } from '../../src/transport/udp.js';
import { DHIP_PORT, HOSTILE_HTTP_KINDS, HOSTILE_KINDS, SADP_PORT, WS_DISCOVERY_PORT, type HostileCounters, type HostileKind, type HostileOptions, type HostileResponder, type HostileResponders } from './hostile/types.js';
import { answerDhip, answerSadp, answerWsDiscovery, type UdpContext } from './hostile/udp-payloads.js';
import { startHttpSide } from './hostile/http-side.js';

export * from './hostile/types.js';

interface Running {
  responder: HostileResponder;
  close(): Promise<void>;
}

export async function startHostileResponders(options: HostileOptions): Promise<HostileResponders> {
  const kinds = options.kinds ?? HOSTILE_KINDS;
  const first = options.firstHost ?? 200;
  const running: Running[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(running.splice(0).map((r) => r.close()));
  };
  try {
    for (const [index, kind] of kinds.entries()) {
      const host = first + index;
      if (host > 254) throw new RangeError(`too many hostile responders for ${options.subnet}.${first}`);
      running.push(await startOne(kind, `${options.subnet}.${host}`, host, options));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const responders = running.map((r) => r.responder);
  return { responders, addresses: responders.map((r) => r.address), stop };
}

async function startOne(kind: HostileKind, address: string, host: number, options: HostileOptions): Promise<Running> {
  const own = { mac: `02:66:6b:00:00:${host.toString(16).padStart(2, '0')}`, serial: `HOSTILE-${kind}-${host}`, endpointUuid: `urn:uuid:${randomUUID()}` };
  const claimed =
    kind === 'impersonator' && options.impersonate
      ? { mac: options.impersonate.mac, serial: options.impersonate.serial, endpointUuid: options.impersonate.endpointUuid ?? own.endpointUuid }
      : own;
  const responder: HostileResponder = {
    kind,
    address,
    httpPort: null,
    ...claimed,
    counters: { probes: 0, datagramsSent: 0, httpRequests: 0, credentialedRequests: 0, bodyBytesWritten: 0 },
  };
  const closers: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    await Promise.all(closers.splice(0).map((c) => c().catch(() => undefined)));
  };
  try {
    if (HOSTILE_HTTP_KINDS.includes(kind)) {
      const server = await startHttpSide(kind, address, responder, options);
      responder.httpPort = server.port;
      closers.push(server.close);
    }
    const context: UdpContext = { kind, responder, options, model: kind === 'impersonator' ? (options.impersonate?.model ?? 'DS-2CD2386G2-IU') : `HOSTILE-${kind}` };
    const factory = options.udpFactory ?? openUdpSocket;
    for (const [port, answer] of [
      [WS_DISCOVERY_PORT, answerWsDiscovery],
      [SADP_PORT, answerSadp],
      [DHIP_PORT, answerDhip],
    ] as const) {
      // HTTP kinds only need to be found: they answer WS-Discovery and nothing else.
      if (HOSTILE_HTTP_KINDS.includes(kind) && port !== WS_DISCOVERY_PORT) continue;
      const socket = await factory({ type: 'udp4', bindAddress: address, port });
      closers.push(() => socket.close());
      socket.onError(() => undefined);
      socket.onMessage((message) => {
        try {
          const replies = answer(context, message);
          if (replies.length === 0) return;
          responder.counters.probes += 1;
          sendAll(socket, replies, message, responder.counters);
        } catch {
          // A hostile responder that throws is still a hostile responder.
        }
      });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { responder, close };
}

function sendAll(socket: UdpEndpoint, replies: Buffer[], to: UdpMessage, counters: HostileCounters): void {
  for (const reply of replies) {
    socket.send(reply, to.port, to.address).then(
      () => void (counters.datagramsSent += 1),
      () => undefined,
    );
  }
}
