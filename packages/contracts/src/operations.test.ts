import { describe, expect, it } from 'vitest';
import { operationPath, operationQuery } from './operations';

describe('operationPath', () => {
  it('puts each parameter, encoded, in its place', () => {
    expect(operationPath('/api/teams/:teamId/members/:userId', { teamId: 3, userId: 41 })).toBe(
      '/api/teams/3/members/41',
    );
    expect(operationPath('/api/things/:name', { name: 'a/b c' })).toBe('/api/things/a%2Fb%20c');
  });
  it('refuses a call without one of its parameters', () => {
    expect(() => operationPath('/api/teams/:teamId', {})).toThrow('Missing path parameter teamId');
  });
});

describe('operationQuery', () => {
  it('leaves out empty values and repeats arrays', () => {
    expect(operationQuery({ q: 'ann lee', page: 2, none: undefined, gone: null, ids: [1, 2] })).toBe(
      '?q=ann+lee&page=2&ids=1&ids=2',
    );
    expect(operationQuery({})).toBe('');
    expect(operationQuery(undefined)).toBe('');
  });
});
