/**
 * The mDNS socket: a bonjour-service (multicast-dns) instance per interface. It is the one socket not opened by
 * transport/udp.ts, because bonjour-service owns both the socket and the DNS codec; discovery/mdns.ts receives it
 * through the injectable MdnsSessionFactory, so tests never touch a network.
 */
import type { EventEmitter } from 'node:events';
import Bonjour from 'bonjour-service';
import type { MdnsServiceInput } from '../protocols/mdns/index.js';

/** A resolved service as bonjour-service reports it; `referer` is the address the answer came from. */
export interface MdnsService extends MdnsServiceInput {
  referer?: { address?: string };
}

export interface MdnsBrowseSession {
  /** Browse one service type over TCP; `onService` is called for each instance resolved. */
  browse(type: string, onService: (service: MdnsService) => void): void;
  /** Send every browse query again. */
  requery(): void;
  close(): Promise<void>;
}

export interface MdnsSessionOptions {
  /** The IPv4 address of the interface to join 224.0.0.251 on and send from. */
  interfaceAddress: string;
  onError(error: Error): void;
}

export type MdnsSessionFactory = (options: MdnsSessionOptions) => MdnsBrowseSession;

type BonjourBrowser = ReturnType<Bonjour['find']>;

/**
 * A bonjour-service instance bound to 0.0.0.0:5353 (shared with the system's responder through SO_REUSEADDR) that
 * joins the group and sends on one interface. Binding the interface address instead would hide every multicast
 * answer on Linux, which delivers group datagrams only to wildcard- or group-bound sockets.
 */
export const openBonjourSession: MdnsSessionFactory = ({ interfaceAddress, onError }) => {
  // bonjour-service passes its options to multicast-dns unchanged; its typing names the wrong interface.
  const multicastDnsOptions = { interface: interfaceAddress, bind: '0.0.0.0' };
  const instance = new Bonjour(multicastDnsOptions as unknown as ConstructorParameters<typeof Bonjour>[0], onError);
  // multicast-dns emits 'error' (EADDRINUSE, EACCES) on an emitter bonjour-service keeps private; unheard, it
  // would crash the process instead of becoming a warning.
  const mdns = (instance as unknown as { server?: { mdns?: EventEmitter } }).server?.mdns;
  mdns?.on('error', onError);
  // Warnings are undecodable packets and failed group joins: worth reporting, never fatal.
  mdns?.on('warning', onError);
  const browsers: BonjourBrowser[] = [];
  return {
    browse(type, onService) {
      browsers.push(instance.find({ type, protocol: 'tcp' }, (service) => onService(service as MdnsService)));
    },
    requery() {
      for (const browser of browsers) browser.update();
    },
    close() {
      for (const browser of browsers) browser.stop();
      return new Promise<void>((resolve) => {
        try {
          instance.destroy(() => resolve());
        } catch {
          // dgram throws when the socket never bound (the error was already reported).
          resolve();
        }
      });
    },
  };
};

