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

-- Takes up to p_count units for p_key, as many as fit under p_limit in the window ending now,
-- and returns how many it granted. Exact under concurrency across instances: takers of one key
-- queue on a transaction-scoped advisory lock, and each statement in a plpgsql function reads a
-- fresh snapshot, so every taker sees the commits of the ones before it. One round trip; an
-- instance batches its concurrent requests for one key into one call.
CREATE OR REPLACE FUNCTION rate_limit_take(p_key text, p_limit integer, p_count integer, p_now_ms bigint, p_window_ms bigint, p_bucket_ms bigint)
RETURNS TABLE (granted integer, used_before integer, oldest_bucket bigint)
LANGUAGE plpgsql AS $$
DECLARE
  cur bigint := p_now_ms - (p_now_ms % p_bucket_ms);
  horizon bigint := p_now_ms - p_window_ms; -- buckets starting at or before this have left the window
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('rate:' || p_key));
  DELETE FROM rate_limit_hits WHERE key = p_key AND bucket_start <= horizon;
  SELECT coalesce(sum(h.hits), 0)::integer, min(h.bucket_start) INTO used_before, oldest_bucket
    FROM rate_limit_hits h WHERE h.key = p_key;
  granted := greatest(0, least(p_count, p_limit - used_before));
  IF granted > 0 THEN
    INSERT INTO rate_limit_hits AS r (key, bucket_start, hits) VALUES (p_key, cur, granted)
      ON CONFLICT (key, bucket_start) DO UPDATE SET hits = r.hits + granted;
    oldest_bucket := coalesce(oldest_bucket, cur);
  END IF;
  RETURN NEXT;
END
$$;
