-- The accounting identity per hour from the audit table: records read = silver rows + duplicates + quarantined.
SELECT date_trunc('hour', started_at) AS batch_hour,
       count(*) AS batches,
       sum(records_read) AS records_read,
       sum(silver_rows) AS silver_rows,
       sum(duplicates) AS duplicates,
       sum(quarantined) AS quarantined,
       sum(records_read) - sum(silver_rows) - sum(duplicates) - sum(quarantined) AS unaccounted
FROM ingest_audit
GROUP BY 1
ORDER BY 1
