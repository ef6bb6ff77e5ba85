import type { SmsPurpose } from '../../../db/schema';

// How a verification code reaches a phone. One real provider (Tencent Cloud SMS) and a local simulator.

export interface SmsMessage {
  phone: string;
  purpose: SmsPurpose;
  code: string;
  /** How long the code is valid, for the template's text. */
  minutes: number;
}

export interface SmsProvider {
  readonly name: 'tencent' | 'simulator';
  /** Resolves once the provider accepted the message; throws SmsSendError otherwise. */
  send(message: SmsMessage): Promise<void>;
}

export class SmsSendError extends Error {
  constructor(
    readonly provider: string,
    readonly detail: string,
  ) {
    super(`${provider}: ${detail}`);
  }
}
