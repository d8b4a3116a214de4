// PostgreSQL access as the caller: every query runs in a transaction that first takes the
// caller's role and JWT claims (what PostgREST does), so RLS and auth.uid() apply.
import postgres from "npm:postgres@3.4.10";
import type { Claims } from "./auth.ts";

const url = Deno.env.get("SUPABASE_DB_URL");
if (!url) {
  throw new Error("SUPABASE_DB_URL is not set");
}

// How long a connection that failed to connect waits before its next try, at most. postgres.js
// grows the wait to 20 s (3^n / 100 s over the pool's failed attempts), so after a 5 s database
// outage the functions held every request for 8 to 12 s more; doubling from 50 ms up to 1 s
// reconnects within a second of the database coming back.
const RECONNECT_FIRST_S = 0.05;
const RECONNECT_MAX_S = 1;

const POOL_MAX = Number(Deno.env.get("DB_POOL_MAX") ?? "4");

export const sql = postgres(url, {
  max: POOL_MAX,
  backoff: (attempts: number) => Math.min(RECONNECT_FIRST_S * 2 ** attempts, RECONNECT_MAX_S),
  // Supabase's transaction pooler cannot keep prepared statements: DB_PREPARE=false there.
  prepare: (Deno.env.get("DB_PREPARE") ?? "true") !== "false",
  idle_timeout: 30,
  connection: { application_name: "critpath-edge" },
  onnotice: () => {},
});

// deno-lint-ignore no-explicit-any
type Tx = any;
// deno-lint-ignore no-explicit-any
type Result = any;

// Every query runs in asCaller's transaction, which holds one pooled connection: callers beyond
// the pool's size wait for one. critpath's server sampler asks the gateway each second for the
// most that waited since it last asked (seed 001: "no connection pool exhaustion").
let inFlight = 0;
let mostWaiting = 0;

/** The most callers that waited for a connection since the last call (then starts over). */
function poolWaitingPeak(): number {
  const most = mostWaiting;
  mostWaiting = Math.max(0, inFlight - POOL_MAX);
  return most;
}
(globalThis as { critpathPoolWaiting?: () => number }).critpathPoolWaiting = poolWaitingPeak;

/** Runs `work` in one transaction acting as the caller. */
export function asCaller(claims: Claims, work: (tx: Tx) => Promise<Result>): Promise<Result> {
  inFlight++;
  mostWaiting = Math.max(mostWaiting, inFlight - POOL_MAX);
  return sql.begin(async (tx: Tx) => {
    await tx`SELECT set_config('role', ${claims.role}, true),
                    set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
    return await work(tx);
  }).finally(() => {
    inFlight--;
  });
}

/** PostgreSQL's error code of a failed query, if it is one. */
export function sqlState(e: unknown): string | undefined {
  return (e as { code?: string })?.code;
}
