-- Freshness per silver table: newest event and newest ingestion (compare with now() for the lag).
SELECT 'tennis_serves' AS table_name, count(*) AS row_count, max(event_time) AS newest_event, max(ingest_time) AS newest_ingest FROM tennis_serves
UNION ALL
SELECT 'tennis_points', count(*), max(event_time), max(ingest_time) FROM tennis_points
UNION ALL
SELECT 'tennis_match_status', count(*), max(event_time), max(ingest_time) FROM tennis_match_status
ORDER BY table_name
