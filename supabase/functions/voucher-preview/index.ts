// GET ?code=CODE -> {voucher: {code, status, amount_cents, expires_at, campaign, redeemable}}
// What a station or customer sees before redeeming (seed 004's "voucher preview"): one voucher
// by code, read as the caller so RLS decides whether it is theirs to see. Read only.
import { asCaller } from "../_shared/db.ts";
import { claimsOf } from "../_shared/auth.ts";
import { error, json } from "../_shared/http.ts";

Deno.serve(async (req) => {
  if (req.method !== "GET") {
    return error(405, "use GET");
  }
  const code = new URL(req.url).searchParams.get("code");
  if (!code || code.length > 64) {
    return error(400, "code must be a non-empty string of at most 64 characters");
  }
  const rows = await asCaller(claimsOf(req), (tx) =>
    tx`SELECT v.code, v.status, v.amount_cents, v.expires_at, c.name AS campaign,
              (v.status = 'issued' AND v.expires_at > now()) AS redeemable
       FROM vouchers v JOIN campaigns c ON c.id = v.campaign_id
       WHERE v.code = ${code}`
  );
  if (rows.length === 0) {
    return error(404, "no such voucher");
  }
  return json({ voucher: rows[0] });
});
