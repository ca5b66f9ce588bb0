import type { useLoaderData } from "@remix-run/react";
import type { loader } from "~/routes/conferences.$conferenceId.people";

/** The people page's data as its components receive it. */
export type PeoplePageData = ReturnType<typeof useLoaderData<typeof loader>>;
export type Member = PeoplePageData["members"][number];
export type Invitation = PeoplePageData["invitations"][number];
export type Option = { value: string; label: string };
