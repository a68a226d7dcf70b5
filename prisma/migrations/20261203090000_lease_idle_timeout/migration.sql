-- A room's write transaction holds its lease row FOR SHARE. If its process freezes inside it (SIGSTOP,
-- a VM paused, a long GC pause), a takeover would wait on that lock for as long as the process stays
-- frozen. The transaction now ends itself after 10 s idle: PostgreSQL closes that session, the lock is
-- released and the room can be taken over (the frozen process's write is lost with its lease anyway).
CREATE OR REPLACE FUNCTION token_hat_assert_lease(p_code TEXT, p_owner TEXT, p_fence INTEGER) RETURNS VOID AS $$
DECLARE
    l RECORD;
BEGIN
    PERFORM set_config('idle_in_transaction_session_timeout', '10000', true);
    SELECT "owner", "fence", "expiresAt" INTO l FROM "RoomLease" WHERE "code" = p_code FOR SHARE;
    IF NOT FOUND OR l."owner" <> p_owner OR l."fence" <> p_fence OR l."expiresAt" < now() THEN
        RAISE EXCEPTION 'room % lease % is not held by this process', p_code, p_fence USING ERRCODE = 'P0001', HINT = 'token-hat:lease-lost';
    END IF;
END;
$$ LANGUAGE plpgsql;
