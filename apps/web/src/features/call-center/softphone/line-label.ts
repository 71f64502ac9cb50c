import type { Line } from './softphone';

/** What the line of a call says, in the agent's words. */
export function lineLabel(line: Line): string {
  switch (line.state) {
    case 'idle':
      return 'Not dialled';
    case 'dialling':
      return 'Calling…';
    case 'ringing':
      return 'Ringing…';
    case 'connected':
      return line.held ? 'On hold' : 'Connected';
    case 'ended':
      switch (line.cause) {
        case 'busy':
          return 'Busy';
        case 'no_answer':
          return line.side === 'agent' ? 'You hung up before an answer' : 'No answer';
        case 'failed':
          return line.statusCode ? `Call failed (SIP ${line.statusCode})` : 'Call failed';
        case 'normal':
          return line.side === 'donor' ? 'The donor hung up' : 'Call ended';
      }
  }
}
