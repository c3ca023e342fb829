-- The authorization server's fixed-window counters (0100) are gone: registration, token, sign-in
-- and client-metadata-document limits now count in rate_limit_hits (0200), the one limiter shared
-- by every instance. Counts in flight are only abuse counters, so they are dropped, not carried over.
DROP TABLE IF EXISTS auth_rate_limits;
