-- Rolling-window rate limits shared by every instance (resource server). One row per key and
-- sub-window; a key's usage is the sum of its live sub-windows.
-- UNLOGGED: counters are worthless after a database crash, and skipping the WAL keeps each
-- request's commit off the disk (the row lock below is held until commit).
CREATE UNLOGGED TABLE IF NOT EXISTS rate_limit_hits (
  key          text   NOT NULL,
  bucket_start bigint NOT NULL, -- ms since epoch, a multiple of the limiter's bucket size
  hits         integer NOT NULL,
  PRIMARY KEY (key, bucket_start)
);

-- Takes one unit for p_key if fewer than p_limit were taken in the window ending now.
-- Exact under concurrency across instances: takers of one key queue on a transaction-scoped
-- advisory lock, and each statement in a plpgsql function reads a fresh snapshot, so every
-- taker sees the commits of the ones before it. One round trip per request.
CREATE OR REPLACE FUNCTION rate_limit_take(p_key text, p_limit integer, p_now_ms bigint, p_window_ms bigint, p_bucket_ms bigint)
RETURNS TABLE (allowed boolean, used integer, oldest_bucket bigint)
LANGUAGE plpgsql AS $$
DECLARE
  cur bigint := p_now_ms - (p_now_ms % p_bucket_ms);
  horizon bigint := p_now_ms - p_window_ms; -- buckets starting at or before this have left the window
  total integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('rate:' || p_key));
  DELETE FROM rate_limit_hits WHERE key = p_key AND bucket_start <= horizon;
  SELECT coalesce(sum(h.hits), 0)::integer, min(h.bucket_start) INTO total, oldest_bucket
    FROM rate_limit_hits h WHERE h.key = p_key;
  IF total < p_limit THEN
    INSERT INTO rate_limit_hits AS r (key, bucket_start, hits) VALUES (p_key, cur, 1)
      ON CONFLICT (key, bucket_start) DO UPDATE SET hits = r.hits + 1;
    allowed := true;
    used := total + 1;
    oldest_bucket := coalesce(oldest_bucket, cur);
  ELSE
    allowed := false;
    used := total;
  END IF;
  RETURN NEXT;
END
$$;
