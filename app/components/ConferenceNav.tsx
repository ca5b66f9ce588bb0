import { Link } from "@remix-run/react";

const sections = [
  { key: "documents", label: "Documents", path: "" },
  { key: "delegations", label: "Delegations", path: "/delegations" },
  { key: "people", label: "People", path: "/people" },
  { key: "audit", label: "Audit trail", path: "/audit" },
] as const;

/** Tabs of a conference; the management tabs only for those who may manage it. */
export function ConferenceNav({
  conferenceId,
  canManage,
  current,
}: {
  conferenceId: string;
  canManage: boolean;
  current: (typeof sections)[number]["key"];
}) {
  const visible = canManage ? sections : sections.filter((s) => s.key === "documents");
  return (
    <nav className="conference-nav" aria-label="Conference">
      <ul>
        {visible.map((s) => (
          <li key={s.key}>
            <Link to={`/conferences/${conferenceId}${s.path}`} aria-current={s.key === current ? "page" : undefined}>
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
