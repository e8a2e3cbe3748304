export { applyGpc, type DecideInput, type Decision, decide, expire, withdrawPurposes } from './decide';
export { CONSENT_ERROR_CODES, ConsentError, type ConsentErrorCode, isConsentError } from './errors';
export { allowedCategories, allowsEvent, type EventGate } from './gate';
export { noticeVersionFor, type PreviousNotice, type PublishedNotice, publishNotice } from './notice';
export { buildRecord } from './record';
export { ConsentEventType, ConsentRecord, ConsentState, DpvState, NoticeRef } from './schema';
export { type EffectiveState, effectiveState, grantedPurposes, initialState, setPaused } from './state';
