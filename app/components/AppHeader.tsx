import { Form, Link, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { NotificationBell } from "~/notifications/NotificationBell";

interface RootData {
  user: { name: string; email: string; isAdmin: boolean; unreadNotifications: number } | null;
}

/**
 * The masthead of every page: brand, page title, the page's own links and buttons (`actions`, in
 * one row that wraps as a whole), the person's notifications, the person signed in and sign-out.
 */
export function AppHeader({ children, actions }: { children?: ReactNode; actions?: ReactNode }) {
  const root = useRouteLoaderData<RootData>("root");
  const user = root?.user;
  return (
    <header className="masthead">
      <Link to="/" className="brand">
        Concord
      </Link>
      <div className="masthead-title">{children}</div>
      {actions ? (
        <nav className="masthead-actions" aria-label="This page">
          {actions}
        </nav>
      ) : null}
      {user ? (
        <div className="user-menu">
          <NotificationBell unread={user.unreadNotifications} />
          {user.isAdmin ? (
            <Link to="/admin" className="masthead-link">
              Administration
            </Link>
          ) : null}
          <span className="user-name" title={user.email}>
            {user.name}
          </span>
          <Form method="post" action="/logout">
            <button type="submit" className="button small on-dark">
              Sign out
            </button>
          </Form>
        </div>
      ) : null}
    </header>
  );
}
