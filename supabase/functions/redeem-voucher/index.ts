// POST {code, station_id, idempotency_key?} -> redeem_voucher()'s answer
// ({status: redeemed | already_redeemed | expired | not_found, ...}).
// Rate-limited per caller (guessing voucher codes is the abuse this stops): 429 with
// Retry-After once a caller's bucket is empty.
import { asCaller } from "../_shared/db.ts";
import { claimsOf } from "../_shared/auth.ts";
import { error, isUuid, json, jsonBody } from "../_shared/http.ts";
import { TokenBucket } from "../_shared/rate-limit.ts";

const limiter = new TokenBucket(
  Number(Deno.env.get("REDEEM_RATE_BURST") ?? "30"),
  Number(Deno.env.get("REDEEM_RATE_PER_SECOND") ?? "10"),
);

Deno.serve(async (req) => {
  if (req.method !== "POST") {
    return error(405, "use POST");
  }
  const claims = claimsOf(req);
  const decision = limiter.take(claims.sub ?? "anon");
  if (!decision.allowed) {
    return error(429, "too many redemption attempts", {
      "retry-after": String(decision.retryAfterSeconds),
    });
  }
  const body = await jsonBody(req);
  if (!body) {
    return error(400, "body must be a JSON object");
  }
  const { code, station_id, idempotency_key = null } = body;
  if (typeof code !== "string" || code.length === 0 || code.length > 64) {
    return error(400, "code must be a non-empty string");
  }
  if (!isUuid(station_id)) {
    return error(400, "station_id must be a uuid");
  }
  if (idempotency_key !== null && typeof idempotency_key !== "string") {
    return error(400, "idempotency_key must be a string");
  }
  const rows = await asCaller(claims, (tx) =>
    tx`SELECT redeem_voucher(${code}, ${station_id}, ${idempotency_key}) AS result`
  );
  const result = rows[0].result as { status: string };
  return json(result, result.status === "not_found" ? 404 : 200);
});
