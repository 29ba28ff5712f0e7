// SPDX-License-Identifier: Apache-2.0
// The logged-in user and the organisation the UI acts for. The session cookie is HttpOnly; the
// CSRF token from the login answer lives in sessionStorage (api.ts).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me, Membership } from './api';

const ORG_KEY = 'hoshi.org';

export interface Session {
  me: Me;
  membership: Membership;
  setOrg: (orgId: string) => void;
  logout: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}

export function pickMembership(me: Me): Membership | null {
  if (!me.memberships.length) return null;
  const want = sessionStorage.getItem(ORG_KEY);
  return me.memberships.find((m) => m.organization_id === want) ?? me.memberships[0];
}

export function rememberOrg(orgId: string): void {
  sessionStorage.setItem(ORG_KEY, orgId);
}

export type Persona = 'company' | 'expert' | 'evaluator' | 'operator';

export function persona(m: Membership): Persona {
  if (m.role === 'operator' || m.organization.kind === 'operator') return 'operator';
  if (m.role === 'expert') return 'expert';
  if (m.role === 'evaluator') return 'evaluator';
  return 'company';
}

export const isAdmin = (m: Membership) => m.role === 'org_admin';
