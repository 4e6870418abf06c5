/**
 * The one terminal-safe formatter (issue 16). Device-supplied text (models, vendors, Server headers, realms, SSDP
 * friendlyName, mDNS TXT, SADP/DHIP strings, warnings) must never drive the terminal: C0 controls (ESC starts CSI
 * and OSC sequences, BEL ends OSC), DEL, the C1 controls U+0080–U+009F (U+009B is a one-byte CSI, U+009D an OSC on
 * terminals that honour 8-bit controls; ECMA-48 §5.3) and the bidirectional overrides and isolates U+202A–U+202E,
 * U+2066–U+2069 (Unicode UAX #9; "Trojan Source", CVE-2021-42574), plus the invisible marks U+200E/U+200F/U+061C
 * and the line/paragraph separators U+2028/U+2029, are shown as `\uXXXX` escapes instead.
 *
 * The escape is JSON's own, so applying this to JSON text keeps it valid JSON with the same data (JSON.stringify
 * already escapes C0, and leaves C1/bidi raw): every sink — stdout (table, JSON, NDJSON, `ledger list`), stderr
 * (warnings, plan) and the Ink UI's state — passes its text through here exactly once.
 */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INLINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Neutralise terminal controls; `multiline` keeps \n and \t (output text made of lines), else they are escaped too. */
export function terminalSafe(text: string, options: { multiline?: boolean } = {}): string {
  return text.replace(options.multiline ? MULTILINE : INLINE, escape);
}

/** True when the text holds no byte a terminal would act on (besides \n and \t). */
export function isTerminalSafe(text: string): boolean {
  return !new RegExp(MULTILINE.source).test(text);
}

/** Every string in a JSON-like value made terminal-safe (a copy; non-strings kept). */
export function terminalSafeDeep<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => terminalSafeDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = terminalSafeDeep(v);
    return out as T;
  }
  return value;
}
