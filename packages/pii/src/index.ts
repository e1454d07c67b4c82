export { createPiiVault } from './create-pii-vault';
export type { CreatePiiVaultOptions, PiiVault } from './create-pii-vault';
export { parsePiiKeys } from './parse-pii-keys';
export { generatePiiKey } from './generate-pii-key';
export { PiiError, isPiiError } from './errors';
export type { PiiErrorCode } from './errors';
export { maskCpf, maskCnpj } from './mask-document';
// One masking policy for the whole platform: e-mail and phone masks come from the logger's package.
export { maskEmail, maskPhone, maskDocument } from '@baas/observability';
