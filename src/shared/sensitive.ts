// Which fields are sensitive: passwords, payment cards, one-time codes and
// email addresses. Pure, so the guard (with saved natives) and the scanner's
// field classifier share one definition.

import { nativeExec, type Exec } from './stack';

const SENSITIVE_TYPES = /^(password|email)$/i;
const SENSITIVE_AUTOCOMPLETE =
  /(^|\s)(current-password|new-password|one-time-code|email|cc-number|cc-csc|cc-exp|cc-exp-month|cc-exp-year|cc-name|cc-type)(\s|$)/i;
const SENSITIVE_NAME = /passw|pwd|card.?num|cc.?num|cvc|cvv|csc|otp|one.?time|e.?mail/i;

export interface FieldFacts {
  type: string;
  autocomplete: string;
  name: string;
  id: string;
}

export function isSensitiveField(f: FieldFacts, exec: Exec = nativeExec): boolean {
  return exec(SENSITIVE_TYPES, f.type) !== null
    || exec(SENSITIVE_AUTOCOMPLETE, f.autocomplete) !== null
    || exec(SENSITIVE_NAME, f.name) !== null
    || exec(SENSITIVE_NAME, f.id) !== null;
}
