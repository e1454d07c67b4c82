// Run by node-compat.test.ts in a child process whose util.isUndefined was removed first (as on
// Node 23+): loads the rules, builds and applies a permissions tree that uses every logic rule
// (chain and race are the ones that called util.isUndefined), runs operations, prints the outcomes.
import util from 'node:util';
import { applyPermissions, chain, createPermissions, isAuthenticated, isCustomer, isOperator, publicField, race, type RuleTree } from '../../src/index';
import { buildSchema, customerOwner, ruleTree, run, who } from '../fixtures';

const tree: RuleTree = {
  ...ruleTree,
  Query: {
    ...ruleTree.Query,
    me: chain(isAuthenticated, isCustomer),
    customer: race(isOperator, isAuthenticated),
    ping: publicField,
  },
  Customer: { '*': customerOwner },
};
const schema = applyPermissions(buildSchema(), createPermissions(tree));
const outcomes = {
  utilIsUndefined: typeof (util as unknown as Record<string, unknown>).isUndefined,
  chainAllowed: await run(schema, '{ me { name } }', who.alice),
  chainDenied: await run(schema, '{ me { name } }', who.client),
  raceAllowed: await run(schema, '{ customer(id: "c1") { name } }', who.alice),
  raceDenied: await run(schema, '{ customer(id: "c1") { name } }', null),
  transfer: await run(schema, 'mutation { transfer(input: { amount: "5", to: "c2" }) }', who.alice),
};
process.stdout.write(JSON.stringify(outcomes));
