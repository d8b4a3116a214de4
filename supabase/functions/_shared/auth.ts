// The caller's identity. The gateway verifies the JWT before a function runs (Supabase's
// verify_jwt); functions only read the claims it vouched for.

export interface Claims {
  sub?: string;
  role: string;
  [key: string]: unknown;
}

/** Claims the local gateway verified, keyed by the request it hands to the function. */
export const verifiedClaims = new WeakMap<Request, Claims>();

export function claimsOf(req: Request): Claims {
  const local = verifiedClaims.get(req);
  if (local) {
    return local;
  }
  // Deployed on Supabase: the platform gateway verified the bearer token; read its payload.
  const token = (req.headers.get("authorization") ?? "").replace(/^Bearer\s+/i, "");
  const payload = token.split(".")[1] ?? "";
  const text = atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "="));
  return JSON.parse(text) as Claims;
}
