-- Quarantined records per hour of ingestion, by producer (the CloudEvents source in the payload) and rule.
-- MALFORMED_JSON rows have no trustworthy source: Trino's json_extract_scalar still finds one in some broken
-- payloads while Spark's get_json_object gives up, so both label them '(unparseable)'.
SELECT date_trunc('hour', ingest_time) AS ingest_hour,
       CASE WHEN r.rule = 'MALFORMED_JSON' THEN '(unparseable)'
            ELSE coalesce(json_extract_scalar(try(from_utf8(raw_payload)), '$.source'), '(no source)') END AS producer,
       r.rule AS rule,
       count(*) AS records
FROM quarantine
CROSS JOIN UNNEST(reasons) AS r(field_path, rule, message)
GROUP BY 1, 2, 3
ORDER BY 1, 4 DESC, 2, 3
