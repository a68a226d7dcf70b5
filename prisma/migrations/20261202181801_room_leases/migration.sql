-- CreateTable
CREATE TABLE "RoomLease" (
    "code" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "fence" INTEGER NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RoomLease_pkey" PRIMARY KEY ("code")
);

-- AddForeignKey
ALTER TABLE "RoomLease" ADD CONSTRAINT "RoomLease_code_fkey" FOREIGN KEY ("code") REFERENCES "Room"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- Fencing: a room's writes run in one transaction that first calls this function with the lease the
-- writer believes it holds. It raises (and so rolls the whole transaction back) unless that lease is
-- still current. FOR SHARE makes a takeover wait for writes already under way, so the new owner
-- loads the room after them.
CREATE FUNCTION token_hat_assert_lease(p_code TEXT, p_owner TEXT, p_fence INTEGER) RETURNS VOID AS $$
DECLARE
    l RECORD;
BEGIN
    SELECT "owner", "fence", "expiresAt" INTO l FROM "RoomLease" WHERE "code" = p_code FOR SHARE;
    IF NOT FOUND OR l."owner" <> p_owner OR l."fence" <> p_fence OR l."expiresAt" < now() THEN
        RAISE EXCEPTION 'room % lease % is not held by this process', p_code, p_fence USING ERRCODE = 'P0001', HINT = 'token-hat:lease-lost';
    END IF;
END;
$$ LANGUAGE plpgsql;
