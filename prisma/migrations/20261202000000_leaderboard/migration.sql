-- The host can show a leaderboard (lowest total surprise) and a podium at the end; off by default.
ALTER TABLE "Room" ADD COLUMN "leaderboard" BOOLEAN NOT NULL DEFAULT false;
