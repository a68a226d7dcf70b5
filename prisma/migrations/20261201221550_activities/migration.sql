-- Activities become peers of a session: the session's own status and the activity on the screen
-- become columns, the texts written by guess rounds move to their own table, slides and lesson
-- plans get theirs. Existing sessions keep all their data.

-- AlterTable: the new session columns
ALTER TABLE "Room" ADD COLUMN     "capacity" INTEGER NOT NULL DEFAULT 1000,
ADD COLUMN     "currentId" TEXT,
ADD COLUMN     "currentKind" TEXT,
ADD COLUMN     "plan" JSONB,
ADD COLUMN     "planStep" INTEGER,
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'open';

-- The old "phase" mixed the session with its round: only "ended" belongs to the session.
UPDATE "Room" SET "status" = CASE WHEN "phase" = 'ended' THEN 'ended' ELSE 'open' END;

-- The activity on the screen of an existing session: its most recent round or hat game.
UPDATE "Room" AS r SET "currentKind" = latest.kind, "currentId" = latest.id
FROM (
  SELECT DISTINCT ON ("roomId") "roomId", kind, id
  FROM (
    SELECT "roomId", 'guess' AS kind, "id", "startedAt" FROM "Round"
    UNION ALL
    SELECT "roomId", 'hat' AS kind, "id", "startedAt" FROM "HatGame"
  ) AS activities
  ORDER BY "roomId", "startedAt" DESC
) AS latest
WHERE latest."roomId" = r."id";

-- CreateTable
CREATE TABLE "GuessText" (
    "sessionId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "prompt" TEXT NOT NULL,
    "promptIds" JSONB NOT NULL,
    "appended" JSONB NOT NULL,

    CONSTRAINT "GuessText_pkey" PRIMARY KEY ("sessionId","position")
);

-- The texts, one row each, in the order they were written.
INSERT INTO "GuessText" ("sessionId", "position", "prompt", "promptIds", "appended")
SELECT r."id", (t.ord - 1)::integer, t.value->>'prompt', t.value->'promptIds', t.value->'appended'
FROM "Room" AS r, jsonb_array_elements(r."threads") WITH ORDINALITY AS t(value, ord);

-- AlterTable: now that their data has moved
ALTER TABLE "Room" DROP COLUMN "phase",
DROP COLUMN "threads";

-- CreateTable
CREATE TABLE "Slide" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "shownAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Slide_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LessonPlan" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LessonPlan_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Slide_sessionId_shownAt_idx" ON "Slide"("sessionId", "shownAt");

-- CreateIndex
CREATE INDEX "LessonPlan_ownerId_idx" ON "LessonPlan"("ownerId");

-- AddForeignKey
ALTER TABLE "GuessText" ADD CONSTRAINT "GuessText_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Slide" ADD CONSTRAINT "Slide_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;
