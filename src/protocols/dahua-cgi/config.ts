/**
 * Dahua CGI `configManager.cgi?action=getConfig&name=RTSP` answers `key=value` lines (Dahua HTTP API, the
 * "table.<Name>.<Field>=<value>" form every getConfig uses), e.g. `table.RTSP.Port=554`. Read only with the
 * accepted credentials.
 */
const MAX_CONFIG_CHARS = 64 * 1024;

/** key=value lines of a getConfig answer (first occurrence of a key wins). */
export function parseDahuaConfig(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.slice(0, MAX_CONFIG_CHARS).split(/\r?\n/)) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const key = line.slice(0, at).trim();
    if (!values.has(key)) values.set(key, line.slice(at + 1).trim());
  }
  return values;
}

/** The RTSP port from a getConfig&name=RTSP answer, or null. */
export function parseDahuaRtspPort(text: string): number | null {
  const raw = parseDahuaConfig(text).get('table.RTSP.Port');
  const port = Number(raw);
  return raw !== undefined && /^\d{1,5}$/.test(raw) && port >= 1 && port <= 65535 ? port : null;
}
