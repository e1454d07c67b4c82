import type { Resolvers } from '../generated/resolvers-types';
import { orderMutations, orderQueries, orderTypes } from './orders';
import { pixChargeMutations, pixChargeQueries, pixChargeTypes } from './pix-charges';
import { pixKeyMutations, pixKeyQueries, pixKeyTypes } from './pix-keys';

export const resolvers: Resolvers = {
  Query: { ...orderQueries, ...pixKeyQueries, ...pixChargeQueries },
  Mutation: { ...orderMutations, ...pixKeyMutations, ...pixChargeMutations },
  ...orderTypes,
  ...pixKeyTypes,
  ...pixChargeTypes,
};
