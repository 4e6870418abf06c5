/**
 * Anonymous RTSP probe (docs/FIELD-NOTES.md §4: "OPTIONS answers without login; DESCRIBE returns 401 with the realm"):
 * `OPTIONS rtsp://host:port/`, then one DESCRIBE without credentials on the vendor's usual stream path. It reads
 * the `Server` header and the challenge realm; neither request can carry a credential — the codec builds no
 * Authorization header and refuses URLs with userinfo, and the transport refuses such a message (docs/SAFETY.md S1).
 * A refused connection is the common answer (most devices expose no RTSP to us) and stays quiet.
 */
import { RtspError, buildRtspRequest, parseRtspResponse, vendorFromRtspServer, type RtspMethod, type RtspResponse } from '../protocols/rtsp/index.js';
import { RtspTransportError, createRtspTransport, type RtspTransport } from '../transport/rtsp.js';
import type { Evidence } from '../model/device.js';
import type { ProbeContext } from './onvif-probe.js';
import { toOfferedChallenges } from './onvif-probe.js';
import { emptyProbeResult, type ProbeResult } from './types.js';
import { vendorFamilyOf } from '../model/vendor.js';
import { urlHost } from '../model/address.js';

/** RFC 2326 §3.2: the default RTSP port. */
export const RTSP_DEFAULT_PORT = 554;
/** OPTIONS and a 401 are a few hundred bytes; an anonymous DESCRIBE 200 carries an SDP of a few KiB. */
export const MAX_RTSP_READ_BYTES = 16 * 1024;

export interface RtspProbeTarget {
  /** The responder's own address (docs/SAFETY.md S3: never an address read from a payload). */
  address: string;
  port: number;
  /** Vendor as resolved so far, to pick the DESCRIBE path; null for a generic `/`. */
  vendor: string | null;
}

/**
 * The main-stream path each vendor's cameras serve: a DESCRIBE on a path the server does not know may answer
 * 404 before it asks for credentials, and then gives no realm.
 */
export function rtspDescribePath(vendor: string | null): string {
  switch (vendorFamilyOf(vendor)) {
    case 'hikvision':
      return '/Streaming/Channels/101';
    case 'dahua':
      return '/cam/realmonitor?channel=1&subtype=0';
    case 'axis':
      return '/axis-media/media.amp';
    case 'hanwha':
      // Wisenet (formerly Samsung Techwin), iPOLiS firmware: capture hanwha-wisenet-iPOLiS-profile2-media.smp.
      return '/profile2/media.smp';
    default:
      return '/';
  }
}

export function rtspUrl(address: string, port: number, path = '/'): string {
  const host = urlHost(address);
  return `rtsp://${host}${port === RTSP_DEFAULT_PORT ? '' : `:${port}`}${path}`;
}

type Exchange = { response: RtspResponse } | { refused: true } | { failed: { message: string; code: string } };

async function exchange(context: ProbeContext, transport: RtspTransport, target: RtspProbeTarget, method: RtspMethod, url: string, cseq: number): Promise<Exchange> {
  try {
    const raw = await transport.request({
      host: target.address,
      port: target.port,
      message: buildRtspRequest({ method, url, cseq }),
      timeoutMs: context.timeoutMs,
      maxBytes: MAX_RTSP_READ_BYTES,
      ...(context.signal ? { signal: context.signal } : {}),
    });
    return { response: parseRtspResponse(raw.bytes) };
  } catch (error) {
    if (error instanceof RtspTransportError) {
      if (error.code === 'refused') return { refused: true };
      return { failed: { message: `RTSP ${method} ${url} failed: ${error.message}`, code: `rtsp-${error.code}` } };
    }
    if (error instanceof RtspError) return { failed: { message: `RTSP ${method} ${url}: ${error.message}`, code: error.code } };
    throw error;
  }
}

function responseEvidence(response: RtspResponse): Evidence[] {
  const out: Evidence[] = [];
  if (response.server) out.push({ source: 'rtsp', field: 'rtsp-server', value: response.server });
  for (const challenge of toOfferedChallenges(response.wwwAuthenticate)) {
    if (challenge.realm) out.push({ source: 'rtsp', field: 'realm', value: challenge.realm });
  }
  return out;
}

export async function probeRtsp(context: ProbeContext, target: RtspProbeTarget): Promise<ProbeResult> {
  const result = emptyProbeResult();
  const transport = context.rtsp ?? createRtspTransport();
  try {
    const options = await exchange(context, transport, target, 'OPTIONS', rtspUrl(target.address, target.port), 1);
    if ('refused' in options) return result;
    if ('failed' in options) {
      // A device that stalls or garbles OPTIONS would do the same to DESCRIBE: one timeout is enough.
      result.warnings.push(options.failed);
      return result;
    }
    result.evidence.push(...responseEvidence(options.response));

    const describeUrl = rtspUrl(target.address, target.port, rtspDescribePath(target.vendor));
    const describe = await exchange(context, transport, target, 'DESCRIBE', describeUrl, 2);
    if ('failed' in describe) result.warnings.push(describe.failed);
    if ('response' in describe) {
      result.evidence.push(...responseEvidence(describe.response));
      // A stream description without a login is worth telling a person: anyone on the network can watch it.
      if (describe.response.statusCode === 200) result.evidence.push({ source: 'rtsp', field: 'rtsp-anonymous-describe', value: describeUrl });
    }

    const server = options.response.server ?? ('response' in describe ? describe.response.server : undefined);
    const realm = result.evidence.find((e) => e.field === 'realm')?.value;
    // Conservative by design: only Server strings tied to one vendor (or GStreamer with an AXIS_ realm) count.
    const hint = vendorFromRtspServer(server, realm);
    if (hint?.confidence === 'likely') result.evidence.push({ source: 'rtsp', field: 'vendor', value: hint.vendor });
    return dedupe(result);
  } finally {
    if (!context.rtsp) await transport.close();
  }
}

/** OPTIONS and DESCRIBE usually repeat the same Server header. */
function dedupe(result: ProbeResult): ProbeResult {
  const seen = new Set<string>();
  result.evidence = result.evidence.filter((e) => {
    const key = `${e.field}\u0000${e.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return result;
}
