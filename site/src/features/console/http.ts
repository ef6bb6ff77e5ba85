import { sessionApi } from '../auth/session';

/** `api` for the agent console (a 401 goes back to the agent sign-in). */
export const call = sessionApi('agent');
