/** The audited actions every service uses, so operators can filter on one spelling. */
export const AUDIT_ACTIONS = {
  signInStarted: 'auth.signin.started',
  signInSucceeded: 'auth.signin.succeeded',
  signInFailed: 'auth.signin.failed',
  tokenIssued: 'auth.token.issued',
  tokenRefreshed: 'auth.token.refreshed',
  refreshReuseDetected: 'auth.token.refresh_reuse',
  logout: 'auth.logout',
  passkeyRegistered: 'auth.passkey.registered',
  stepUp: 'auth.stepup',
  clientCredentials: 'auth.client_credentials',
  authzDenied: 'authz.denied',
} as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS];
