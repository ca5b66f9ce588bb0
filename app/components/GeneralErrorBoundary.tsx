import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

const titles: Record<number, string> = {
  400: "The request could not be understood",
  401: "Please sign in",
  403: "You do not have access to this",
  404: "Not found",
};

/** The one error display of the app, for thrown responses and unexpected errors alike. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const detail = isRouteErrorResponse(error)
    ? typeof error.data === "string"
      ? error.data
      : error.statusText
    : "Something went wrong on our side. Your work in open documents is kept; try again in a moment.";
  return (
    <main className="error-page" role="alert">
      <h1>{titles[status] ?? "Something went wrong"}</h1>
      <p>{detail}</p>
      <p>
        <Link to="/">Back to the conference</Link>
      </p>
    </main>
  );
}
