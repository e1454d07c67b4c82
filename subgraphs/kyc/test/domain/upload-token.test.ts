import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { parseApplicant } from '../../src/domain/applicant';
import { hashUploadToken, isUploadTokenShape, uploadTokenExpiry, uploadTokenFor, uploadUrlFor } from '../../src/domain/upload-token';

describe('upload tokens', () => {
  const key = randomBytes(32);
  it('are a keyed function of the upload id: same id, same token; other id or key, another token', () => {
    const token = uploadTokenFor(key, 'upload-1');
    assert.ok(isUploadTokenShape(token));
    assert.equal(uploadTokenFor(key, 'upload-1'), token);
    assert.notEqual(uploadTokenFor(key, 'upload-2'), token);
    assert.notEqual(uploadTokenFor(randomBytes(32), 'upload-1'), token);
    assert.match(hashUploadToken(token), /^[0-9a-f]{64}$/);
    assert.notEqual(hashUploadToken(token), token);
  });
  it('shape, expiry and URL', () => {
    assert.equal(isUploadTokenShape('../../etc/passwd'), false);
    assert.equal(isUploadTokenShape(''), false);
    assert.equal(uploadTokenExpiry(new Date('2026-01-01T00:00:00Z')).toISOString(), '2026-01-01T00:15:00.000Z');
    assert.equal(uploadUrlFor('https://kyc.example.com/', 'abc'), 'https://kyc.example.com/kyc/uploads/abc');
  });
});

describe('parseApplicant', () => {
  const today = new Date('2026-06-01T00:00:00Z');
  it('normalises a valid applicant', () => {
    assert.deepEqual(parseApplicant({ fullName: '  Maria   da Silva ', cpf: '529.982.247-25', dateOfBirth: '1990-02-28' }, today), { fullName: 'Maria da Silva', cpf: '52998224725', dateOfBirth: '1990-02-28', nationality: null });
  });
  it('names the field and a reason, never the value', () => {
    const bad = [
      [{ fullName: 'X', cpf: '52998224725', dateOfBirth: '1990-01-01' }, 'applicant.fullName'],
      [{ fullName: 'Maria Silva', cpf: '11111111111', dateOfBirth: '1990-01-01' }, 'applicant.cpf'],
      [{ fullName: 'Maria Silva', cpf: '52998224725', dateOfBirth: '1990-02-30' }, 'applicant.dateOfBirth'],
      [{ fullName: 'Maria Silva', cpf: '52998224725', dateOfBirth: '2030-01-01' }, 'applicant.dateOfBirth'],
      [{ fullName: 'Maria Silva', cpf: '52998224725', dateOfBirth: '1990-01-01', nationality: 'Brazil' }, 'applicant.nationality'],
    ] as const;
    for (const [input, field] of bad) {
      assert.throws(() => parseApplicant(input, today), (e: { code: string; details: { field: string }; message: string }) => e.code === 'BAD_USER_INPUT' && e.details.field === field && !e.message.includes('52998224725'));
    }
  });
});
