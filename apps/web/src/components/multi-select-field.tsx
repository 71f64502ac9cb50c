import { MultiSelect, type MultiSelectProps } from '@mantine/core';
import { useState } from 'react';

/**
 * Mantine's MultiSelect whose drop-down closes after each pick (a click or ↓ opens it again) and
 * on a click outside, so that it never stays open over the buttons below it. Every multi-select
 * of the app is this one (a lint rule says so).
 */
export function MultiSelectField({ onChange, onDropdownOpen, onDropdownClose, ...props }: MultiSelectProps) {
  const [opened, setOpened] = useState(false);
  return (
    <MultiSelect
      {...props}
      dropdownOpened={opened}
      onDropdownOpen={() => {
        setOpened(true);
        onDropdownOpen?.();
      }}
      onDropdownClose={() => {
        setOpened(false);
        onDropdownClose?.();
      }}
      onChange={(value) => {
        setOpened(false);
        onChange?.(value);
      }}
    />
  );
}
