-- A small dataset in the seeder's id scheme (dev.critpath.dataset.Ids) for the HTTP tests:
-- business 1 has users 1..6, conversations 1..8, station 1 and 300 vouchers CP-000001..;
-- business 2 has users 7..8 and conversations 9..10.
CREATE FUNCTION pg_temp.cid(code int, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS
$$ SELECT (lpad(to_hex(code), 8, '0') || '-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid $$;

INSERT INTO businesses (id, name) VALUES (pg_temp.cid(1, 1), 'Acme'), (pg_temp.cid(1, 2), 'Globex');

INSERT INTO profiles (id, business_id, username, full_name, email)
SELECT pg_temp.cid(0, n), pg_temp.cid(1, CASE WHEN n <= 6 THEN 1 ELSE 2 END),
       'user' || n, 'User ' || n, 'user' || n || '@example.test'
FROM generate_series(1, 8) n;

INSERT INTO business_members (business_id, profile_id, role)
SELECT pg_temp.cid(1, CASE WHEN n <= 6 THEN 1 ELSE 2 END), pg_temp.cid(0, n),
       CASE WHEN n IN (1, 7) THEN 'owner' ELSE 'agent' END
FROM generate_series(1, 8) n;

-- conversation c (1..8) joins users c and c mod 6 + 1 of business 1; 9 and 10 join users 7 and 8.
INSERT INTO conversations (id, business_id, channel, title, participants, last_message_at)
SELECT pg_temp.cid(2, c), pg_temp.cid(1, CASE WHEN c <= 8 THEN 1 ELSE 2 END),
       (ARRAY['whatsapp', 'sms', 'email', 'app'])[c % 4 + 1], 'Conversation ' || c,
       CASE WHEN c <= 8 THEN ARRAY[pg_temp.cid(0, (c - 1) % 6 + 1), pg_temp.cid(0, c % 6 + 1)]
            ELSE ARRAY[pg_temp.cid(0, 7), pg_temp.cid(0, 8)] END,
       now() - make_interval(mins => c)
FROM generate_series(1, 10) c;

INSERT INTO conversation_participants (conversation_id, profile_id)
SELECT c.id, p FROM conversations c, unnest(c.participants) p;

INSERT INTO messages (id, conversation_id, business_id, sender_id, channel, content, created_at)
SELECT pg_temp.cid(3, (c.n - 1) * 5 + m), c.id, c.business_id, c.participants[m % 2 + 1], c.channel,
       (ARRAY['hello there, how is the delivery going',
              'the delivery arrives tomorrow morning',
              'great, thanks for the update on the delivery',
              'voucher received, redeeming it at the station',
              'please confirm the station opening hours'])[m],
       now() - make_interval(mins => (c.n * 10 + (5 - m))::int)
FROM (SELECT id, business_id, channel, participants, row_number() OVER (ORDER BY id) AS n FROM conversations) c,
     generate_series(1, 5) m;

INSERT INTO stations (id, business_id, name, city)
VALUES (pg_temp.cid(5, 1), pg_temp.cid(1, 1), 'Main street', 'Berlin'),
       (pg_temp.cid(5, 2), pg_temp.cid(1, 2), 'Harbour', 'Hamburg');

INSERT INTO campaigns (id, business_id, name, status)
VALUES (pg_temp.cid(4, 1), pg_temp.cid(1, 1), 'Spring', 'active');

INSERT INTO vouchers (id, campaign_id, business_id, code, amount_cents, expires_at)
SELECT pg_temp.cid(6, n), pg_temp.cid(4, 1), pg_temp.cid(1, 1), 'CP-' || lpad(n::text, 6, '0'), 500,
       now() + interval '30 days'
FROM generate_series(1, 300) n;
