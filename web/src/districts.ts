// Words and addresses shared by the district pages.
import { US_STATES } from './api';
import type { DistrictMember, DistrictRole } from './api';

const ROLE_NAMES: Record<DistrictRole, string> = {
  educator: 'Educator',
  approver: 'Approver',
  admin: 'Administrator',
};

/** A district role as people read it: "Administrator". */
export function districtRoleName(role: DistrictRole | null | undefined): string {
  return role ? ROLE_NAMES[role] ?? role : 'Not a member';
}

/** What each role may do, for hints next to role choices. */
export const DISTRICT_ROLE_HINT =
  'Educators earn credit; approvers also see the members and decide claims; administrators manage the district.';

const JOINED_VIA: Record<DistrictMember['joined_via'], string> = {
  created: 'created the district',
  code: 'with the join code',
  domain: 'by email domain',
  roster: 'from the roster',
};

export function joinedVia(via: DistrictMember['joined_via']): string {
  return JOINED_VIA[via] ?? via;
}

/** "Ohio (OH)" for a state code; empty for none. */
export function stateName(code: string): string {
  if (!code) return '';
  const state = US_STATES.find((s) => s.code === code);
  return state ? `${state.name} (${code})` : code;
}

export const districtHref = (slug: string) => `/districts/${encodeURIComponent(slug)}`;

/** The part of an address after "@", in lower case. */
export function emailDomain(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? '' : email.slice(at + 1).toLowerCase();
}

/** A count with its noun: "1 person", "3 people". */
export function people(n: number): string {
  return n === 1 ? '1 person' : `${n} people`;
}
