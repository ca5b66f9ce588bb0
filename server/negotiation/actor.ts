import { can, type Access } from "../auth/permissions";
import type { Role } from "../../app/statement/vocabulary";

/** The person acting, as the negotiation rules see them. */
export interface Actor {
  userId: string;
  role: Role;
  /** Their delegation, for a delegate; null for everyone else. */
  delegationId: string | null;
  /** Holds "negotiation:chair". */
  isChair: boolean;
  /** Their delegation negotiates: signals, takes positions, counts toward consensus, breaks silence (server/auth/delegation-rights.ts). */
  negotiates: boolean;
  /** Their delegation may propose amendments. */
  mayPropose: boolean;
}

export function actorOf(access: Access): Actor {
  return {
    userId: access.userId,
    role: access.role,
    delegationId: access.delegationId,
    isChair: can(access, "negotiation:chair"),
    ...access.rights,
  };
}
