/** What a simulated device counts, for tests and benchmarks to prove what a scanner did to it. */
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
  /** Credentialed requests that carried HTTP and WS credentials together (the safety contract forbids it). */
  mixedCredentialRequests: number;
  /** Credentialed requests using Basic (forbidden over plain HTTP). */
  basicCredentialRequests: number;
  /** RTSP requests of any kind (also counted above as anonymous or credentialed). */
  rtspRequests: number;
  /** Accepted writes of the lock setting through the vendor API (Hikvision PUT illegalLoginLock, Dahua setConfig). */
  lockSettingWrites: number;
}

export function newCounters(): DeviceCounters {
  return {
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
    lockSettingWrites: 0,
  };
}
