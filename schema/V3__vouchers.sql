-- critpath reference workload, part 3: campaigns, vouchers and station
-- redemption (seed 004's critical paths: issuance, dispatch, station redeem).

SET LOCAL search_path = public, extensions;

CREATE TABLE stations (
  id          uuid PRIMARY KEY,
  business_id uuid NOT NULL REFERENCES businesses (id),
  name        text NOT NULL,
  city        text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stations_business_id_idx ON stations (business_id);

CREATE TABLE campaigns (
  id          uuid PRIMARY KEY,
  business_id uuid NOT NULL REFERENCES businesses (id),
  name        text NOT NULL,
  status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused', 'completed')),
  starts_at   timestamptz NOT NULL DEFAULT now(),
  ends_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaigns_business_status_idx ON campaigns (business_id, status);

-- Recipients of a campaign dispatch (seed 004: 10k targets, sent in throttled chunks).
CREATE TABLE campaign_targets (
  id          uuid PRIMARY KEY,
  campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  profile_id  uuid REFERENCES profiles (id),
  phone       text NOT NULL,
  status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  sent_at     timestamptz
);
CREATE INDEX campaign_targets_campaign_status_idx ON campaign_targets (campaign_id, status);
CREATE INDEX campaign_targets_profile_id_idx ON campaign_targets (profile_id);

CREATE TABLE vouchers (
  id           uuid PRIMARY KEY,
  campaign_id  uuid NOT NULL REFERENCES campaigns (id),
  business_id  uuid NOT NULL REFERENCES businesses (id),
  profile_id   uuid REFERENCES profiles (id),
  code         text NOT NULL UNIQUE,
  status       text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'redeemed', 'expired', 'void')),
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  issued_at    timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  redeemed_at  timestamptz
);
CREATE INDEX vouchers_campaign_status_idx ON vouchers (campaign_id, status);
CREATE INDEX vouchers_business_id_idx ON vouchers (business_id);
CREATE INDEX vouchers_profile_id_idx ON vouchers (profile_id);

-- One row per successful redemption; UNIQUE (voucher_id) is the last line of
-- defence for exactly-once even if the status check were bypassed.
CREATE TABLE redemptions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  voucher_id  uuid NOT NULL UNIQUE REFERENCES vouchers (id),
  station_id  uuid NOT NULL REFERENCES stations (id),
  redeemed_by uuid REFERENCES profiles (id),
  redeemed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX redemptions_station_id_idx ON redemptions (station_id);
CREATE INDEX redemptions_redeemed_by_idx ON redemptions (redeemed_by);

-- seed 004's withIdempotency, in the database instead of in process memory.
CREATE TABLE idempotency_keys (
  key        text PRIMARY KEY,
  scope      text NOT NULL,
  response   jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Redeems a voucher at a station. Exactly once: concurrent callers serialise on
-- the voucher row, the first commits 'redeemed', the others see it and get
-- 'already_redeemed'. A repeated idempotency key returns the stored answer.
CREATE FUNCTION redeem_voucher(p_code text, p_station_id uuid, p_idempotency_key text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_voucher vouchers%ROWTYPE;
  v_result  jsonb;
BEGIN
  IF p_idempotency_key IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('redeem:' || p_idempotency_key, 0));
    SELECT response INTO v_result FROM idempotency_keys WHERE key = p_idempotency_key;
    IF FOUND THEN
      RETURN v_result || jsonb_build_object('replayed', true);
    END IF;
  END IF;

  UPDATE vouchers SET status = 'redeemed', redeemed_at = now()
  WHERE code = p_code AND status = 'issued' AND expires_at > now()
  RETURNING * INTO v_voucher;

  IF FOUND THEN
    INSERT INTO redemptions (voucher_id, station_id, redeemed_by)
    VALUES (v_voucher.id, p_station_id, auth.uid());
    v_result := jsonb_build_object('status', 'redeemed', 'voucher_id', v_voucher.id,
                                   'amount_cents', v_voucher.amount_cents, 'redeemed_at', v_voucher.redeemed_at);
  ELSE
    SELECT * INTO v_voucher FROM vouchers WHERE code = p_code;
    v_result := jsonb_build_object(
      'status', CASE WHEN NOT FOUND THEN 'not_found'
                     WHEN v_voucher.status = 'redeemed' THEN 'already_redeemed'
                     WHEN v_voucher.status = 'issued' THEN 'expired'
                     ELSE v_voucher.status END,
      'voucher_id', v_voucher.id);
  END IF;

  IF p_idempotency_key IS NOT NULL THEN
    INSERT INTO idempotency_keys (key, scope, response) VALUES (p_idempotency_key, 'redeem_voucher', v_result);
  END IF;
  RETURN v_result;
END
$$;

-- Batch issuance (seed 004: up to 5k vouchers per campaign in one call).
CREATE FUNCTION issue_vouchers(p_campaign_id uuid, p_count integer, p_amount_cents integer,
                               p_valid_for interval DEFAULT interval '30 days')
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_business uuid;
  v_issued   integer;
BEGIN
  IF p_count NOT BETWEEN 1 AND 5000 THEN
    RAISE EXCEPTION 'p_count must be between 1 and 5000, got %', p_count USING ERRCODE = '22023';
  END IF;
  SELECT business_id INTO v_business FROM campaigns WHERE id = p_campaign_id;
  IF v_business IS NULL THEN
    RAISE EXCEPTION 'campaign % does not exist', p_campaign_id USING ERRCODE = 'P0002';
  END IF;
  INSERT INTO vouchers (id, campaign_id, business_id, code, amount_cents, expires_at)
  SELECT gen_random_uuid(), p_campaign_id, v_business,
         upper(substr(md5(gen_random_uuid()::text), 1, 12)), p_amount_cents, now() + p_valid_for
  FROM generate_series(1, p_count);
  GET DIAGNOSTICS v_issued = ROW_COUNT;
  RETURN v_issued;
END
$$;
