import { describe, expect, it } from 'vitest';
import { idCheckChar, maskIdNumber, validateIdNumber } from '../../../shared/domain/id-number';

function withCheck(first17: string): string {
  return first17 + idCheckChar(first17);
}

describe('validateIdNumber', () => {
  it('accepts a resident number and reads birth date and gender from it', () => {
    const male = validateIdNumber(withCheck('52012319900307123'));
    expect(male).toMatchObject({ ok: true, kind: 'resident', birthDate: '1990-03-07', gender: 'male' });
    const female = validateIdNumber(withCheck('11010519851231002'));
    expect(female).toMatchObject({ ok: true, birthDate: '1985-12-31', gender: 'female' });
  });

  it('computes the GB 11643 check character of the standard example', () => {
    // The worked example in GB 11643-1999: 11010519491231002X.
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(validateIdNumber('11010519491231002x')).toMatchObject({ ok: true, idNumber: '11010519491231002X' });
  });

  it('trims spaces and upper-cases x before storing', () => {
    const r = validateIdNumber('  11010519491231002x ');
    expect(r.ok && r.idNumber).toBe('11010519491231002X');
  });

  it.each([
    ['', 'empty', '请输入'],
    ['110105491231002', 'old_15_digit', '15位'],
    ['1101051949123100', 'wrong_length', '18位'],
    ['11010519491231002Y', 'bad_characters', '最后一位'],
    ['1101051949123X002X', 'bad_characters', '前17位'],
    ['11010519491231003X', 'bad_check_char', '校验位'],
  ])('rejects %j with %s', (input, code, text) => {
    const r = validateIdNumber(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.message).toContain(text);
    }
  });

  it('rejects impossible birth dates even with a correct check character', () => {
    for (const date of ['19990230', '20230229', '18991231', '19901301']) {
      const r = validateIdNumber(withCheck(`520123${date}123`));
      expect(r.ok ? 'ok' : r.code).toBe('bad_birth_date');
    }
    expect(validateIdNumber(withCheck('52012320000229123')).ok).toBe(true);
  });

  it('rejects a birth date after the hall date when the date is given', () => {
    const id = withCheck('52012320260701123');
    expect(validateIdNumber(id).ok).toBe(true);
    expect(validateIdNumber(id, { today: '2026-06-15' })).toMatchObject({ ok: false, code: 'bad_birth_date' });
  });

  it('rejects unknown region codes', () => {
    expect(validateIdNumber(withCheck('00012319900307123'))).toMatchObject({ ok: false, code: 'bad_region' });
    expect(validateIdNumber(withCheck('72012319900307123'))).toMatchObject({ ok: false, code: 'bad_region' });
  });

  it('accepts Hong Kong, Macao and Taiwan residence permits with their fixed region codes', () => {
    for (const region of ['810000', '820000', '830000']) {
      expect(validateIdNumber(withCheck(`${region}19800101234`))).toMatchObject({ ok: true, kind: 'hmt_residence_permit' });
    }
    expect(validateIdNumber(withCheck('81010119800101234'))).toMatchObject({ ok: false, code: 'bad_region' });
  });

  it('accepts the 2023 foreigner permanent residence card (leading 9, issuing province, nationality)', () => {
    const r = validateIdNumber(withCheck('91184019850615011'));
    expect(r).toMatchObject({ ok: true, kind: 'foreigner_permanent_residence', birthDate: '1985-06-15', gender: 'male' });
    expect(validateIdNumber(withCheck('99984019850615012'))).toMatchObject({ ok: false, code: 'bad_region' });
  });

  it('never echoes the number in its messages', () => {
    const id = '52012319900307123' + (idCheckChar('52012319900307123') === '0' ? '1' : '0');
    const r = validateIdNumber(id);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).not.toContain('19900307');
  });
});

describe('maskIdNumber', () => {
  it('keeps the region and the last four characters only', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('12345')).toBe('*****');
  });
});
