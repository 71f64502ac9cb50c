import { Text, type TextProps } from '@mantine/core';

/**
 * A name in a table cell: on one line, cut short with "…" when it is too long for the column, the
 * whole of it on hover. Tables stay readable at 1280 px instead of wrapping names over three lines.
 */
export function CellText({ children, maw = 220, ...props }: { children: string; maw?: number } & TextProps) {
  return (
    <Text size="sm" truncate="end" maw={maw} title={children} {...props}>
      {children}
    </Text>
  );
}
