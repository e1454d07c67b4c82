import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalize, chainHash, GENESIS_HASH, isLedgerProofError, verifyChain, type ChainEntry } from '../src/index';

function buildChain(length: number, opts: { firstSeq?: bigint; prev?: Buffer; salt?: number } = {}): ChainEntry[] {
  const entries: ChainEntry[] = [];
  let prevHash = opts.prev ?? Buffer.alloc(32);
  const first = opts.firstSeq ?? 1n;
  for (let i = 0; i < length; i++) {
    const seq = first + BigInt(i);
    const content = canonicalize({ seq, kind: 'SINGLE', amount: BigInt(i * 100 + (opts.salt ?? 0)), currency: 'BRL' });
    const hash = chainHash(prevHash, content);
    entries.push({ seq, prevHash, hash, content });
    prevHash = hash;
  }
  return entries;
}

const flip = (b: Buffer, bit = 0) => {
  const copy = Buffer.from(b);
  copy[(bit >> 3) % 32]! ^= 1 << (bit & 7);
  return copy;
};

describe('chainHash', () => {
  it('is SHA-256(prevHash || UTF-8 content)', () => {
    const content = '{"a":"é€😀"}';
    const expected = createHash('sha256').update(Buffer.concat([GENESIS_HASH, Buffer.from(content, 'utf8')])).digest();
    assert.deepEqual(chainHash(GENESIS_HASH, content), expected);
    assert.equal(GENESIS_HASH.length, 32);
    assert.ok(GENESIS_HASH.every((byte) => byte === 0));
  });

  it('refuses a prevHash that is not 32 bytes and content with a lone surrogate', () => {
    assert.throws(() => chainHash(Buffer.alloc(31), '{}'), (e) => isLedgerProofError(e, 'INVALID_HASH'));
    // Buffer.from would turn both into U+FFFD and hash them alike.
    assert.throws(() => chainHash(GENESIS_HASH, 'a\ud800'), (e) => isLedgerProofError(e, 'INVALID_TEXT'));
    assert.throws(() => chainHash(GENESIS_HASH, '\udfff'), (e) => isLedgerProofError(e, 'INVALID_TEXT'));
  });
});

describe('verifyChain', () => {
  it('accepts a whole chain, a segment anchored by expectedPrevHash, and an empty run', () => {
    const chain = buildChain(12);
    assert.deepEqual(verifyChain(chain), { ok: true, checked: 12 });
    assert.deepEqual(verifyChain(chain, { firstSeq: 1n, expectedPrevHash: GENESIS_HASH }), { ok: true, checked: 12 });
    assert.deepEqual(verifyChain(chain.slice(5), { firstSeq: 6n, expectedPrevHash: chain[4]!.hash }), { ok: true, checked: 7 });
    // Without an anchor, a segment's first link is taken on trust.
    assert.deepEqual(verifyChain(chain.slice(5)), { ok: true, checked: 7 });
    assert.deepEqual(verifyChain([]), { ok: true, checked: 0 });
    // Numbers work as seqs too.
    assert.deepEqual(verifyChain(chain.map((e) => ({ ...e, seq: Number(e.seq) }))), { ok: true, checked: 12 });
  });

  it('checks the anchor, firstSeq and genesis', () => {
    const chain = buildChain(5);
    assert.deepEqual(verifyChain(chain.slice(2), { expectedPrevHash: chain[0]!.hash }), { ok: false, firstBadSeq: 3n, reason: 'link' });
    assert.deepEqual(verifyChain(chain.slice(2), { firstSeq: 2n }), { ok: false, firstBadSeq: 2n, reason: 'gap' });
    assert.deepEqual(verifyChain(chain, { firstSeq: 2n }), { ok: false, firstBadSeq: 2n, reason: 'gap' });
    // Entry 1 must link to the genesis hash even without an explicit anchor.
    const rooted = buildChain(3, { prev: Buffer.alloc(32, 7) });
    assert.deepEqual(verifyChain(rooted), { ok: false, firstBadSeq: 1n, reason: 'link' });
    assert.deepEqual(verifyChain(buildChain(2, { firstSeq: 0n })), { ok: false, firstBadSeq: 0n, reason: 'gap' });
  });

  it('refuses bad arguments', () => {
    const chain = buildChain(2);
    const seq = (e: unknown) => isLedgerProofError(e, 'INVALID_SEQ');
    assert.throws(() => verifyChain([{ ...chain[0]!, seq: 1.5 }]), seq);
    assert.throws(() => verifyChain([{ ...chain[0]!, seq: '1' as never }]), seq);
    assert.throws(() => verifyChain(chain, { firstSeq: 0n }), seq);
    assert.throws(() => verifyChain(chain, { expectedPrevHash: Buffer.alloc(3) }), (e) => isLedgerProofError(e, 'INVALID_HASH'));
  });

  it('treats malformed stored hashes and content as failures, not crashes', () => {
    const chain = buildChain(3);
    assert.deepEqual(verifyChain([chain[0]!, { ...chain[1]!, hash: Buffer.alloc(5) }]), { ok: false, firstBadSeq: 2n, reason: 'hash' });
    assert.deepEqual(verifyChain([chain[0]!, { ...chain[1]!, content: '\ud800' }]), { ok: false, firstBadSeq: 2n, reason: 'hash' });
    assert.deepEqual(verifyChain([{ ...chain[0]!, prevHash: Buffer.alloc(5) }]), { ok: false, firstBadSeq: 1n, reason: 'link' });
  });

  type Tamper = 'content' | 'hash' | 'link' | 'delete' | 'renumber' | 'rewrite';
  const scenario = fc
    .record({
      length: fc.integer({ min: 3, max: 60 }),
      first: fc.oneof(fc.constant(1n), fc.bigInt({ min: 2n, max: 1n << 40n })),
      tamper: fc.constantFrom<Tamper>('content', 'hash', 'link', 'delete', 'renumber', 'rewrite'),
      position: fc.nat(),
      bit: fc.nat({ max: 255 }),
    })
    .map((s) => ({ ...s, at: s.position % s.length }));

  it('finds the first bad seq when a random entry is altered or a seq is skipped (property)', () => {
    fc.assert(
      fc.property(scenario, ({ length, first, tamper, at, bit }) => {
        const anchor = first === 1n ? GENESIS_HASH : createHash('sha256').update(String(first)).digest();
        const chain = buildChain(length, { firstSeq: first, prev: anchor });
        const opts = { firstSeq: first, expectedPrevHash: anchor };
        assert.deepEqual(verifyChain(chain, opts), { ok: true, checked: length });
        const entries = chain.map((e) => ({ ...e }));
        const seqAt = first + BigInt(at);
        let expected: { firstBadSeq: bigint; reason: string };
        switch (tamper) {
          case 'content': // Change one character; the stored hash no longer matches.
            entries[at]!.content = entries[at]!.content.replace('SINGLE', 'PENDING');
            expected = { firstBadSeq: seqAt, reason: 'hash' };
            break;
          case 'hash':
            entries[at]!.hash = flip(entries[at]!.hash, bit);
            expected = { firstBadSeq: seqAt, reason: 'hash' };
            break;
          case 'link':
            entries[at]!.prevHash = flip(entries[at]!.prevHash, bit);
            expected = { firstBadSeq: seqAt, reason: 'link' };
            break;
          case 'delete': {
            // Drop an inner entry: its seq goes missing.
            const inner = 1 + (at % (length - 2));
            entries.splice(inner, 1);
            expected = { firstBadSeq: first + BigInt(inner), reason: 'gap' };
            break;
          }
          case 'renumber': // A skipped seq with everything else intact: only the numbering gives it away.
            for (let i = at; i < length; i++) entries[i]!.seq = BigInt(entries[i]!.seq) + 1n;
            expected = { firstBadSeq: seqAt, reason: 'gap' };
            break;
          case 'rewrite': {
            // A forger rewrites an entry and recomputes its hash: the next entry's link breaks.
            const inner = at % (length - 1);
            const victim = entries[inner]!;
            victim.content = victim.content.replace('BRL', 'USD');
            victim.hash = chainHash(victim.prevHash, victim.content);
            expected = { firstBadSeq: first + BigInt(inner) + 1n, reason: 'link' };
            break;
          }
        }
        assert.deepEqual(verifyChain(entries, opts), { ok: false, ...expected });
        // A second, later alteration never changes which seq is reported first.
        const last = entries[entries.length - 1]!;
        if (BigInt(last.seq) > expected.firstBadSeq) {
          entries[entries.length - 1] = { ...last, hash: flip(last.hash, bit + 1) };
          assert.deepEqual(verifyChain(entries, opts), { ok: false, ...expected });
        }
      }),
      { numRuns: 300 },
    );
  });
});
