-- How far behind each silver table is right now (Athena only: the answer depends on when it runs).
SELECT 'tennis_serves' AS table_name, now() - max(ingest_time) AS since_last_ingest, max(ingest_time) - max(event_time) AS ingest_lag FROM tennis_serves
UNION ALL
SELECT 'tennis_points', now() - max(ingest_time), max(ingest_time) - max(event_time) FROM tennis_points
UNION ALL
SELECT 'tennis_match_status', now() - max(ingest_time), max(ingest_time) - max(event_time) FROM tennis_match_status
