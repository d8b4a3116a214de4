-- critpath reference workload, part 4: Supabase-style access control.
-- A user sees only the data of the businesses they belong to; anon sees
-- nothing private; writes go through the SECURITY DEFINER functions.

SET LOCAL search_path = public, extensions;

ALTER TABLE businesses                ENABLE ROW LEVEL SECURITY;
ALTER TABLE profiles                  ENABLE ROW LEVEL SECURITY;
ALTER TABLE business_members          ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversations             ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversation_participants ENABLE ROW LEVEL SECURITY;
ALTER TABLE messages                  ENABLE ROW LEVEL SECURITY;
ALTER TABLE message_read_receipts     ENABLE ROW LEVEL SECURITY;
ALTER TABLE attachments               ENABLE ROW LEVEL SECURITY;
ALTER TABLE stations                  ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaigns                 ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaign_targets          ENABLE ROW LEVEL SECURITY;
ALTER TABLE vouchers                  ENABLE ROW LEVEL SECURITY;
ALTER TABLE redemptions               ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys          ENABLE ROW LEVEL SECURITY;

CREATE POLICY member_read ON businesses FOR SELECT TO authenticated
  USING (id = ANY ((SELECT user_business_ids())::uuid[]));
CREATE POLICY member_read ON profiles FOR SELECT TO authenticated
  USING (id = (SELECT auth.uid()) OR business_id = ANY ((SELECT user_business_ids())::uuid[]));
CREATE POLICY own_memberships ON business_members FOR SELECT TO authenticated
  USING (profile_id = (SELECT auth.uid()));
CREATE POLICY member_read ON conversations FOR SELECT TO authenticated
  USING (business_id = ANY ((SELECT user_business_ids())::uuid[]));
CREATE POLICY own_read_state ON conversation_participants FOR SELECT TO authenticated
  USING (profile_id = (SELECT auth.uid()));
CREATE POLICY member_read ON messages FOR SELECT TO authenticated
  USING (business_id = ANY ((SELECT user_business_ids())::uuid[]));
CREATE POLICY own_receipts ON message_read_receipts FOR SELECT TO authenticated
  USING (profile_id = (SELECT auth.uid()));
CREATE POLICY own_receipts_insert ON message_read_receipts FOR INSERT TO authenticated
  WITH CHECK (profile_id = (SELECT auth.uid()));
CREATE POLICY member_read ON attachments FOR SELECT TO authenticated
  USING (business_id = ANY ((SELECT user_business_ids())::uuid[]));
CREATE POLICY member_read ON stations FOR SELECT TO authenticated
  USING (business_id = ANY ((SELECT user_business_ids())::uuid[]));
CREATE POLICY member_read ON campaigns FOR SELECT TO authenticated
  USING (business_id = ANY ((SELECT user_business_ids())::uuid[]));
CREATE POLICY member_read ON campaign_targets FOR SELECT TO authenticated
  USING (campaign_id IN (SELECT id FROM campaigns));
CREATE POLICY member_read ON vouchers FOR SELECT TO authenticated
  USING (business_id = ANY ((SELECT user_business_ids())::uuid[]));
CREATE POLICY member_read ON redemptions FOR SELECT TO authenticated
  USING (voucher_id IN (SELECT id FROM vouchers));
-- idempotency_keys: no policy, so only SECURITY DEFINER functions and service_role reach it.

-- Grants name our objects one by one: on a shared or Supabase database the
-- public schema may hold other objects whose privileges are not ours to change.
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
GRANT SELECT ON businesses, profiles, business_members, conversations, conversation_participants,
                messages, message_read_receipts, attachments, stations, campaigns, campaign_targets,
                vouchers, redemptions, conversation_list
  TO authenticated;
GRANT INSERT ON message_read_receipts TO authenticated;
GRANT ALL ON businesses, profiles, business_members, conversations, conversation_participants,
             messages, message_read_receipts, attachments, stations, campaigns, campaign_targets,
             vouchers, redemptions, idempotency_keys
  TO service_role;

REVOKE EXECUTE ON FUNCTION user_business_ids(), send_message(uuid, text, text, uuid), mark_as_read(uuid),
                           search_messages(text, integer), redeem_voucher(text, uuid, text),
                           issue_vouchers(uuid, integer, integer, interval)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION user_business_ids(), send_message(uuid, text, text, uuid), mark_as_read(uuid),
                          search_messages(text, integer), redeem_voucher(text, uuid, text)
  TO authenticated, service_role;
GRANT EXECUTE ON FUNCTION issue_vouchers(uuid, integer, integer, interval) TO service_role;
