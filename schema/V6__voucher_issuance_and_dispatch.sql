-- critpath reference workload, part 6: seed 004's other two critical paths.
-- Voucher issuance becomes idempotent (a replayed admin request issues nothing
-- twice), and campaign dispatch gets a per-channel throttle kept in the
-- database, so every dispatcher instance shares one sliding window.

SET LOCAL search_path = public, extensions;

-- Which issuance request made a voucher: replays find their batch, cleanup finds
-- a benchmark's vouchers. Partial: seeded vouchers carry no key.
ALTER TABLE vouchers ADD COLUMN issuance_key text;
CREATE INDEX vouchers_issuance_key_idx ON vouchers (issuance_key) WHERE issuance_key IS NOT NULL;

DROP FUNCTION issue_vouchers(uuid, integer, integer, interval);

-- Issues one batch of up to 5,000 vouchers for a campaign, exactly once per
-- idempotency key: callers with the same key serialise on an advisory lock, the
-- first inserts and stores its answer, the others get that answer back with
-- replayed = true. The batch is one INSERT: it lands whole or not at all.
CREATE FUNCTION issue_vouchers(p_campaign_id uuid, p_count integer, p_amount_cents integer,
                               p_idempotency_key text, p_valid_for interval DEFAULT interval '30 days')
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_business uuid;
  v_issued   integer;
  v_result   jsonb;
  v_request  jsonb := jsonb_build_object('campaign_id', p_campaign_id, 'count', p_count,
                                         'amount_cents', p_amount_cents);
BEGIN
  IF p_count IS NULL OR p_count NOT BETWEEN 1 AND 5000 THEN
    RAISE EXCEPTION 'batch size must be between 1 and 5000, got %', p_count
      USING ERRCODE = '22023', HINT = 'split the issuance into batches of at most 5000';
  END IF;
  IF p_idempotency_key IS NULL OR length(p_idempotency_key) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'an idempotency key (1 to 200 characters) is required'
      USING ERRCODE = '22023', HINT = 'send a fresh key per batch and the same key when retrying it';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('issue:' || p_idempotency_key, 0));
  SELECT response INTO v_result FROM idempotency_keys WHERE key = p_idempotency_key;
  IF FOUND THEN
    IF v_result -> 'request' IS DISTINCT FROM v_request THEN
      RAISE EXCEPTION 'idempotency key % was used for another request (%)', p_idempotency_key,
        v_result -> 'request' USING ERRCODE = '22023';
    END IF;
    RETURN v_result || jsonb_build_object('replayed', true);
  END IF;
  SELECT business_id INTO v_business FROM campaigns WHERE id = p_campaign_id;
  IF v_business IS NULL THEN
    RAISE EXCEPTION 'campaign % does not exist', p_campaign_id USING ERRCODE = 'P0002';
  END IF;
  INSERT INTO vouchers (id, campaign_id, business_id, code, amount_cents, expires_at, issuance_key)
  SELECT gen_random_uuid(), p_campaign_id, v_business,
         upper(substr(md5(gen_random_uuid()::text), 1, 12)), p_amount_cents, now() + p_valid_for,
         p_idempotency_key
  FROM generate_series(1, p_count);
  GET DIAGNOSTICS v_issued = ROW_COUNT;
  v_result := jsonb_build_object('status', 'issued', 'issued', v_issued, 'request', v_request);
  INSERT INTO idempotency_keys (key, scope, response) VALUES (p_idempotency_key, 'issue_vouchers', v_result);
  RETURN v_result || jsonb_build_object('replayed', false);
END
$$;

-- The WhatsApp Business channel a campaign sends through: its business's number.
-- One row per message handed to the channel, kept for the sliding window.
CREATE TABLE channel_sends (
  channel_id uuid NOT NULL,
  target_id  uuid NOT NULL,
  sent_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX channel_sends_channel_sent_idx ON channel_sends (channel_id, sent_at);
CREATE INDEX channel_sends_target_idx ON channel_sends (target_id);

-- Claims the next pending targets of a campaign that its channel may send now:
-- at most p_limit sends per channel in any p_window (the window includes a margin
-- for the time between this claim and the API receiving the message). Callers
-- for one channel serialise on an advisory lock, so concurrent dispatchers never
-- overshoot together. Claimed targets are 'sent'; release_campaign_target puts
-- back the ones the API refused.
CREATE FUNCTION claim_campaign_targets(p_campaign_id uuid, p_max integer, p_limit integer DEFAULT 250,
                                       p_window interval DEFAULT interval '62 seconds')
RETURNS TABLE (target_id uuid, phone text, channel_id uuid, next_slot_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_channel uuid;
  v_recent  integer;
  v_room    integer;
BEGIN
  IF p_max IS NULL OR p_max NOT BETWEEN 1 AND 1000 THEN
    RAISE EXCEPTION 'claim size must be between 1 and 1000, got %', p_max USING ERRCODE = '22023';
  END IF;
  SELECT business_id INTO v_channel FROM campaigns WHERE id = p_campaign_id;
  IF v_channel IS NULL THEN
    RAISE EXCEPTION 'campaign % does not exist', p_campaign_id USING ERRCODE = 'P0002';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM campaign_targets t WHERE t.campaign_id = p_campaign_id) THEN
    RAISE EXCEPTION 'campaign % has no targets', p_campaign_id
      USING ERRCODE = '22023', HINT = 'add campaign_targets rows before dispatching';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('dispatch:' || v_channel, 0));
  SELECT count(*) INTO v_recent FROM channel_sends s
  WHERE s.channel_id = v_channel AND s.sent_at > clock_timestamp() - p_window;
  v_room := least(p_max, p_limit - v_recent);
  IF v_room <= 0 THEN
    RETURN QUERY
      SELECT NULL::uuid, NULL::text, v_channel,
             (SELECT s.sent_at + p_window FROM channel_sends s
              WHERE s.channel_id = v_channel AND s.sent_at > clock_timestamp() - p_window
              ORDER BY s.sent_at OFFSET (v_recent - p_limit) LIMIT 1);
    RETURN;
  END IF;
  RETURN QUERY
    WITH claimed AS (
      UPDATE campaign_targets t SET status = 'sent', sent_at = clock_timestamp()
      WHERE t.id IN (SELECT c.id FROM campaign_targets c
                     WHERE c.campaign_id = p_campaign_id AND c.status = 'pending'
                     ORDER BY c.id LIMIT v_room FOR UPDATE SKIP LOCKED)
      RETURNING t.id, t.phone, t.sent_at
    ), logged AS (
      INSERT INTO channel_sends (channel_id, target_id, sent_at)
      SELECT v_channel, c.id, c.sent_at FROM claimed c
    )
    SELECT c.id, c.phone, v_channel, NULL::timestamptz FROM claimed c;
END
$$;

-- Puts a claimed target back: 'pending' to retry it later (the API said 429 or
-- could not be reached), 'failed' when the API refused it for good. The attempt
-- keeps counting against the channel's window: the API may have counted it too.
CREATE FUNCTION release_campaign_target(p_target_id uuid, p_status text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF p_status NOT IN ('pending', 'failed') THEN
    RAISE EXCEPTION 'a released target is pending or failed, not %', p_status USING ERRCODE = '22023';
  END IF;
  UPDATE campaign_targets SET status = p_status, sent_at = NULL WHERE id = p_target_id AND status = 'sent';
END
$$;

ALTER TABLE channel_sends ENABLE ROW LEVEL SECURITY;
GRANT ALL ON channel_sends TO service_role;
REVOKE EXECUTE ON FUNCTION issue_vouchers(uuid, integer, integer, text, interval),
                           claim_campaign_targets(uuid, integer, integer, interval),
                           release_campaign_target(uuid, text)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION issue_vouchers(uuid, integer, integer, text, interval),
                          claim_campaign_targets(uuid, integer, integer, interval),
                          release_campaign_target(uuid, text)
  TO service_role;
