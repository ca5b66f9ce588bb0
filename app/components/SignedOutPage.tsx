import type { ReactNode } from "react";

/** The chrome of a page for someone not signed in (sign-in, password links, unsubscribing): the name alone, no menus. */
export function SignedOutPage({ children }: { children: ReactNode }) {
  return (
    <div className="page">
      <header className="masthead">
        <span className="brand">Concord</span>
      </header>
      <main id="main" className="narrow">
        {children}
      </main>
    </div>
  );
}
