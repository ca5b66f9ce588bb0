import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SignOnProblem, signOnProblemStatus, type SignOnProblemData } from "~/auth/SignOnProblem";
import { invariantResponse } from "~/utils/invariant";
import { publicOrigin } from "~/utils/public-origin.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Concord" }];

/**
 * The provider's answer (the redirect URI): signed in and on to where the person was going, or a
 * page saying why not. The sign-in's cookie goes either way. The answer is read at the address the
 * provider was given (PUBLIC_URL behind a proxy), which the code exchange must repeat.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  invariantResponse(context.sso, "Signing in with an organisation's account is not set up here.", { status: 404 });
  const url = new URL(request.url);
  const callbackUrl = new URL(url.pathname + url.search, publicOrigin(request, context));
  const outcome = await context.sso.complete(request.headers.get("Cookie"), callbackUrl);
  const headers = new Headers();
  headers.append("Set-Cookie", await context.sso.clearCookie());
  if (outcome.ok) {
    headers.append("Set-Cookie", outcome.setCookie);
    throw redirect(outcome.location, { headers });
  }
  const problem: SignOnProblemData = { reason: outcome.reason, name: context.sso.name, email: outcome.email, detail: outcome.detail };
  return data(problem, { status: signOnProblemStatus[outcome.reason], headers });
}

export default function SignOnCallback() {
  return <SignOnProblem {...useLoaderData<typeof loader>()} />;
}
