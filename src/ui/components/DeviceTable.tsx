import React from 'react';
import { Box, Text } from 'ink';
import type { Device } from '../../model/device.js';
import { cellTextFor, columnsFor, deviceState, fit, lockoutRisk } from '../format.js';

const RISK_COLOUR = { high: 'red', medium: 'yellow', low: 'green', unknown: 'magenta' } as const;
const STATE_COLOUR = { locked: 'red', 'not activated': 'yellow', ready: 'green', unknown: 'gray' } as const;
const LOGIN_COLOUR: Record<string, string> = { succeeded: 'green', rejected: 'red', locked: 'red', error: 'red', skipped: 'yellow' };

export interface DeviceTableProps {
  devices: Device[];
  cursor: number;
  selected: string[];
  remaining: Record<string, number | null>;
  width: number;
  height: number;
  colour: boolean;
  /** `--wait-unlock` countdowns by device id: the STATE cell shows "waits N s" / "checking". */
  unlockWaits?: Record<string, { secondsLeft: number; state: 'waiting' | 'checking' }>;
}

export function DeviceTable({ devices, cursor, selected, remaining, width, height, colour, unlockWaits }: DeviceTableProps): React.ReactElement {
  const columns = columnsFor(width);
  const visible = Math.max(1, height);
  const first = Math.min(Math.max(0, cursor - visible + 1), Math.max(0, devices.length - visible));
  const rows = devices.slice(first, first + visible);
  const colourFor = (device: Device, key: string): string | undefined => {
    if (!colour) return undefined;
    if (key === 'lockout') return RISK_COLOUR[lockoutRisk(device)];
    if (key === 'state') return unlockWaits?.[device.id] ? 'yellow' : STATE_COLOUR[deviceState(device) as keyof typeof STATE_COLOUR];
    if (key === 'login') return LOGIN_COLOUR[device.login.status];
    return undefined;
  };
  return (
    <Box flexDirection="column">
      <Text bold>{columns.map((c) => fit(c.title, c.width)).join(' ')}</Text>
      {devices.length === 0 ? <Text dimColor>Listening for devices…</Text> : null}
      {rows.map((device, index) => {
        const isCursor = first + index === cursor;
        return (
          <Box key={device.id}>
            {columns.map((column) => (
              <Text key={column.key} inverse={isCursor} {...(colourFor(device, column.key) ? { color: colourFor(device, column.key)! } : {})}>
                {fit(column.key === 'state' && unlockWaits?.[device.id] ? deviceState(device, unlockWaits[device.id]) : cellTextFor(device, column.key, column.width, remaining[device.id], selected.includes(device.id)), column.width)}{' '}
              </Text>
            ))}
          </Box>
        );
      })}
      {devices.length > visible ? <Text dimColor>{`rows ${first + 1}–${first + rows.length} of ${devices.length}`}</Text> : null}
    </Box>
  );
}
