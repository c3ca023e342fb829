import { describe, it, expect } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createSecretBox, keyId, SecretBoxError } from '../../src/crypto/secret-box.js';

const k1 = randomBytes(32);
const k2 = randomBytes(32);

describe('secret box', () => {
  const box = createSecretBox({ encryptionKey: k1, previousEncryptionKeys: [] });

  it('round-trips and never contains the plaintext', () => {
    const sealed = box.seal('my-api-key-123', 'intervals_links:acc1');
    expect(sealed).not.toContain('my-api-key-123');
    expect(sealed.split('.')).toHaveLength(5);
    expect(box.keyIdOf(sealed)).toBe(keyId(k1));
    expect(box.open(sealed, 'intervals_links:acc1')).toBe('my-api-key-123');
  });

  it('binds the row identity: a ciphertext moved to another row does not open', () => {
    const sealed = box.seal('secret', 'intervals_links:acc1');
    expect(() => box.open(sealed, 'intervals_links:acc2')).toThrow(SecretBoxError);
  });

  it('reads old ciphertexts with a previous key and seals new ones with the current key', () => {
    const old = box.seal('secret', 'row');
    const rotated = createSecretBox({ encryptionKey: k2, previousEncryptionKeys: [k1] });
    expect(rotated.open(old, 'row')).toBe('secret');
    expect(rotated.keyIdOf(rotated.seal('secret', 'row'))).toBe(keyId(k2));
    const withoutOld = createSecretBox({ encryptionKey: k2, previousEncryptionKeys: [] });
    expect(() => withoutOld.open(old, 'row')).toThrow(/PREVIOUS_ENCRYPTION_KEYS/);
  });

  it('rejects tampered ciphertexts', () => {
    const sealed = box.seal('secret', 'row').split('.');
    sealed[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(sealed.join('.'), 'row')).toThrow(SecretBoxError);
  });
});
