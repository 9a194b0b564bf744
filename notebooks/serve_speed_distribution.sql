-- Serve speed distribution in 10 km/h buckets.
SELECT CAST(floor(speed_kmh / 10) * 10 AS INTEGER) AS speed_bucket_kmh, count(*) AS serves
FROM tennis_serves
GROUP BY 1
ORDER BY 1
