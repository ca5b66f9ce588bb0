/**
 * A negotiation command's refusal: its HTTP status and a message for the person, and the form
 * field it is about, if one. Thrown before anything changes, or inside the change's transaction,
 * which it then rolls back.
 */
export class Refusal extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const refuse = (status: Refusal["status"], message: string, field?: string): never => {
  throw new Refusal(status, message, field);
};
