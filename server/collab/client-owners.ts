/** Which Yjs client ids belong to whom (a user id, or "server"), by document. */
export type ClientClaims = Map<number, string>;

/**
 * Who each Yjs client id of a document belongs to. A client id is claimed by the first update or
 * presence that uses it; from then on nobody else may write or show presence under it, so that
 * one participant cannot pass their edits or caret off as another's.
 */
export class ClientOwners {
  private readonly owners: ClientClaims = new Map();
  /** Client ids whose claim is in PostgreSQL; a claim made by presence alone is stored with the id's first update. */
  private readonly stored = new Set<number>();

  owner(client: number): string | undefined {
    return this.owners.get(client);
  }

  has(client: number): boolean {
    return this.owners.has(client);
  }

  isStored(client: number): boolean {
    return this.stored.has(client);
  }

  /** Claims made here (an admitted update, or a presence under a free id). */
  claim(client: number, owner: string): void {
    this.owners.set(client, owner);
  }

  /** These claims were just written to PostgreSQL. */
  markStored(clients: Iterable<number>): void {
    for (const client of clients) this.stored.add(client);
  }

  /** Client ids another instance (or the database) stored as taken; the first claim stands. */
  learn(claims: ClientClaims): void {
    // A stored claim outranks one made here by presence alone.
    for (const [client, owner] of claims) {
      if (!this.stored.has(client)) this.owners.set(client, owner);
      this.stored.add(client);
    }
  }
}
