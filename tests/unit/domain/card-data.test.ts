import { describe, expect, it } from 'vitest';
import { cardDataProblems } from '../../../shared/domain/id-card';
import { sampleCards } from '../../../electron/devices/sim/cards';
import { demoCardPayers } from '../../../electron/services/demo/county';
import { cardForPayer } from '../../../electron/services/counter/devices';

describe('cardDataProblems', () => {
  it.each(Object.entries(sampleCards))('the sample %s card holds together', (_, c) => {
    expect(cardDataProblems(c.card)).toEqual([]);
  });

  const card = sampleCards.resident.card;
  it.each([
    ['a wrong check character', { idNumber: card.idNumber.slice(0, 17) + (card.idNumber[17] === '1' ? '2' : '1') }, 'number: bad_check_char'],
    ['another birth date', { birthDate: '1975-03-18' }, 'birth date in the number differs from the card'],
    ['another gender', { gender: 'male' as const }, 'gender in the number differs from the card'],
    ['a date that does not exist', { validTo: '2036-02-30' }, 'valid-to is not a calendar date'],
    ['an expiry before issue', { validTo: '2015-01-01' }, 'valid-to before valid-from'],
    ['a hmt permit number on a resident card', { idNumber: '81000019750308002' }, 'number: wrong_length'],
  ])('finds %s', (_, patch, problem) => {
    expect(cardDataProblems({ ...card, ...patch })).toContain(problem);
  });

  it('takes 长期 as the end of validity', () => {
    expect(cardDataProblems({ ...card, validTo: '长期' })).toEqual([]);
  });

  it('every training card (the demo county cases) passes, so training mode opens them', () => {
    for (const seed of [1, 20260101]) {
      for (const c of demoCardPayers({ seed, payers: 200, asOf: '2026-12-02', regionCode: '529901', tiersFen: [20000, 30000, 50000] })) {
        expect([c.case, cardDataProblems(cardForPayer(c.payer, '示范县公安局'))]).toEqual([c.case, []]);
      }
    }
  });
});
