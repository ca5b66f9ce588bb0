import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SignOnProblem, signOnProblemStatus, type SignOnProblemData } from "~/auth/SignOnProblem";
import { invariantResponse } from "~/utils/invariant";
import { safeRedirect } from "~/utils/redirect";
import { publicOrigin } from "~/utils/public-origin.server";
import { retryAfterHeaders } from "~/utils/retry-after";

export const headers = retryAfterHeaders;

export const meta: MetaFunction = () => [{ title: "Sign in · Concord" }];

/** Where the provider sends the browser back (auth.oidc_.callback.tsx): the redirect URI registered with the provider. */
const callbackPath = "/auth/oidc/callback";

/**
 * Starts signing in with the organisation's account: sends the browser to the provider. A plain GET
 * (a link), so that no form's form-action policy stands between the page and the provider.
 * `returnTo`, a path of this site, is where the person lands once signed in.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  invariantResponse(context.sso, "Signing in with an organisation's account is not set up here.", { status: 404 });
  const returnTo = safeRedirect(new URL(request.url).searchParams.get("returnTo"), request.url);
  const started = await context.sso.begin(new URL(callbackPath, publicOrigin(request, context)).href, returnTo, context.clientAddress);
  if (!started.ok) {
    const problem: SignOnProblemData = { reason: started.reason, name: context.sso.name };
    const retryAfter = started.retryAfterMs ? { "Retry-After": String(Math.ceil(started.retryAfterMs / 1000)) } : undefined;
    return data(problem, { status: signOnProblemStatus[started.reason], headers: retryAfter });
  }
  throw redirect(started.location, { headers: { "Set-Cookie": started.setCookie } });
}

export default function StartSignOn() {
  return <SignOnProblem {...useLoaderData<typeof loader>()} />;
}
