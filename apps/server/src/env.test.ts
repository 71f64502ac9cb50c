import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './env';

describe('configuration', () => {
  it('has defaults that run the demo on port 3000 with data in ./data', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DEMO).toBe(true);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.dataDir).toBe(path.resolve('./data'));
  });

  it('reads DEMO=0, PORT and DATA_DIR', () => {
    const c = loadConfig({ DEMO: '0', PORT: '4000', DATA_DIR: '/tmp/x' });
    expect(c).toMatchObject({ DEMO: false, PORT: 4000, dataDir: '/tmp/x' });
  });

  it('names the variable that is wrong and where to look', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT[\s\S]*README/);
  });
});
