/** Small helpers every simulated HTTP service answers with. */
import type { ServerResponse } from 'node:http';

export const SOAP_CONTENT_TYPE = 'application/soap+xml; charset=utf-8';

export function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** A SOAP 1.2 fault as ONVIF devices send it (ONVIF Core §5.11: env:Sender + ter:NotAuthorized for auth faults). */
export function soapFault(code: string, subcode: string, reason: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error">' +
    `<env:Body><env:Fault><env:Code><env:Value>${code}</env:Value><env:Subcode><env:Value>${subcode}</env:Value></env:Subcode></env:Code>` +
    `<env:Reason><env:Text xml:lang="en">${reason}</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>\n`
  );
}

export function normaliseSource(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
