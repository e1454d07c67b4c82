export { startSandboxBank } from './bank';
export type { SandboxBank, SandboxBankOptions } from './bank';
export { parseTriggers } from './triggers';
export type { Triggers } from './triggers';
export { RANDOM_REJECT_REASON, DEFAULT_RETURN_REASON } from './handlers';
