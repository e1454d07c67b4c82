import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyPermissions, createPermissions, isAuthenticated, ownsParent, publicField, type DeniedInfo, type RuleTree } from '../src/index';
import { buildSchema, codes, ruleTree, run, who, type CustomerRow } from './fixtures';

const schema = applyPermissions(buildSchema(), createPermissions(ruleTree));

describe('default deny', () => {
  it('denies a field the tree does not list, FORBIDDEN with an identity and UNAUTHENTICATED without', async () => {
    const asOperator = await run(schema, '{ hidden }', who.operator);
    assert.deepEqual(asOperator.data, { hidden: null });
    assert.deepEqual(codes(asOperator), ['FORBIDDEN']);
    assert.deepEqual(asOperator.errors[0]?.path, ['hidden']);

    const anonymous = await run(schema, '{ hidden }', null);
    assert.deepEqual(codes(anonymous), ['UNAUTHENTICATED']);
  });

  it('denies every field of a type the tree does not mention, even to operators', async () => {
    const outcome = await run(schema, '{ account(id: "a1") { id } }', who.operator);
    assert.deepEqual(outcome.data, { account: null });
    assert.deepEqual(codes(outcome), ['FORBIDDEN']);
    assert.deepEqual(outcome.errors[0]?.path, ['account', 'id']);
  });

  it('denies a whole type that is missing (Mutation fields not listed)', async () => {
    const tree: RuleTree = { Query: { ping: publicField } };
    const bare = applyPermissions(buildSchema(), createPermissions(tree));
    assert.deepEqual(codes(await run(bare, 'mutation { signIn(email: "a@b.c") }', who.operator)), ['FORBIDDEN']);
    assert.deepEqual((await run(bare, '{ ping }', null)).data, { ping: 'pong' });
  });

  it('turns a rule that throws into a plain denial with the platform code, not "Not Authorised!"', async () => {
    const outcome = await run(schema, '{ brittle }', who.alice);
    assert.deepEqual(codes(outcome), ['FORBIDDEN']);
    assert.equal(outcome.errors[0]?.message, 'You are not allowed to do this.');
    assert.deepEqual(codes(await run(schema, '{ brittle }', null)), ['UNAUTHENTICATED']);
  });

  it('lets __typename and introspection through without rules', async () => {
    const outcome = await run(schema, '{ __typename __schema { queryType { name } } }', null);
    assert.deepEqual(outcome.errors, []);
    assert.deepEqual(outcome.data, { __typename: 'Query', __schema: { queryType: { name: 'Query' } } });
  });

  it('allows public fields to anyone', async () => {
    assert.deepEqual((await run(schema, '{ ping }', null)).data, { ping: 'pong' });
    assert.deepEqual((await run(schema, 'mutation { signIn(email: "a@b.c") }', null)).data, { signIn: 'a-token' });
  });
});

describe('identity rules', () => {
  it('isAuthenticated: UNAUTHENTICATED for anonymous callers only', async () => {
    assert.deepEqual(codes(await run(schema, '{ customer(id: "c1") { id } }', null)), ['UNAUTHENTICATED']);
    assert.deepEqual((await run(schema, '{ customer(id: "c1") { id } }', who.alice)).data, { customer: { id: 'c1' } });
  });

  it('isCustomer: FORBIDDEN for other principal kinds', async () => {
    assert.deepEqual((await run(schema, '{ me { name } }', who.bob)).data, { me: { name: 'Bob' } });
    assert.deepEqual(codes(await run(schema, '{ me { name } }', who.client)), ['FORBIDDEN']);
    assert.deepEqual(codes(await run(schema, '{ me { name } }', null)), ['UNAUTHENTICATED']);
  });

  it('isInternal: operators and services, nobody else', async () => {
    for (const identity of [who.operator, who.service]) {
      const outcome = await run(schema, '{ customer(id: "c1") { internalNote } }', identity);
      assert.deepEqual(outcome.data, { customer: { internalNote: 'vip' } });
    }
    for (const identity of [who.alice, who.client]) {
      const outcome = await run(schema, '{ customer(id: "c1") { internalNote } }', identity);
      assert.deepEqual(codes(outcome), ['FORBIDDEN']);
    }
  });

  it('isSelf: a customer acting on their own id; the cache keeps different ids apart in one request', async () => {
    const outcome = await run(
      schema,
      'mutation { mine: renameCustomer(id: "c1", name: "A.") { name } theirs: renameCustomer(id: "c2", name: "B.") { name } }',
      who.alice,
    );
    assert.deepEqual(outcome.data, { mine: { name: 'A.' }, theirs: null });
    assert.deepEqual(codes(outcome), ['FORBIDDEN']);
    assert.deepEqual(outcome.errors[0]?.path, ['theirs']);
    // An API client of the same tenant is no customer: isSelf does not hold, nor isInternal.
    assert.deepEqual(codes(await run(schema, 'mutation { renameCustomer(id: "c1", name: "x") { name } }', who.client)), ['FORBIDDEN']);
  });

  it('sameTenantAsArg: the argument must be the caller tenant', async () => {
    assert.deepEqual((await run(schema, '{ tenantStats(tenantId: "t1") }', who.client)).data, { tenantStats: 42 });
    assert.deepEqual(codes(await run(schema, '{ tenantStats(tenantId: "t2") }', who.client)), ['FORBIDDEN']);
    assert.deepEqual((await run(schema, '{ tenantStats(tenantId: "t2") }', who.operator)).data, { tenantStats: 42 });
  });

  it('hasScope: the identity must hold the scope (the same rule used twice in a tree is one rule)', async () => {
    assert.deepEqual((await run(schema, 'mutation { scoped }', who.client)).data, { scoped: 'ok' });
    assert.deepEqual(codes(await run(schema, 'mutation { scoped }', who.otherClient)), ['FORBIDDEN']);
    assert.deepEqual(codes(await run(schema, 'mutation { scoped }', who.operator)), ['FORBIDDEN']);
  });
});

describe('ownsParent through Query.customer', () => {
  const query = '{ customer(id: "c1") { id name email } }';

  it('lets the owner, API clients of the tenant, operators and services read', async () => {
    for (const identity of [who.alice, who.client, who.operator, who.service]) {
      const outcome = await run(schema, query, identity);
      assert.deepEqual(outcome.errors, [], identity.subject);
      assert.deepEqual(outcome.data, { customer: { id: 'c1', name: 'Alice', email: 'alice@example.com' } });
    }
  });

  it('hides another customer of the same tenant, and every customer of another tenant', async () => {
    for (const identity of [who.bob, who.carol, who.otherClient]) {
      const outcome = await run(schema, query, identity);
      assert.deepEqual(outcome.data, { customer: null }, identity.subject);
      assert.ok(outcome.errors.length > 0);
      assert.ok(codes(outcome).every((code) => code === 'FORBIDDEN'));
    }
  });

  it('denies when getOwner finds no owner or throws', async () => {
    const tree = (getOwner: (c: CustomerRow) => { tenantId: string; customerId?: string } | null): RuleTree => ({
      Query: { customer: isAuthenticated },
      Customer: { '*': ownsParent(getOwner) },
    });
    const none = applyPermissions(buildSchema(), createPermissions(tree(() => null)));
    assert.deepEqual(codes(await run(none, '{ customer(id: "c1") { name } }', who.operator)), ['FORBIDDEN']);
    const throwing = applyPermissions(
      buildSchema(),
      createPermissions(
        tree(() => {
          throw new Error('bug');
        }),
      ),
    );
    assert.deepEqual(codes(await run(throwing, '{ customer(id: "c1") { name } }', who.operator)), ['FORBIDDEN']);
  });
});

describe('errors from resolvers', () => {
  it('pass through unchanged: a DomainError keeps its code and details', async () => {
    const outcome = await run(schema, 'mutation { failing }', who.alice);
    assert.deepEqual(outcome.errors.map(({ code, message, details }) => ({ code, message, details })), [
      { code: 'BAD_USER_INPUT', message: 'Amount must be positive.', details: { field: 'amount' } },
    ]);
  });

  it('NOT_FOUND from the resolver is not turned into FORBIDDEN (and FORBIDDEN stays FORBIDDEN)', async () => {
    assert.deepEqual(codes(await run(schema, '{ customer(id: "nope") { id } }', who.operator)), ['NOT_FOUND']);
    assert.deepEqual(codes(await run(schema, '{ customer(id: "nope") { id } }', who.alice)), ['FORBIDDEN']);
  });

  it('an unexpected error stays an internal error, not a denial', async () => {
    const outcome = await run(schema, 'mutation { crashing }', who.alice);
    assert.deepEqual(codes(outcome), ['INTERNAL_SERVER_ERROR']);
    assert.doesNotMatch(outcome.errors[0]?.message ?? '', /postgres/);
  });
});

describe('onDenied', () => {
  it('is called once per denied field with the identity, type, field, code and path', async () => {
    const denied: DeniedInfo[] = [];
    const audited = applyPermissions(buildSchema(), createPermissions(ruleTree, { onDenied: (info) => denied.push(info) }));

    await run(audited, '{ ping hidden }', who.alice);
    assert.deepEqual(denied, [{ identity: who.alice, typeName: 'Query', fieldName: 'hidden', code: 'FORBIDDEN', path: ['hidden'] }]);

    denied.length = 0;
    await run(audited, '{ hidden }', null);
    assert.deepEqual(denied, [{ identity: null, typeName: 'Query', fieldName: 'hidden', code: 'UNAUTHENTICATED', path: ['hidden'] }]);

    denied.length = 0;
    await run(audited, '{ customer(id: "c1") { name } }', who.bob);
    assert.deepEqual(denied, [{ identity: who.bob, typeName: 'Customer', fieldName: 'name', code: 'FORBIDDEN', path: ['customer', 'name'] }]);
  });

  it('is not called for allowed fields nor for resolver errors, and a throwing hook changes nothing', async () => {
    let calls = 0;
    const audited = applyPermissions(
      buildSchema(),
      createPermissions(ruleTree, {
        onDenied: () => {
          calls += 1;
          throw new Error('audit sink down');
        },
      }),
    );
    await run(audited, 'mutation { failing }', who.alice);
    await run(audited, '{ customer(id: "c1") { name } }', who.alice);
    assert.equal(calls, 0);
    const outcome = await run(audited, '{ hidden }', who.alice);
    assert.equal(calls, 1);
    assert.deepEqual(codes(outcome), ['FORBIDDEN']);
  });
});

describe('rule tree checks', () => {
  it('refuses rules for types or fields the schema lacks (typos fail at startup)', () => {
    assert.throws(() => applyPermissions(buildSchema(), createPermissions({ Custmer: { '*': isAuthenticated } })), /Custmer/);
    assert.throws(() => applyPermissions(buildSchema(), createPermissions({ Customer: { nmae: isAuthenticated } })), /Customer\.nmae/);
  });

  it('refuses a value that is not a rule instead of silently denying the whole type', () => {
    assert.throws(() => createPermissions({ Customer: { name: 'yes' } } as unknown as RuleTree), /Customer\.name is not a rule/);
    assert.throws(() => createPermissions({ Customer: undefined } as unknown as RuleTree), /Customer/);
  });

  it('type-checks the wildcard form', () => {
    const owner = ownsParent((customer: CustomerRow) => customer);
    const tree: RuleTree = { Customer: { '*': owner }, Query: isAuthenticated };
    // @ts-expect-error a field rule must be a rule
    const wrong: RuleTree = { Customer: { '*': true } };
    assert.ok(tree && wrong);
  });

  it('a single rule for a type guards every field, the federation fields of Query stay public', async () => {
    const tree: RuleTree = { Query: isAuthenticated, Customer: ownsParent((customer: CustomerRow) => customer) };
    const guarded = applyPermissions(buildSchema(), createPermissions(tree));
    assert.deepEqual(codes(await run(guarded, '{ ping }', null)), ['UNAUTHENTICATED']);
    assert.deepEqual((await run(guarded, '{ ping }', who.alice)).data, { ping: 'pong' });
    assert.deepEqual((await run(guarded, '{ _service { sdl } }', null)).errors, []);
  });
});
