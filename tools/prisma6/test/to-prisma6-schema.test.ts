import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toPrisma6Schema } from '../src/index';

const PRISMA7 = `generator client {
  provider            = "prisma-client"
  output              = "../../subgraphs/x/src/generated/prisma"
  moduleFormat        = "esm"
  importFileExtension = ""
}

datasource db {
  provider = "postgresql"
  schemas  = ["x"]
}

/// A thing.
model Thing {
  id String @id @db.Uuid

  @@schema("x")
}
`;

describe('toPrisma6Schema', () => {
  it('swaps the generator for prisma-client-js and gives the datasource a url', () => {
    const out = toPrisma6Schema(PRISMA7);
    assert.doesNotMatch(out, /prisma-client"|moduleFormat|importFileExtension|output/);
    assert.match(out, /generator client \{\n  provider = "prisma-client-js"\n\}/);
    assert.match(out, /datasource db \{\n  provider = "postgresql"\n  schemas  = \["x"\]\n  url = "postgresql:\/\/[^"]+"\n\}/);
    assert.ok(out.includes('/// A thing.\nmodel Thing {\n  id String @id @db.Uuid\n\n  @@schema("x")\n}'));
  });

  it('replaces a url that is already there', () => {
    const out = toPrisma6Schema(PRISMA7.replace('schemas  = ["x"]', 'schemas  = ["x"]\n  url = env("DATABASE_URL")'));
    assert.equal(out.match(/url\s*=/g)?.length, 1);
  });

  it('needs exactly one datasource', () => {
    assert.throws(() => toPrisma6Schema('model A {\n  id Int @id\n}\n'), /exactly one datasource/);
  });
});
