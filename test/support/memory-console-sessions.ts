import type { ConsoleSession, ConsoleSessionStore, PendingLogin } from "../../shared/console/session.js";
import type { Language } from "../../shared/kernel/language.js";

/** The console's session store in memory, as the DynamoDB adapter behaves: expired items are not read. */
export function memoryConsoleSessions(now: () => Date) {
  const sessions = new Map<string, { session: ConsoleSession; expiresAt: Date }>();
  const logins = new Map<string, { login: PendingLogin; expiresAt: Date }>();
  const languages = new Map<string, Language>();
  const store: ConsoleSessionStore = {
    save: async (session, expiresAt) => {
      sessions.set(session.sessionKey, { session: structuredClone(session), expiresAt });
    },
    get: async (key) => {
      const entry = sessions.get(key);
      return entry && entry.expiresAt > now() ? structuredClone(entry.session) : null;
    },
    delete: async (key) => {
      sessions.delete(key);
    },
    savePendingLogin: async (login, expiresAt) => {
      logins.set(login.stateKey, { login, expiresAt });
    },
    takePendingLogin: async (key) => {
      const entry = logins.get(key);
      logins.delete(key);
      return entry && entry.expiresAt > now() ? entry.login : null;
    },
    languageOf: async (userId) => languages.get(userId) ?? null,
    rememberLanguage: async (userId, language) => {
      languages.set(userId, language);
    },
  };
  return { store, sessions, logins, languages };
}
