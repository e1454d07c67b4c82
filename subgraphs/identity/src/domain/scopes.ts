/** Scopes an API client may hold; access is still limited to its own tenant. */
export const API_CLIENT_SCOPES = ['customers:read', 'customers:write', 'accounts:read', 'accounts:write', 'payments:write', 'cards:write', 'clients:write', 'tenant:write', 'audit:read', 'sandbox:fund', 'webhooks:read', 'webhooks:write'] as const;

/** Scopes a signed-in customer's session carries. */
export const CUSTOMER_SCOPES = ['customer:read', 'customer:write', 'accounts:read', 'accounts:write', 'payments:write', 'cards:read', 'cards:write'] as const;

/** How long a rotated-out client secret keeps working, so a deployment can roll without downtime. */
export const SECRET_ROTATION_OVERLAP_SECONDS = 3600;
