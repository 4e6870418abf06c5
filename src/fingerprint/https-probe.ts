/**
 * The device's HTTPS side, anonymously: one `GET /` that records the certificate's SHA-256 fingerprint (the one
 * the login will be pinned to — docs/SAFETY.md S3) and the usual Server/realm evidence. Cameras present self-signed
 * certificates, so the fingerprint seen now is the only trust there is.
 */
import { HttpTransportError } from '../transport/http.js';
import type { ProbeContext } from './onvif-probe.js';
import { headerEvidence } from './vendor-probes.js';
import { emptyProbeResult, type ProbeResult } from './types.js';
import { urlHost } from '../model/address.js';

const MAX_BODY = 64 * 1024;

/**
 * The HTTPS origin on the responder's own address: an https XAddr naming it, else the port of any https XAddr
 * (moved onto the responder: payload addresses are never contacted), else an advertised HTTPS port (SADP/DHIP).
 */
export function httpsBaseUrl(address: string, xaddrs: string[], httpsPort: number | undefined): string | null {
  const host = urlHost(address);
  const urls = xaddrs
    .map((x) => {
      try {
        return new URL(x);
      } catch {
        return null;
      }
    })
    .filter((u): u is URL => u !== null && u.protocol === 'https:');
  const chosen = urls.find((u) => u.hostname === host || u.hostname === address) ?? urls[0];
  const port = chosen ? chosen.port : httpsPort !== undefined ? String(httpsPort) : null;
  if (port === null) return null;
  return `https://${host}${port === '' || port === '443' ? '' : `:${port}`}/`;
}

export async function probeHttpsCertificate(context: ProbeContext, baseUrl: string): Promise<ProbeResult> {
  const result = emptyProbeResult();
  try {
    const response = await context.http.request({ url: new URL('/', baseUrl).toString(), method: 'GET', timeoutMs: context.timeoutMs, maxBodyBytes: MAX_BODY });
    if (response.certificateSha256) result.certificateSha256 = response.certificateSha256;
    result.evidence.push(...headerEvidence(response, 'http'));
  } catch (error) {
    // An advertised HTTPS port that is switched off refuses the connection: an answer, not a fault.
    if (error instanceof HttpTransportError && error.code === 'connect' && /ECONNREFUSED/.test(String((error.cause as { code?: string } | undefined)?.code ?? error.message))) {
      return result;
    }
    const code = error instanceof HttpTransportError ? `http-${error.code}` : 'probe-failed';
    result.warnings.push({ message: `HTTPS probe of ${baseUrl} failed: ${(error as Error).message}`, code });
  }
  return result;
}
