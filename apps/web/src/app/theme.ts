import { createTheme } from '@mantine/core';

/** Calm and plain: indigo for actions (dark enough for white text), soft grey page background. */
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 7, dark: 5 },
  defaultRadius: 'md',
  cursorType: 'pointer',
  headings: { fontWeight: '650' },
});
