// POST {campaign_id, count, amount_cents, idempotency_key, valid_days?} -> issue_vouchers()'s
// answer ({status: issued, issued, replayed}). Seed 004's admin issuance: up to 5,000 vouchers
// per batch, exactly once per idempotency key (a retried request gets the first answer back with
// replayed: true). Called with the service key, as the admin app's server route does.
import { asCaller, sqlState } from "../_shared/db.ts";
import { claimsOf } from "../_shared/auth.ts";
import { error, isUuid, json, jsonBody } from "../_shared/http.ts";

const MAX_BATCH = 5000;

Deno.serve(async (req) => {
  if (req.method !== "POST") {
    return error(405, "use POST");
  }
  const body = await jsonBody(req);
  if (!body) {
    return error(400, "body must be a JSON object");
  }
  const { campaign_id, count, amount_cents, idempotency_key, valid_days = 30 } = body;
  if (!isUuid(campaign_id)) {
    return error(400, "campaign_id must be a uuid");
  }
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_BATCH) {
    return error(400, `count must be an integer in 1..${MAX_BATCH} (split larger issues into batches)`);
  }
  if (!Number.isInteger(amount_cents) || (amount_cents as number) < 1) {
    return error(400, "amount_cents must be a positive integer");
  }
  if (typeof idempotency_key !== "string" || idempotency_key.length === 0 || idempotency_key.length > 200) {
    return error(400, "idempotency_key must be a string of 1 to 200 characters");
  }
  if (!Number.isInteger(valid_days) || (valid_days as number) < 1) {
    return error(400, "valid_days must be a positive integer");
  }
  try {
    const rows = await asCaller(claimsOf(req), (tx) =>
      tx`SELECT issue_vouchers(${campaign_id}, ${count}, ${amount_cents}, ${idempotency_key},
                               make_interval(days => ${valid_days})) AS result`
    );
    return json(rows[0].result);
  } catch (e) {
    switch (sqlState(e)) {
      case "P0002":
        return error(404, (e as Error).message);
      case "22023":
        return error(422, (e as Error).message);
      case "42501":
        return error(403, "only the service role issues vouchers");
      default:
        throw e;
    }
  }
});
