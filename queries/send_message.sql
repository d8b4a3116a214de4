-- name: send_message
-- about: a participant sends a text message (insert, conversation preview, unread counters, notify)
-- role: authenticated as :user_id
-- param: conversation_id, user_id = sample(
--     SELECT cp.conversation_id, cp.profile_id
--     FROM conversation_participants cp
--     ORDER BY cp.conversation_id, cp.profile_id LIMIT 20000) zipf 1.1
-- param: content = list('On my way', 'Can you send me the invoice?', 'Thanks, see you tomorrow!',
--     'Is the order ready for pickup?', 'Voucher applied, thank you')
-- param: client_id = uuid()
-- write: rollback
-- expect: uses index conversation_participants_pkey
-- target: p95 < 100ms (seed 002, Testing Checklist: send_message function < 100ms)
--
-- Every call runs in a transaction rolled back inside the measured time: nothing piles up.
SELECT message_id, created_at
FROM send_message(:conversation_id, :content, 'text', :client_id);
