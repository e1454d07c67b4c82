export { startPasskeyRegistration, userIdFromUserHandle } from './start-passkey-registration';
export { finishPasskeyRegistration } from './finish-passkey-registration';
export { startPasskeyAuthentication } from './start-passkey-authentication';
export { finishPasskeyAuthentication } from './finish-passkey-authentication';
export { createPasskeyChallenge, PASSKEY_CHALLENGE_TTL_SECONDS } from './create-passkey-challenge';
export { PasskeyError, isPasskeyError, asDomainError, PASSKEY_ERROR_CODES, type PasskeyErrorCode } from './passkey-error';
export { PASSKEY_ALGORITHM_IDS } from './supported-algorithms';
export type { PasskeyCeremonyStart, StoredPasskey } from './types';
export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
