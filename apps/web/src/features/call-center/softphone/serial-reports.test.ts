import { describe, expect, it } from 'vitest';
import { serialReports } from './serial-reports';

describe('serialReports: one call’s reports in order, calls independent', () => {
  it('sends a report only once the one before it has been answered, even when it fails', async () => {
    const log: string[] = [];
    const pending = new Map<string, () => void>();
    const send = (callId: number, signal: string) => {
      log.push(`start ${callId}:${signal}`);
      return new Promise<void>((resolve, reject) => {
        pending.set(`${callId}:${signal}`, signal === 'answered' ? () => reject(new Error('lost')) : resolve);
      });
    };
    const report = serialReports(send);
    const done = [report(1, 'dialled'), report(1, 'answered'), report(1, 'ended'), report(2, 'dialled')];
    await Promise.resolve();
    await Promise.resolve();
    // Call 2 does not wait for call 1; call 1's answered waits for its dialled.
    expect(log).toEqual(['start 1:dialled', 'start 2:dialled']);
    pending.get('1:dialled')!();
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(['start 1:dialled', 'start 2:dialled', 'start 1:answered']);
    pending.get('1:answered')!(); // fails: dropped, the next one still goes
    await new Promise((r) => setTimeout(r, 0));
    expect(log.at(-1)).toBe('start 1:ended');
    pending.get('1:ended')!();
    pending.get('2:dialled')!();
    await Promise.all(done);
  });
});
