-- Quarantined records per hour of ingestion, by producer (the CloudEvents source in the payload, when it parsed) and rule.
SELECT date_trunc('hour', ingest_time) AS ingest_hour,
       coalesce(json_extract_scalar(try(from_utf8(raw_payload)), '$.source'), '(unparseable)') AS producer,
       r.rule AS rule,
       count(*) AS records
FROM quarantine
CROSS JOIN UNNEST(reasons) AS r(field_path, rule, message)
GROUP BY 1, 2, 3
ORDER BY 1, 4 DESC, 2, 3
