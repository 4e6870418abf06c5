/**
 * The simulated Dahua devices' DHIP datagrams, written here from the documented layout rather than with the
 * scanner's framing code: a 32-byte header — little-endian header size 0x20, the ASCII magic "DHIP", eight zero
 * bytes (session and request ids), the body length as little-endian uint32 at offsets 16 and 24 — then the JSON body
 * (docs/FIELD-NOTES.md, DHIP; matches the captured Dahua replies in fixtures/captures/dahua-dhip).
 */
export function dhipDatagram(body: string | Buffer): Buffer {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const header = Buffer.from([
    0x20, 0x00, 0x00, 0x00, 0x44, 0x48, 0x49, 0x50, // size 32, "DHIP"
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // session id, request id
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // body length (16), reserved
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // body length again (24), reserved
  ]);
  for (const offset of [16, 24]) {
    header[offset] = payload.length & 0xff;
    header[offset + 1] = (payload.length >>> 8) & 0xff;
    header[offset + 2] = (payload.length >>> 16) & 0xff;
    header[offset + 3] = (payload.length >>> 24) & 0xff;
  }
  return Buffer.concat([header, payload]);
}
