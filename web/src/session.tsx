// Who is signed in, shared by every page.
import { createContext } from 'preact';
import type { ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api, rememberCsrf } from './api';
import type { SessionAnswer, User } from './api';

type SessionState = {
  /** undefined while the first GET /api/v1/me is in flight. */
  user: User | null | undefined;
  /** Record the answer of a sign-up or sign-in. */
  signedIn: (answer: SessionAnswer) => void;
  setUser: (user: User | null) => void;
  /** Reads the signed-in account again (after something changed it elsewhere). */
  refresh: () => Promise<void>;
  /** A problem loading the session other than "not signed in". */
  loadError: string | null;
};

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [user, setUserState] = useState<User | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    api
      .me()
      .then((answer) => {
        if (cancelled) return;
        rememberCsrf(answer.csrf_token);
        setUserState(answer.user);
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        if (!(err instanceof ApiError && err.status === 401)) {
          setLoadError('Staffroom could not check whether you are signed in. Some pages may not work.');
        }
        setUserState(null);
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const signedIn = useCallback((answer: SessionAnswer) => {
    rememberCsrf(answer.csrf_token);
    setLoadError(null);
    setUserState(answer.user);
  }, []);

  const setUser = useCallback((u: User | null) => setUserState(u), []);

  const refresh = useCallback(async () => {
    try {
      const answer = await api.me();
      rememberCsrf(answer.csrf_token);
      setUserState(answer.user);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setUserState(null);
    }
  }, []);

  const value = useMemo(
    () => ({ user, signedIn, setUser, refresh, loadError }),
    [user, signedIn, setUser, refresh, loadError],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession must be used inside SessionProvider');
  return s;
}
