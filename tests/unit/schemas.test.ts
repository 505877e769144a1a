import { describe, expect, it } from 'vitest';
import * as S from '../../server/schemas.js';

describe('request schemas', () => {
  it('when a PATCH leaves out a field that has a default on create, then the field stays out (unchanged)', () => {
    expect(S.UnitPatch.parse({ version: 1 })).toEqual({ version: 1 });
    expect(S.MovePatch.parse({ note: 'x', version: 2 })).toEqual({ note: 'x', version: 2 });
  });

  it('when a required field is missing or has the wrong type, then the message key says which', () => {
    const missing = S.UnitCreate.safeParse({ name: 'A' });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.find((i) => i.path[0] === 'team_id')?.message).toBe('validation.required');
    const wrong = S.UnitCreate.safeParse({ name: 'A', team_id: 'x' });
    expect(wrong.error?.issues.find((i) => i.path[0] === 'team_id')?.message).toBe('validation.id');
  });
});
