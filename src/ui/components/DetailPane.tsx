import React from 'react';
import { Box, Text } from 'ink';
import type { Device } from '../../model/device.js';
import type { AttemptView } from '../../guard/ledger.js';
import { matchDriver, type MilestoneDriver } from '../../output/exports/index.js';
import { verifiedPolicy } from '../../output/lockout-text.js';

export function DetailPane({ device, history, drivers = null }: { device: Device; history: AttemptView[]; drivers?: MilestoneDriver[] | null }): React.ReactElement {
  const l = device.lockout;
  const driver = device.export ? device.export.milestoneDriver : matchDriver(device, drivers);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>{`${device.vendor ?? 'Unknown vendor'} ${device.model ?? ''}  ${device.id}`}</Text>
      <Text>{`Addresses: ${device.addresses.join(', ')}   MAC: ${device.mac ?? '-'}   Serial: ${device.serial ?? '-'}`}</Text>
      <Text>{`Firmware: ${device.firmware ?? '-'}   Activated: ${device.activated === null ? 'unknown' : device.activated ? 'yes' : 'no'}   Found by: ${device.discoveredBy.join(', ')}`}</Text>
      <Text bold>Lockout</Text>
      <Text>{l.policy}</Text>
      <Text>{`State: ${l.state}${l.remainingAttempts !== null ? `, ${l.remainingAttempts} attempt(s) left` : ''}${l.unlockInSeconds ? `, unlocks in ${l.unlockInSeconds} s` : ''}   Can be disabled: ${l.canDisable === null ? 'unknown' : l.canDisable ? 'yes' : 'no'}`}</Text>
      {l.disableHint ? <Text>{`Where: ${l.disableHint}`}</Text> : null}
      {l.verified ? (
        <Text>{`Read from the device (${l.verified.source}): ${verifiedPolicy(l.verified, l.scope)}; can be disabled: ${l.verified.canDisable === null ? 'unknown' : l.verified.canDisable ? 'yes' : 'no'}  ✓ verified — the line above is the knowledge base`}</Text>
      ) : (
        <Text dimColor>{`Knowledge base figures${l.verifiedReason ? ` (the device's own setting could not be read: ${l.verifiedReason})` : ' (the device\'s own setting is read after a successful login)'}`}</Text>
      )}
      {device.onvif ? (
        <>
          <Text bold>ONVIF</Text>
          <Text>{`XAddrs: ${device.onvif.xaddrs.join(' ')}`}</Text>
          <Text>{`Clock offset: ${device.onvif.clockOffsetMs === null ? 'unknown' : `${device.onvif.clockOffsetMs} ms`}`}</Text>
        </>
      ) : null}
      <Text bold>{`Evidence (${device.evidence.length})`}</Text>
      {device.evidence.slice(0, 30).map((e, i) => (
        <Text key={i}>{`  ${e.source.padEnd(14)} ${e.field.padEnd(16)} ${e.value}${e.verified ? '  ✓ verified' : ''}`}</Text>
      ))}
      <Text bold>Hand-off</Text>
      <Text>{driver ? `Milestone driver: ${driver.number} ${driver.name} (matched by ${driver.rule})` : 'Milestone driver: none matched — left out of Milestone exports (give --milestone-drivers)'}</Text>
      {(device.streams ?? []).map((s, i) => (
        <Text key={`stream-${i}`}>{`  ${i === 0 ? 'main' : i === 1 ? 'sub ' : '    '} ${s.uri}  (${s.source}${s.profile !== 'main' && s.profile !== 'sub' ? `, profile ${s.profile}` : ''})`}</Text>
      ))}
      <Text bold>Login</Text>
      <Text>{`${device.login.status}${device.login.method ? ` via ${device.login.method}` : ''}${device.login.reason ? `: ${device.login.reason}` : ''}`}</Text>
      <Text bold>{`Ledger history (${history.length})`}</Text>
      {history.length === 0 ? <Text dimColor>  no recorded attempts</Text> : null}
      {history.map((a) => (
        <Text key={a.attempt}>{`  ${a.at}  ${a.method}  ${a.username}  ${a.status ?? 'no outcome (counts as spent)'}${a.forgotten ? '  (forgotten)' : ''}`}</Text>
      ))}
      <Text dimColor>esc/enter: back   D: log in once and turn this device's lock off (plan and confirmation first)</Text>
    </Box>
  );
}
