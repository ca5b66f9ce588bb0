import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

export async function loader() {
  return redirect("/");
}

/** Sign-out needs no anti-forgery token: a forged sign-out harms nobody, and a stale page can still leave. */
export async function action({ request, context }: ActionFunctionArgs) {
  const setCookie = await context.auth.signOut(request.headers.get("Cookie"));
  return redirect("/login", { headers: { "Set-Cookie": setCookie } });
}
