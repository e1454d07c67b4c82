import { maskCpf } from '@baas/pii';
import type { Resolvers } from '../generated/resolvers-types';
import { createKycApplication } from '../use-cases/create-kyc-application';
import { decideKycReview } from '../use-cases/decide-kyc-review';
import { deleteKycDocuments } from '../use-cases/delete-kyc-documents';
import { getCustomerKyc } from '../use-cases/get-customer-kyc';
import { getCustomerKycLevel } from '../use-cases/get-customer-kyc-level';
import { getKycApplication } from '../use-cases/get-kyc-application';
import { getKycReviewQueue } from '../use-cases/get-kyc-review-queue';
import { listKycApplications } from '../use-cases/list-kyc-applications';
import { requestKycDocumentUpload } from '../use-cases/request-kyc-document-upload';
import { submitKycApplication } from '../use-cases/submit-kyc-application';
import type { KycContext } from '../context';
import { decisionReasonsFor } from '../permissions';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const loaders = (ctx: KycContext) => ({ applications: ctx.loaders.application, customers: ctx.loaders.customerKyc });

/** Parse, call a use case, map: the rule tree (permissions.ts) has already said who may call. */
export const resolvers: Resolvers = {
  Query: {
    kycApplication: (_, args, ctx) => getKycApplication(loaders(ctx), ctx.identity, args.id),
    kycApplications: (_, args, ctx) => listKycApplications(ctx.kyc, ctx.identity!, args),
    kycReviewQueue: (_, args, ctx) => getKycReviewQueue(ctx.kyc, args),
    customerKycLevel: (_, args, ctx) => getCustomerKycLevel(loaders(ctx), args.customerId),
  },
  Mutation: {
    createKycApplication: (_, { input }, ctx) => createKycApplication(ctx.kyc, ctx.identity!, input),
    requestKycDocumentUpload: (_, { input }, ctx) => requestKycDocumentUpload(ctx.kyc, ctx.identity!, input),
    submitKycApplication: (_, args, ctx) => submitKycApplication(ctx.kyc, ctx.identity!, args.id),
    deleteKycDocuments: (_, args, ctx) => deleteKycDocuments(ctx.kyc, ctx.identity!, args.applicationId),
    decideKycReview: (_, { input }, ctx) => decideKycReview(ctx.kyc, ctx.identity!, input),
  },
  KycApplication: {
    __resolveReference: (ref, ctx) => getKycApplication(loaders(ctx), ctx.identity, ref.id),
    createdAt: (app) => app.createdAt.toISOString(),
    updatedAt: (app) => app.updatedAt.toISOString(),
    submittedAt: (app) => iso(app.submittedAt),
    documents: (app) => app.documents,
    checks: (app) => app.checks,
  },
  KycApplicant: {
    cpfMasked: (applicant) => maskCpf(applicant.cpf),
  },
  KycDocument: {
    id: (doc) => doc.documentId,
    uploadedAt: (doc) => doc.uploadedAt.toISOString(),
  },
  KycCheckResult: {
    scoreBps: (check) => (typeof check.score === 'number' ? Math.round(check.score * 10_000) : null),
    at: (check) => check.at.toISOString(),
  },
  KycDecision: {
    reasons: (decision, _, ctx) => decisionReasonsFor(ctx.identity!, decision.reasons),
    at: (decision) => decision.at.toISOString(),
  },
  KycDocumentUpload: {
    expiresAt: (upload) => upload.expiresAt.toISOString(),
  },
  Customer: {
    kyc: (customer, _, ctx) => getCustomerKyc({ ...loaders(ctx), customerInTenant: ctx.kyc.customerInTenant }, ctx.identity!, customer.id),
  },
};
