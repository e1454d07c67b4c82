/**
 * RFC 8176 `amr` of a session opened by a one-time code or a magic link. RFC 8176 has no value for
 * a magic link; a link is a one-time secret delivered out of band like the code it travels with,
 * so it is `otp` too.
 */
export const OTP_AMR = ['otp'];

/** RFC 8176: proof of possession of a (hardware- or platform-) protected key, with user verification. */
export const PASSKEY_AMR = ['hwk', 'user', 'mfa'];
