export interface PresentUser {
  clientId: number;
  name: string;
  color: string;
  self: boolean;
}

/** Who has the statement open right now. */
export function Presence({ people }: { people: PresentUser[] }) {
  return (
    <section className="panel presence" aria-labelledby="presence-heading">
      <h2 id="presence-heading">
        Present <span className="count">({people.length})</span>
      </h2>
      <ul className="presence-list" aria-live="polite">
        {people.map((p) => (
          <li key={p.clientId}>
            <span className="swatch" style={{ backgroundColor: p.color }} aria-hidden="true" />
            {p.name}
            {p.self ? <span className="you"> (you)</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
