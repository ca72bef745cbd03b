-- The "before" figures of README "Usage analytics at volume": run against a database migrated at
-- commit 35d80d1 (unpartitioned key_request_log, charts and counts computed from raw rows):
--   createdb … && DATABASE_URL=… npm run db:migrate && psql … -f scripts/bench/usage-before.sql | grep -E '^(key|log|Time)'
-- It seeds one key with 5,000,000 rows over 29 days (and 24 quieter keys), then times each
-- query the key page and the keys table ran (psql \timing: server time, no client round trip).
\timing off
insert into key_request_log (key_id, organization_id, at, code, ip, method, path)
select 'key_hot', 'org_bench', now() - (i * interval '29 days' / 5000000),
  case when i % 50 = 0 then 'RATE_LIMITED' when i % 97 = 0 then 'INSUFFICIENT_PERMISSIONS' else 'VALID' end,
  '203.0.113.' || (i % 200), 'GET', '/v1/customers/' || (i % 1000)
from generate_series(1, 5000000) i;
insert into key_request_log (key_id, organization_id, at, code, ip, method, path)
select 'key_other_' || (i % 24), 'org_bench', now() - (i * interval '29 days' / 200000), 'VALID', null, null, null from generate_series(1, 200000) i;
vacuum analyze key_request_log;
\timing on
\echo key page 24h
select to_char(date_trunc('hour', at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"') h, code, count(*) from key_request_log where key_id='key_hot' and at >= now() - interval '24 hours' group by 1,2 order by 1;
select to_char(date_trunc('hour', at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"') h, code, count(*) from key_request_log where key_id='key_hot' and at >= now() - interval '24 hours' group by 1,2 order by 1;
select to_char(date_trunc('hour', at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"') h, code, count(*) from key_request_log where key_id='key_hot' and at >= now() - interval '24 hours' group by 1,2 order by 1;
\echo key page 7d
select to_char(date_trunc('hour', at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"') h, code, count(*) from key_request_log where key_id='key_hot' and at >= now() - interval '7 days' group by 1,2 order by 1;
select to_char(date_trunc('hour', at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"') h, code, count(*) from key_request_log where key_id='key_hot' and at >= now() - interval '7 days' group by 1,2 order by 1;
select to_char(date_trunc('hour', at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"') h, code, count(*) from key_request_log where key_id='key_hot' and at >= now() - interval '7 days' group by 1,2 order by 1;
\echo key page 30d
select to_char(date_trunc('hour', at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"') h, code, count(*) from key_request_log where key_id='key_hot' and at >= now() - interval '30 days' group by 1,2 order by 1;
select to_char(date_trunc('hour', at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"') h, code, count(*) from key_request_log where key_id='key_hot' and at >= now() - interval '30 days' group by 1,2 order by 1;
select to_char(date_trunc('hour', at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"') h, code, count(*) from key_request_log where key_id='key_hot' and at >= now() - interval '30 days' group by 1,2 order by 1;
\echo keys table 24h column (25 keys)
select key_id, count(*) from key_request_log where at >= now() - interval '24 hours' and key_id in ('key_hot','key_other_0','key_other_1','key_other_2','key_other_3','key_other_4','key_other_5','key_other_6','key_other_7','key_other_8','key_other_9','key_other_10','key_other_11','key_other_12','key_other_13','key_other_14','key_other_15','key_other_16','key_other_17','key_other_18','key_other_19','key_other_20','key_other_21','key_other_22','key_other_23') group by key_id;
select key_id, count(*) from key_request_log where at >= now() - interval '24 hours' and key_id in ('key_hot','key_other_0','key_other_1','key_other_2','key_other_3','key_other_4','key_other_5','key_other_6','key_other_7','key_other_8','key_other_9','key_other_10','key_other_11','key_other_12','key_other_13','key_other_14','key_other_15','key_other_16','key_other_17','key_other_18','key_other_19','key_other_20','key_other_21','key_other_22','key_other_23') group by key_id;
select key_id, count(*) from key_request_log where at >= now() - interval '24 hours' and key_id in ('key_hot','key_other_0','key_other_1','key_other_2','key_other_3','key_other_4','key_other_5','key_other_6','key_other_7','key_other_8','key_other_9','key_other_10','key_other_11','key_other_12','key_other_13','key_other_14','key_other_15','key_other_16','key_other_17','key_other_18','key_other_19','key_other_20','key_other_21','key_other_22','key_other_23') group by key_id;
\echo log count 24h
select count(*) from key_request_log where key_id='key_hot' and at >= now() - interval '24 hours';
select count(*) from key_request_log where key_id='key_hot' and at >= now() - interval '24 hours';
\echo log count 7d
select count(*) from key_request_log where key_id='key_hot' and at >= now() - interval '7 days';
select count(*) from key_request_log where key_id='key_hot' and at >= now() - interval '7 days';
\echo log count 30d
select count(*) from key_request_log where key_id='key_hot' and at >= now() - interval '30 days';
select count(*) from key_request_log where key_id='key_hot' and at >= now() - interval '30 days';
\echo log page 1 30d
select * from key_request_log where key_id='key_hot' and at >= now() - interval '30 days' order by at desc, id desc limit 25;
