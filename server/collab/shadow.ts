import * as Y from "yjs";
import { LockedClauses } from "./clause-locks";
import type { SchemaGuard } from "./schema-guard";
import type { ClientClaims, ClientOwners } from "./client-owners";

/** An update under a Yjs client id that another participant uses; never stored. */
export class ForeignClient extends Error {}

/** What a trial found: what refused the update (or null), and the client ids it is the first to use. */
export interface TrialResult {
  violation: Error | null;
  claims: ClientClaims;
}

/**
 * A second copy of a room's document, holding it plus every update admitted but not yet stored,
 * on which each update is tried before it is admitted: applied there, what it changed must still
 * be the document's schema within its bounds, leave every agreed clause as it was, and use only
 * Yjs client ids of its own author. If not, the shadow is rebuilt without it.
 *
 * Made when the room is first written to: a room only read (observers, exports) never needs it,
 * and a client opening a cold document is not kept waiting for a second copy.
 */
export class Shadow {
  private copy: Y.Doc | null = null;
  /** The agreed clauses as elements of the copy; made with it. */
  private locked: LockedClauses | null = null;
  private lockedIds: ReadonlySet<string> = new Set();
  /** The update being tried, and what its transactions broke. */
  private trial: { owner: string; clients: number[]; checkLocks: boolean; claims: ClientClaims; violation: Error | null } | null = null;

  constructor(
    /** The room's document (only ever durable state) and the updates admitted but not yet stored. */
    private readonly base: { doc: Y.Doc; pending(): Iterable<Uint8Array> },
    private readonly guard: SchemaGuard,
    private readonly owners: ClientOwners,
  ) {}

  /** The copy, made from the document and the pending updates if there is none yet. */
  get doc(): Y.Doc {
    if (!this.copy) this.rebuild();
    return this.copy!;
  }

  /** How far the room's copy (stored, or admitted and being stored) reaches for a client. */
  known(client: number): number {
    return Y.getState((this.copy ?? this.base.doc).store, client);
  }

  /** The clauses agreed now are the elements that carry their ids now. */
  lock(ids: ReadonlySet<string>): void {
    this.lockedIds = ids;
    if (this.copy) this.locked = new LockedClauses(ids, this.copy.getXmlFragment(this.guard.model.field));
  }

  /** A durable update that was never tried here (another instance's, or reloaded). */
  follow(update: Uint8Array): void {
    if (this.copy) Y.applyUpdate(this.copy, update);
  }

  /**
   * Applies an update by `owner`, whose structures are under `clients`, to the copy; the copy is
   * rebuilt without it if anything refused it. The server's own changes are the chair's decisions
   * (accepting a proposal, restoring a version): `checkLocks` is false for them.
   */
  try(update: Uint8Array, owner: string, clients: Iterable<number>, checkLocks = true): TrialResult {
    const trial = { owner, clients: [...clients], checkLocks, claims: new Map<number, string>(), violation: null as Error | null };
    this.trial = trial;
    try {
      Y.applyUpdate(this.doc, update);
    } catch (err) {
      trial.violation ??= err instanceof Error ? err : new Error(String(err));
    } finally {
      this.trial = null;
    }
    if (trial.violation !== null) this.rebuild();
    return { violation: trial.violation, claims: trial.claims };
  }

  private rebuild(): void {
    const copy = new Y.Doc({ gc: true });
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(this.base.doc));
    for (const update of this.base.pending()) Y.applyUpdate(copy, update);
    // Typed before checks are listened to: turning the root into a fragment is a transaction of its own.
    const root = copy.getXmlFragment(this.guard.model.field);
    copy.on("afterTransaction", (tr: Y.Transaction) => this.check(tr));
    this.copy?.destroy();
    this.copy = copy;
    this.locked = new LockedClauses(this.lockedIds, root);
  }

  /** What one transaction of a trial changed: schema and bounds, agreed clauses, whose client ids. */
  private check(tr: Y.Transaction): void {
    const trial = this.trial;
    if (!trial) return this.guard.observe(tr);
    if (trial.violation !== null) return;
    try {
      // The clients whose structures the update holds; of those, the ones it took further.
      for (const client of trial.clients) {
        if ((tr.afterState.get(client) ?? 0) <= (tr.beforeState.get(client) ?? 0)) continue;
        const owner = this.owners.owner(client) ?? trial.claims.get(client);
        if (owner === undefined || (owner === trial.owner && !this.owners.isStored(client))) trial.claims.set(client, trial.owner);
        else if (owner !== trial.owner) throw new ForeignClient("document update under another participant's client id");
      }
      if (trial.checkLocks) this.locked!.checkTransaction(tr);
      this.guard.checkTransaction(tr);
    } catch (err) {
      trial.violation = err instanceof Error ? err : new Error(String(err));
    }
  }

  destroy(): void {
    this.copy?.destroy();
  }
}
