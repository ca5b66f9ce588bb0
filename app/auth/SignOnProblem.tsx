import { Link } from "@remix-run/react";
import type { SignOnRefusal } from "../../server/auth/single-sign-on";
import { SignedOutPage } from "~/components/SignedOutPage";

export interface SignOnProblemData {
  reason: SignOnRefusal;
  /** The provider as the sign-in button names it. */
  name: string;
  email?: string;
  detail?: string;
}

/**
 * The answer's status for each refusal: the person's doing (400), not allowed in (403), a used
 * invitation (409), too many sign-ins started (429), the provider down (503).
 */
export const signOnProblemStatus: Record<SignOnRefusal, number> = {
  expired: 400,
  refused: 400,
  unavailable: 503,
  unverified: 403,
  uninvited: 403,
  invitation: 409,
  busy: 429,
};

function describe({ reason, name, email, detail }: SignOnProblemData): { title: string; text: string } {
  const address = email ?? "your e-mail address";
  switch (reason) {
    case "expired":
      return {
        title: "This sign-in has expired",
        text: "It took too long, was started in another browser, or was used already. Start again from the sign-in page.",
      };
    case "refused":
      return { title: "The sign-in did not complete", text: `Signing in with ${name} was cancelled or could not be checked. Start again.` };
    case "unavailable":
      return {
        title: `Signing in with ${name} is not available right now`,
        text: "The sign-in service cannot be reached. Try again in a few minutes; if it lasts, tell the secretariat.",
      };
    case "unverified":
      return {
        title: "Your e-mail address is not verified",
        text: `${name} has not confirmed that ${address} is yours. Verify it there, then sign in again.`,
      };
    case "uninvited":
      return {
        title: "No invitation for this address",
        text: `Concord has no account and no invitation for ${address}. Ask the conference secretariat to invite this address.`,
      };
    case "invitation":
      return { title: "Your invitation could not be used", text: detail ?? "Ask the conference secretariat for a new invitation." };
    case "busy":
      return {
        title: "Too many sign-ins started",
        text: `Many sign-ins with ${name} were started from your network and not finished. Try again in a few minutes.`,
      };
  }
}

/** Why signing in with the organisation's account did not sign the person in, and the way back. */
export function SignOnProblem(props: SignOnProblemData) {
  const { title, text } = describe(props);
  return (
    <SignedOutPage>
      <div className="card" role="alert">
        <h1>{title}</h1>
        <p>{text}</p>
        <p>
          <Link to="/login">Back to sign in</Link>
        </p>
      </div>
    </SignedOutPage>
  );
}
