"use client";
import { useEffect, useState } from "react";
import { api } from "./api-client";

export interface SignedInAccount {
  id: string;
  email: string;
  name: string;
  role: "instructor" | "facilitator";
}

/** The signed-in account: undefined while loading, null when signed out. */
export function useAccount(): SignedInAccount | null | undefined {
  const [account, setAccount] = useState<SignedInAccount | null | undefined>(undefined);
  useEffect(() => {
    void api<{ account: SignedInAccount | null }>("GET", "/api/auth/me").then((r) => setAccount(r.ok ? r.data.account : null));
  }, []);
  return account;
}
