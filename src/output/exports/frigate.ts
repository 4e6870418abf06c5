/**
 * Frigate `go2rtc:` + `cameras:` (Frigate docs "Restream" / "Camera setup"): the cameras read their streams from
 * Frigate's bundled go2rtc at rtsp://127.0.0.1:8554/<name> with `input_args: preset-rtsp-restream`; the main
 * stream records, the sub stream detects (the main does both when a camera has one stream). Holds the password.
 */
import type { ExportFormatter } from './types.js';
import { cameraStreams, yamlString } from './rtsp-streams.js';
import { go2rtcStreamsBlock } from './go2rtc.js';

const RESTREAM = 'rtsp://127.0.0.1:8554';

export const frigateExport: ExportFormatter = {
  kind: 'frigate',
  secret: true,
  needsLogin: true,
  description: 'Frigate cameras restreamed through go2rtc (YAML)',
  format(input) {
    const { cameras, leftOut } = cameraStreams(input);
    const lines = ['# Frigate cameras written by oneknock: main stream -> record, sub stream -> detect, through go2rtc', 'go2rtc:', ...go2rtcStreamsBlock(cameras, '  '), cameras.length === 0 ? 'cameras: {}' : 'cameras:'];
    for (const camera of cameras) {
      const input = (name: string, roles: string[]): string[] => [
        `        - path: ${yamlString(`${RESTREAM}/${name}`)}`,
        '          input_args: preset-rtsp-restream',
        '          roles:',
        ...roles.map((role) => `            - ${role}`),
      ];
      lines.push(`  ${camera.name}:`, '    ffmpeg:', '      inputs:');
      if (camera.sub) lines.push(...input(camera.name, ['record']), ...input(`${camera.name}_sub`, ['detect']));
      else lines.push(...input(camera.name, ['record', 'detect']));
    }
    return { content: `${lines.join('\n')}\n`, rows: cameras.length, leftOut };
  },
};
