/** Addresses as they appear inside URLs. */

/** The host part of a URL for an address: IPv6 literals in brackets (RFC 3986 §3.2.2), anything else as is. */
export function urlHost(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}

/** `scheme://host[:port]` with the port left out when it is the scheme's default. */
export function origin(scheme: 'http' | 'https' | 'rtsp', address: string, port: number | null | undefined): string {
  const defaults = { http: 80, https: 443, rtsp: 554 } as const;
  return `${scheme}://${urlHost(address)}${port && port !== defaults[scheme] ? `:${port}` : ''}`;
}
