import { describe, it, expect } from '@jest/globals';
import { devPersonId, normaliseEmail, uuidV5 } from '../../../src/signin/dev-identity.js';

describe('development person ids', () => {
  it('computes RFC 9562 UUIDv5 (the DNS-namespace test vector)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives the same id for the same address in any case or padding, and different ids for different addresses', () => {
    const id = devPersonId('Ada@Example.com');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(devPersonId('  ada@example.COM ')).toBe(id);
    expect(devPersonId('ada2@example.com')).not.toBe(id);
  });
});

describe('normaliseEmail', () => {
  it.each([
    ['ada@example.com', 'ada@example.com'],
    ['  ada@example.com  ', 'ada@example.com'],
    ['ada@example', undefined],
    ['ada example.com', undefined],
    ['a b@example.com', undefined],
    ['', undefined],
    [`${'a'.repeat(250)}@x.io`, undefined],
    [42, undefined],
  ])('%j → %j', (input, expected) => {
    expect(normaliseEmail(input)).toBe(expected);
  });
});
