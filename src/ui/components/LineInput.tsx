/**
 * A one-line text field that treats each chunk of input character by character. Terminals deliver a paste — or
 * fast typing — as one chunk ("admin\r"); a field that inserted it whole would put a carriage return into the
 * value (and into the screen). Here CR/LF submit, backspace deletes, other control characters are dropped, and
 * `mask` shows one * per character so a password never reaches the screen.
 */
import React, { useRef, useState } from 'react';
import { Text, useInput } from 'ink';

export interface LineInputProps {
  initialValue?: string;
  placeholder?: string;
  mask?: boolean;
  isActive: boolean;
  onSubmit(value: string): void;
}

/** Apply one chunk of keyboard input to a value: returns the new value and whether Enter was pressed. */
export function applyInput(value: string, input: string, key: { backspace?: boolean; delete?: boolean; return?: boolean }): { value: string; submitted: boolean } {
  if (key.return) return { value, submitted: true };
  if (key.backspace || key.delete) return { value: value.slice(0, -1), submitted: false };
  let next = value;
  for (const ch of input) {
    if (ch === '\r' || ch === '\n') return { value: next, submitted: true };
    if (ch === '\x7f' || ch === '\b') {
      next = next.slice(0, -1);
      continue;
    }
    if (ch < ' ') continue;
    next += ch;
  }
  return { value: next, submitted: false };
}

export function LineInput({ initialValue = '', placeholder = '', mask = false, isActive, onSubmit }: LineInputProps): React.ReactElement {
  const [value, setValue] = useState(initialValue);
  // Keys can arrive faster than React re-renders: read and write the latest value through a ref, not a closure.
  const current = useRef(initialValue);
  useInput(
    (input, key) => {
      if (key.escape || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return;
      const result = applyInput(current.current, input, key);
      current.current = result.value;
      setValue(result.value);
      if (result.submitted) onSubmit(result.value);
    },
    { isActive },
  );
  const shown = mask ? '*'.repeat(value.length) : value;
  return (
    <Text>
      {shown === '' && !isActive ? <Text dimColor>{placeholder}</Text> : shown}
      {isActive ? <Text inverse> </Text> : null}
    </Text>
  );
}
