import React from 'react';
import { Box, Text } from 'ink';
import type { PlannedLogin } from '../../model/events.js';

export function PlanView({ plan }: { plan: PlannedLogin[] }): React.ReactElement {
  const attempts = plan.filter((p) => p.action === 'attempt');
  const skipped = plan.filter((p) => p.action === 'skip');
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>{`Login plan: ${attempts.length} device(s) get exactly one attempt each; ${skipped.length} skipped`}</Text>
      {attempts.map((p) => (
        <Text key={p.id} color="green">{`  knock once  ${p.address ?? ''}  ${p.method ?? ''}  ${p.url ?? ''}  as ${p.username ?? ''}`}</Text>
      ))}
      {skipped.map((p) => (
        <Text key={p.id} color="yellow">{`  skip        ${p.id}  ${p.reason ?? ''}`}</Text>
      ))}
      {attempts.length > 0 ? <Text bold>Press y to send one attempt per device, n or esc to cancel.</Text> : <Text>Nothing to attempt. Press esc.</Text>}
    </Box>
  );
}
