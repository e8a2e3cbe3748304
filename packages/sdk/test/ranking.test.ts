import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type NeighbourTable, parseNeighbourTable, rankSession, scoreSession } from '../src/ranking';

const table: NeighbourTable = {
  items: ['kanne', 'tasse', 'tee', 'kerze', 'halter', 'vase'],
  neighbours: {
    kanne: [
      ['tasse', 0.9],
      ['tee', 0.6],
    ],
    kerze: [
      ['halter', 0.8],
      ['vase', 0.3],
    ],
    tasse: [
      ['kanne', 0.9],
      ['tee', 0.5],
    ],
  },
};

describe('on-device ranking', () => {
  it('ranks the neighbours of the visit, most recent item first, leaving out what the visit holds', () => {
    const r = rankSession(table, ['kanne', 'kerze']);
    expect(r.map((x) => x.id)).toEqual(['halter', 'tasse', 'tee', 'vase']);
    expect(r[0]).toEqual({ id: 'halter', score: 0.8, because: 'kerze' });
    expect(r[1]?.because).toBe('kanne');
    expect(r[1]?.score).toBeCloseTo(0.63);
  });

  it('sums over the visit and names the item that contributed most', () => {
    const s = scoreSession(table, ['kanne', 'tasse']);
    // tee: 0.5 from tasse (latest) + 0.7 × 0.6 from kanne = 0.92
    expect(s.get('tee')?.score).toBeCloseTo(0.92);
    expect(s.get('tee')?.because).toBe('tasse');
  });

  it('a repeated item counts once, at its latest position', () => {
    const once = rankSession(table, ['kerze', 'kanne']);
    const twice = rankSession(table, ['kanne', 'kerze', 'kanne']);
    expect(twice).toEqual(once);
  });

  it('re-ranks given candidates only; unknown ones keep their order after the others', () => {
    const r = rankSession(table, ['kerze'], { candidates: ['x', 'vase', 'y', 'halter'] });
    expect(r.map((x) => x.id)).toEqual(['halter', 'vase', 'x', 'y']);
    expect(r[2]).toEqual({ id: 'x', score: 0, because: null });
  });

  it('an empty visit changes nothing: candidates keep their order, no neighbours are invented', () => {
    expect(rankSession(table, [], { candidates: ['c', 'b', 'a'] }).map((x) => x.id)).toEqual(['c', 'b', 'a']);
    expect(rankSession(table, [])).toEqual([]);
  });

  it('honours limit and exclude', () => {
    const r = rankSession(table, ['kanne', 'kerze'], { limit: 2, exclude: ['halter'] });
    expect(r.map((x) => x.id)).toEqual(['tasse', 'tee']);
  });

  it('is a permutation of the candidates, sorted by score (property)', () => {
    const ids = fc.constantFrom(...table.items, 'a', 'b');
    fc.assert(
      fc.property(
        fc.array(ids, { maxLength: 6 }),
        fc.uniqueArray(ids, { maxLength: 8 }),
        (session, cands) => {
          const r = rankSession(table, session, { candidates: cands });
          expect([...r.map((x) => x.id)].sort()).toEqual([...cands].sort());
          for (let i = 1; i < r.length; i++) expect(r[i - 1]!.score).toBeGreaterThanOrEqual(r[i]!.score);
        },
      ),
    );
  });

  it('checks a downloaded table and names the offending field', () => {
    expect(parseNeighbourTable(JSON.parse(JSON.stringify(table)))).toEqual(table);
    expect(() => parseNeighbourTable(null)).toThrow('(root)');
    expect(() => parseNeighbourTable({ items: 'x', neighbours: {} })).toThrow('items must be');
    expect(() => parseNeighbourTable({ items: [], neighbours: [] })).toThrow('neighbours must be');
    expect(() => parseNeighbourTable({ items: [], neighbours: { a: [['b', -1]] } })).toThrow(
      'neighbours.a[0]',
    );
    expect(() => parseNeighbourTable({ items: [], neighbours: { a: [['b']] } })).toThrow('neighbours.a[0]');
  });
});
