/** The contract between the simulated device's HTTP server and each service it hosts (ONVIF, vendor APIs). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimulatorProfile } from '../profile.js';
import type { AuthGate } from '../auth-gate.js';
import type { DeviceCounters } from '../counters.js';

/** What a service may read of the device hosting it. */
export interface ServiceHost {
  readonly profile: SimulatorProfile;
  readonly gate: AuthGate;
  readonly counters: DeviceCounters;
  readonly address: string;
  readonly httpPort: number;
  readonly baseUrl: string;
  readonly httpsOnvifUrl: string | null;
  /** The bound RTSP port, or null when the device has no RTSP server. */
  readonly rtspPort: number | null;
  deviceNowMs(): number;
}

export interface ServiceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  body: string;
  /** The client's address (IPv4-mapped IPv6 unwrapped). */
  source: string;
  /** Arrived over TLS. */
  secure: boolean;
}

/** Answers the request and returns true when it is this service's, else returns false without touching `res`. */
export type HttpService = (host: ServiceHost, request: ServiceRequest) => Promise<boolean>;
