import type { Role } from "@/db/schema";

const rank: Record<Role, number> = { viewer: 0, marketer: 1, admin: 2, owner: 3 };

export function hasRole(role: Role, atLeast: Role): boolean {
  return rank[role] >= rank[atLeast];
}

/** Roles a member of `role` may hand out: never above their own. */
export function assignableRoles(role: Role): Role[] {
  return (Object.keys(rank) as Role[]).filter((candidate) => rank[candidate] <= rank[role]);
}
