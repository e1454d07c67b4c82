import { readFileSync } from 'node:fs';

/**
 * How codegen writes a subgraph's resolver types (src/generated/resolvers-types.ts). Module paths
 * are `module#Type`, relative to the subgraph's src/generated/ folder.
 */
export type ResolverTypesConfig = {
  /** The resolvers' context type. */
  readonly contextType: string;
  /** GraphQL type name -> the row or record type its resolvers receive as parent. */
  readonly mappers?: Readonly<Record<string, string>>;
  /** Scalars beyond `DateTime: string` (the default for every subgraph). */
  readonly scalars?: Readonly<Record<string, string>>;
};

export type SubgraphSpec = {
  /** Its folder under subgraphs/, its name in the supergraph and in SUBGRAPH_URLS. */
  readonly name: string;
  /** Its default local port (npm start; the routing URL composed into the supergraph). */
  readonly port: number;
  readonly resolverTypes: ResolverTypesConfig;
};

/**
 * Every subgraph of the supergraph: the one list. Composition (schema/compose.ts), codegen
 * (codegen.yml, written by `npm run compose`), the development runner (scripts/dev-runner.ts) and the test platform
 * (@baas/test-platform's startPlatform) all read it; schema/test/registry.test.ts checks they agree.
 * Adding a subgraph: docs/adding-a-subgraph.md.
 */
export const SUBGRAPHS = [
  {
    name: 'identity',
    port: 4101,
    resolverTypes: {
      contextType: '../context#IdentityContext',
      scalars: { JSON: 'unknown' },
      mappers: { Customer: '../store/customer-store#CustomerRow', Tenant: '../store/tenant-store#TenantRow' },
    },
  },
  {
    name: 'accounts',
    port: 4102,
    resolverTypes: {
      contextType: '../context#AccountsContext',
      mappers: { Account: '../store/account-store#AccountRow', AccountTransfer: '../store/saga-store#SagaRow', FxQuote: '../store/fx-quote-store#FxQuoteRow' },
    },
  },
  {
    name: 'ledger',
    port: 4103,
    resolverTypes: {
      contextType: '../context#LedgerContext',
      scalars: { JSON: 'Record<string, unknown>' },
      mappers: {
        LedgerAccount: '../store/ledger-account-store#LedgerAccountRow',
        Transfer: '../store/transfer-store#TransferRecord',
        LedgerCheckpoint: '../store/checkpoint-store#StoredCheckpoint',
        ChainVerification: '../use-cases/verify-ledger-chain#ChainVerificationResult',
      },
    },
  },
  {
    name: 'payments',
    port: 4104,
    resolverTypes: { contextType: '../context#PaymentsContext', mappers: { PaymentOrder: '../store/payment-order-store#PaymentOrderRow', PixKey: '../store/pix-key-store#PixKeyRow', PixKeyClaim: '../store/pix-key-store#PixKeyClaimRow', PixCharge: '../store/pix-charge-store#PixChargeRow', MedCase: '../store/med-case-store#MedCaseRow' } },
  },
  {
    name: 'cards',
    port: 4105,
    resolverTypes: { contextType: '../context#CardsContext', mappers: { Card: '../store/card-store#CardRow', NetworkToken: '../store/network-token-store#NetworkTokenRow', TenantCardSettings: '../store/card-settings-store#TenantCardSettingsRow', CardAuthorization: '../store/authorization-store#AuthorizationRow', CardNetworkResponse: '../use-cases/simulate-card-transaction#NetworkAnswer', CardChallenge: '../store/challenge-store#ChallengeRow' } },
  },
  {
    name: 'kyc',
    port: 4106,
    resolverTypes: { contextType: '../context#KycContext', mappers: { KycApplication: '../store/application-store#KycApplicationRow', KycDocumentUpload: '../use-cases/request-kyc-document-upload#KycDocumentUploadRow', CustomerKyc: '../use-cases/get-customer-kyc#CustomerKycView', CustomerKycLevel: '../use-cases/get-customer-kyc#CustomerKycView', KycReviewPage: '../use-cases/get-kyc-review-queue#KycReviewPageRow', KycDocument: '../store/kyc-collections#ApplicationDocumentRef', KycCheckResult: '../store/kyc-collections#StoredCheck', KycDecision: '../store/kyc-collections#StoredDecision', KycApplicant: '../domain/applicant#Applicant' } },
  },
  {
    name: 'risk',
    port: 4107,
    resolverTypes: { contextType: '../context#RiskContext', mappers: { RiskAssessment: '../store/risk-assessment-store#AssessmentRow' } },
  },
  {
    name: 'webhooks',
    port: 4108,
    resolverTypes: { contextType: '../context#WebhooksContext', mappers: { WebhookEndpoint: '../store/webhook-endpoint-store#WebhookEndpointRow', WebhookDelivery: '../store/webhook-delivery-store#WebhookDeliveryRow', WebhookAttempt: '../store/webhook-delivery-store#WebhookAttemptRow' } },
  },
] as const satisfies readonly SubgraphSpec[];

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export const SUBGRAPH_NAMES: readonly SubgraphName[] = SUBGRAPHS.map((s) => s.name);

/** Paths from the repository root. */
export const subgraphSchemaPath = (name: string) => `subgraphs/${name}/src/schema.graphql`;
export const resolverTypesPath = (name: string) => `subgraphs/${name}/src/generated/resolvers-types.ts`;

export function subgraphSdl(name: SubgraphName): string {
  return readFileSync(new URL(`../${subgraphSchemaPath(name)}`, import.meta.url), 'utf8');
}
