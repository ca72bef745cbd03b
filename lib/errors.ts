// Owns the domain's error vocabulary; routes and actions translate these, never the reverse.

export type FieldErrors = Record<string, string[]>;

export class DomainError extends Error {
  constructor(message: string, readonly fieldErrors?: FieldErrors) {
    super(message);
    this.name = new.target.name;
  }
}

/** Missing, or not visible to the caller: the two must be indistinguishable. */
export class NotFoundError extends DomainError {}
/** The caller is a member but their role does not allow this. */
export class ForbiddenError extends DomainError {}
/** Bad input: `fieldErrors` names the fields. */
export class ValidationError extends DomainError {}
/** The change conflicts with current state (duplicate, last owner, …). */
export class ConflictError extends DomainError {}
/** Too many attempts; `retryAfterSeconds` says when to try again. */
export class RateLimitError extends DomainError {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

export function fieldError(field: string, message: string): ValidationError {
  return new ValidationError(message, { [field]: [message] });
}

/** A sensitive action needs the person to prove who they are again (password or code). */
export class ReauthRequiredError extends ForbiddenError {
  constructor(message = "Confirm it's you to continue: enter your password or an authenticator code.") {
    super(message);
  }
}

/** The organization requires two-factor authentication and the member has not set it up. */
export class TwoFactorRequiredError extends ForbiddenError {
  constructor(readonly orgName: string) {
    super(`${orgName} requires two-factor authentication. Set it up under Account → Security to continue.`);
  }
}
