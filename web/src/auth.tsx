import { createContext, useContext } from "react";
import type { User } from "./api/types";

export interface AuthContextValue {
  user: User;
  signOut: () => Promise<void>;
}

export const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth outside AuthContext");
  return value;
}
