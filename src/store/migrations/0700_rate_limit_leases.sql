-- Leases on the rolling-window limits (src/limits/rate-limit.ts): an instance takes the units its
-- waiting requests need plus a few spare units it admits locally later, without a round trip.
-- Spare units are counted like taken ones, so the sum over every instance never passes the limit;
-- unused ones are handed back to the sub-window they were counted in (a plain UPDATE).
--
-- Spare units are leased only far from the limit: at most an eighth of what remains after the
-- needed units, so a person near their limit is decided call by call, exactly, as before.
CREATE OR REPLACE FUNCTION rate_limit_lease(p_key text, p_limit integer, p_need integer, p_spare integer, p_now_ms bigint, p_window_ms bigint, p_bucket_ms bigint)
RETURNS TABLE (granted integer, spare integer, used_after integer, oldest_bucket bigint)
LANGUAGE plpgsql AS $$
DECLARE
  cur bigint := p_now_ms - (p_now_ms % p_bucket_ms);
  horizon bigint := p_now_ms - p_window_ms;
  used_before integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('rate:' || p_key));
  DELETE FROM rate_limit_hits WHERE key = p_key AND bucket_start <= horizon;
  SELECT coalesce(sum(h.hits), 0)::integer, min(h.bucket_start) INTO used_before, oldest_bucket
    FROM rate_limit_hits h WHERE h.key = p_key;
  granted := greatest(0, least(p_need, p_limit - used_before));
  spare := CASE WHEN granted < p_need THEN 0
    ELSE greatest(0, least(p_spare, (p_limit - used_before - granted) / 8)) END;
  used_after := used_before + granted + spare;
  IF granted + spare > 0 THEN
    INSERT INTO rate_limit_hits AS r (key, bucket_start, hits) VALUES (p_key, cur, granted + spare)
      ON CONFLICT (key, bucket_start) DO UPDATE SET hits = r.hits + granted + spare;
    oldest_bucket := coalesce(oldest_bucket, cur);
  END IF;
  RETURN NEXT;
END
$$;
