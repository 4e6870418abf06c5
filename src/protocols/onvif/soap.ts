/**
 * SOAP 1.2 envelopes for ONVIF requests, and the reading side every ONVIF response shares: find the Body, turn a
 * Fault into a value, or hand the expected response element to its parser. Devices answer with every prefix
 * imaginable (`env:`, `SOAP-ENV:`, `s:`), so everything matches on local names (parse-xml.ts).
 */
import { XmlDecodeError, childElement, decodeXmlText, findElement, parseXml } from '../xml/parse-xml.js';
import type { XmlElement, XmlErrorCode } from '../xml/parse-xml.js';

export const SOAP12_NAMESPACE = 'http://www.w3.org/2003/05/soap-envelope';
export const ONVIF_DEVICE_NAMESPACE = 'http://www.onvif.org/ver10/device/wsdl';

export type OnvifErrorCode = XmlErrorCode | 'not-soap' | 'soap-fault' | 'unexpected-response';

export class OnvifDecodeError extends Error {
  readonly code: OnvifErrorCode;
  /** Set when code is 'soap-fault': the device refused the call (e.g. ter:NotAuthorized). */
  readonly fault: SoapFault | undefined;
  constructor(code: OnvifErrorCode, message: string, options?: { cause?: unknown; fault?: SoapFault }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OnvifDecodeError';
    this.code = code;
    this.fault = options?.fault;
  }
}

export interface SoapFault {
  /** Local name of the fault code: 'Sender', 'Receiver', 'VersionMismatch' (SOAP 1.1: 'Client', 'Server'). */
  code?: string;
  /** Local names of the Subcode chain, outermost first: ['InvalidArgVal', 'InvalidParameter']. */
  subcodes: string[];
  /** Reason text (English preferred), or the SOAP 1.1 faultstring. */
  reason?: string;
  /** Text of the Detail (SOAP 1.1: detail) element; some devices put the useful sentence here. */
  detail?: string;
}

/** A fault reason is a sentence; anything longer is not worth carrying into a warning or a ledger line. */
const MAX_FAULT_TEXT = 1024;
/** SOAP 1.2 Part 1 §5.4.1.3 allows any depth of Subcode nesting; real devices use one or two levels. */
const MAX_SUBCODE_DEPTH = 8;

/**
 * Wrap a request body in a SOAP 1.2 envelope. `body` and `header` are trusted XML built by this codebase (the
 * body builders below declare their own namespaces), not user input.
 */
export function buildSoapRequest(body: string, opts?: { header?: string }): string {
  const header = opts?.header ? `<s:Header>${opts.header}</s:Header>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${SOAP12_NAMESPACE}">${header}<s:Body>${body}</s:Body></s:Envelope>`;
}

/** Parse and check the envelope shape; XML failures become OnvifDecodeError with the same code. */
export function parseSoapEnvelope(xml: string | Uint8Array): { envelope: XmlElement; body: XmlElement } {
  let envelope: XmlElement;
  try {
    envelope = parseXml(xml);
  } catch (error) {
    if (error instanceof XmlDecodeError) throw new OnvifDecodeError(error.code, error.message, { cause: error });
    throw error;
  }
  if (envelope.name !== 'Envelope') throw new OnvifDecodeError('not-soap', `expected a SOAP Envelope, got <${envelope.name}>`);
  const body = childElement(envelope, 'Body');
  if (!body) throw new OnvifDecodeError('not-soap', 'SOAP Envelope without a Body');
  return { envelope, body };
}

/**
 * The element a successful call returns (e.g. GetDeviceInformationResponse). A Fault throws with code
 * 'soap-fault' and the fault attached; a Body without the element throws 'unexpected-response'.
 */
export function readSoapResponse(xml: string | Uint8Array, responseName: string): XmlElement {
  const { body } = parseSoapEnvelope(xml);
  const faultElement = childElement(body, 'Fault');
  if (faultElement) {
    const fault = readSoapFault(faultElement);
    const summary = fault.reason ?? [fault.code, ...fault.subcodes].filter(Boolean).join('/');
    throw new OnvifDecodeError('soap-fault', `device answered with a SOAP fault: ${summary}`, { fault });
  }
  const response = findElement(body, responseName);
  if (!response) {
    const got = body.children[0]?.name;
    throw new OnvifDecodeError('unexpected-response', `expected <${responseName}> in the SOAP Body, got ${got ? `<${got}>` : 'nothing'}`);
  }
  return response;
}

/**
 * The Fault in a SOAP response, or null when the document is well-formed SOAP without one. Throws
 * OnvifDecodeError for malformed XML or a document that is not a SOAP envelope.
 */
export function parseSoapFault(xml: string | Uint8Array): SoapFault | null {
  const { body } = parseSoapEnvelope(xml);
  const faultElement = childElement(body, 'Fault');
  return faultElement ? readSoapFault(faultElement) : null;
}

/**
 * Read a Fault element of either SOAP version. SOAP 1.2 (Part 1 §5.4): Code/Value + Subcode/Value chain,
 * Reason/Text per language, Detail. SOAP 1.1 (§4.4): faultcode, faultstring, detail — gSOAP cameras send this
 * shape even inside a 1.2 envelope (ws-discovery/generic-gsoap-...-VersionMismatch capture). A 1.1 faultcode
 * may use the dot notation of §4.4.1 ("Client.Authentication"): the parts after the first become subcodes.
 */
export function readSoapFault(fault: XmlElement): SoapFault {
  const result: SoapFault = { subcodes: [] };
  const code12 = childElement(fault, 'Code');
  const code11 = childElement(fault, 'faultcode');
  if (code12) {
    const value = cleanText(childElement(code12, 'Value'));
    if (value) result.code = localPart(value);
    let subcode = childElement(code12, 'Subcode');
    for (let depth = 0; subcode && depth < MAX_SUBCODE_DEPTH; depth += 1) {
      const subValue = cleanText(childElement(subcode, 'Value'));
      if (subValue) result.subcodes.push(localPart(subValue));
      subcode = childElement(subcode, 'Subcode');
    }
  } else if (code11) {
    const value = cleanText(code11);
    if (value) {
      const [first, ...rest] = localPart(value).split('.');
      if (first) result.code = first;
      result.subcodes.push(...rest.filter((part) => part !== '').slice(0, MAX_SUBCODE_DEPTH));
    }
  }

  const reason = childElement(fault, 'Reason');
  const reasonText = reason ? preferredText(reason) : cleanText(childElement(fault, 'faultstring'));
  if (reasonText) result.reason = reasonText;

  const detail = childElement(fault, 'Detail') ?? childElement(fault, 'detail');
  const detailText = detail ? cleanText(detail, true) : undefined;
  if (detailText) result.detail = detailText;
  return result;
}

/** SOAP 1.2 Reason carries one Text per xml:lang; prefer English, else the first. */
function preferredText(reason: XmlElement): string | undefined {
  const texts = reason.children.filter((c) => c.name === 'Text');
  const english = texts.find((t) => /^en\b/i.test(t.attributes['lang'] ?? ''));
  return cleanText(english ?? texts[0]) ?? cleanText(reason);
}

/** 'ter:NotAuthorized' → 'NotAuthorized'. QName prefixes are arbitrary; the local part is what ONVIF defines. */
function localPart(qname: string): string {
  const colon = qname.lastIndexOf(':');
  return colon >= 0 ? qname.slice(colon + 1) : qname;
}

function cleanText(element: XmlElement | undefined, deep = false): string | undefined {
  if (!element) return undefined;
  const raw = deep ? deepText(element) : element.text;
  // eslint-disable-next-line no-control-regex -- control characters never belong in a message we display
  const text = decodeXmlText(raw).replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  return text.length > MAX_FAULT_TEXT ? text.slice(0, MAX_FAULT_TEXT) : text;
}

function deepText(element: XmlElement): string {
  let out = element.text;
  for (const child of element.children) {
    out += ` ${deepText(child)}`;
    if (out.length > MAX_FAULT_TEXT * 2) break;
  }
  return out;
}
