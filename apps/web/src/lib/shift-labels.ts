import type { FloorState } from '@engage/contracts';

/**
 * Words and colours for an agent's state: the agent's shift bar and the managers' live floor
 * (where "elsewhere" is a shift working for a team the manager does not lead).
 */
export function shiftStateLabel(state: FloorState): string {
  switch (state) {
    case 'signed_in':
      return 'Signed in';
    case 'ready':
      return 'Ready';
    case 'previewing':
      return 'Previewing';
    case 'on_call':
      return 'On call';
    case 'on_break':
      return 'On break';
    case 'out_of_data':
      return 'Out of Data';
    case 'elsewhere':
      return 'Busy elsewhere';
  }
}

export function shiftStateColor(state: FloorState): string {
  switch (state) {
    case 'signed_in':
      return 'gray';
    case 'ready':
      return 'teal';
    case 'previewing':
      return 'blue';
    case 'on_call':
      return 'green';
    case 'on_break':
      return 'orange';
    case 'out_of_data':
      return 'yellow';
    case 'elsewhere':
      return 'grape';
  }
}
