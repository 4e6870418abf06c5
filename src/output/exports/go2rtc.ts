/**
 * go2rtc `streams:` (go2rtc README, "Configuration" / "Source: RTSP"): one named stream per source URL. Each camera
 * gives `<name>` (main) and `<name>_sub` (sub). Holds the password (in the RTSP URLs).
 */
import type { ExportFormatter } from './types.js';
import { cameraStreams, yamlString, type CameraStreams } from './rtsp-streams.js';

export function go2rtcStreamsBlock(cameras: CameraStreams[], indent = ''): string[] {
  const lines = [`${indent}streams:`];
  for (const camera of cameras) {
    lines.push(`${indent}  ${camera.name}:`, `${indent}    - ${yamlString(camera.main)}`);
    if (camera.sub) lines.push(`${indent}  ${camera.name}_sub:`, `${indent}    - ${yamlString(camera.sub)}`);
  }
  if (cameras.length === 0) lines[0] = `${indent}streams: {}`;
  return lines;
}

export const go2rtcExport: ExportFormatter = {
  kind: 'go2rtc',
  secret: true,
  needsLogin: true,
  description: 'go2rtc streams (YAML)',
  format(input) {
    const { cameras, leftOut } = cameraStreams(input);
    const lines = ['# go2rtc streams written by oneknock after one login per camera (main and _sub stream)', ...go2rtcStreamsBlock(cameras)];
    return { content: `${lines.join('\n')}\n`, rows: cameras.length, leftOut };
  },
};
