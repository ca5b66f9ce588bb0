/**
 * "Sign in with <provider>": a plain link, not a form, so the browser simply follows the server's
 * redirect to the provider (a form's redirect elsewhere would be held to form-action 'self').
 */
export function SignOnLink({ name, returnTo, primary, label }: { name: string; returnTo: string; primary: boolean; label?: string }) {
  return (
    <p>
      <a className={primary ? "button primary" : "button"} href={`/auth/oidc?${new URLSearchParams({ returnTo })}`}>
        {label ?? `Sign in with ${name}`}
      </a>
    </p>
  );
}
