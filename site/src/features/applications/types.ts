export interface Level {
  rank: number;
  name: string;
}

/** GET /api/invites/{code} */
export interface Invite {
  code: string;
  agent: { name: string; level: number; levelName: string };
  levels: Level[];
}

/** GET /api/brand */
export interface PublicBrand {
  name: string;
  levels: Level[];
}

export type ApplicationState = 'pending' | 'approved' | 'rejected';

/** GET /api/applications item: what the reviewer (the applicant's supplier, or the brand) sees. */
export interface ApplicationView {
  id: string;
  status: ApplicationState;
  name: string;
  phone: string;
  wechat: string;
  region: string;
  level: number;
  referrerId: string | null;
  supplierId: string | null;
  reason: string | null;
  agentId: string | null;
  createdAt: number;
  decidedAt: number | null;
}

/** POST /api/applications (201) and GET /api/applications/{id}/status; the approver's name comes masked. */
export interface ApplicationStatus {
  id: string;
  status: ApplicationState;
  name: string;
  level: number;
  approver: { id: string | null; name: string };
  reason: string | null;
  createdAt: number;
  decidedAt: number | null;
}

const KEY = 'agentry.applicationId';

/** The applicant's last application, so /application finds it again without the link. */
export function rememberApplication(id: string) {
  try {
    localStorage.setItem(KEY, id);
  } catch {
    // Private mode: the id stays in the URL.
  }
}

export function rememberedApplication(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function applicationPageUrl(id: string): string {
  return `/application?id=${encodeURIComponent(id)}`;
}
