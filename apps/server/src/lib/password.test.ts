import { describe, expect, it } from 'vitest';
import { checkNewPassword, isCommonPassword } from './password';

describe('new passwords', () => {
  it('refuses common passwords, whatever their case, and says to choose another', () => {
    for (const pw of ['password12', 'Password12', 'qwertyuiop', '1234567890', 'iloveyou12']) {
      expect(isCommonPassword(pw), pw).toBe(true);
      expect(() => checkNewPassword(pw), pw).toThrow(/commonly used[\s\S]*Choose another/);
    }
  });

  it('accepts a long, uncommon password and refuses a short one, naming the field', () => {
    expect(isCommonPassword('correct-horse-battery')).toBe(false);
    expect(() => checkNewPassword('correct-horse-battery')).not.toThrow();
    try {
      checkNewPassword('short', 'body.newPassword');
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'validation_failed', opts: { issues: [{ path: 'body.newPassword' }] } });
    }
  });
});
