/** Peak RSS and CPU time of a program that is not ours (nmap), from `/usr/bin/time -f 'BENCHTIME %M %U %S' …`. */

export const TIME_FORMAT = 'BENCHTIME %M %U %S';

export function parseTimeOutput(stderr: string): { maxRssMb: number | null; cpuMs: number | null } {
  const match = /^BENCHTIME (\d+) ([\d.]+) ([\d.]+)$/m.exec(stderr);
  if (!match) return { maxRssMb: null, cpuMs: null };
  return { maxRssMb: Number(match[1]) / 1024, cpuMs: (Number(match[2]) + Number(match[3])) * 1000 };
}
