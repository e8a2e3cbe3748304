import { describe, expect, it } from 'vitest';
import { langOf, MESSAGES } from '../src/messages';

describe('messages', () => {
  it('T1: every SDK text exists, non-empty, in German and English', () => {
    const keys = Object.keys(MESSAGES.de).sort();
    expect(Object.keys(MESSAGES.en).sort()).toEqual(keys);
    for (const lang of ['de', 'en'] as const) {
      for (const [key, value] of Object.entries(MESSAGES[lang])) {
        const text = typeof value === 'function' ? (value as (...a: unknown[]) => string)(2, 'X') : value;
        expect(text.trim(), `${lang}.${key}`).not.toBe('');
      }
    }
    expect(MESSAGES.de.reject).toBe('Ablehnen');
    expect(MESSAGES.de.accept).toBe('Akzeptieren');
    expect(MESSAGES.de.settings).toBe('Datenschutz-Einstellungen');
    expect(MESSAGES.en.settings).toBe('Privacy settings');
  });

  it('German unless the page or the option says English', () => {
    expect(langOf(undefined)).toBe('de');
    expect(langOf('')).toBe('de');
    expect(langOf('de-AT')).toBe('de');
    expect(langOf('en-GB')).toBe('en');
    expect(langOf('fr')).toBe('de');
  });
});
