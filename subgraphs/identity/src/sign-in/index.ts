export { startSignIn, challengeView, destinationIndex, magicLink, type SignInChallengeView, type SignInConfig, type StartSignInDeps } from './start-sign-in';
export { parseStartSignInInput, type StartSignInInput, type StartSignInRequest } from './parse-start-input';
export { verifySignInCode, redeemMagicLink, OTP_AMR, type FinishSignInDeps, type OpenedSession } from './finish-sign-in';
export { limitSends, sendCounterKeys, type SendDecision, type SendLimit, type SendQuotas, type SendRequest } from './limit-sends';
export {
  IDENTITY_NOTIFY_STREAM,
  notificationContext,
  notificationSubject,
  type NotificationChannel,
  type NotificationPayload,
  type AccountNotice,
  type AccountNoticeTemplate,
  type OutboxPayload,
} from './notification-stream';
export { startNotificationRelay, type NotificationRelay, type NotificationRelayOptions, type NotificationRelayStats } from './start-notification-relay';
export {
  createDevNotificationSink,
  type DevNotificationSink,
  type DevNotificationSinkOptions,
  type NotificationFilter,
  type SentNotification,
} from './create-dev-notification-sink';
