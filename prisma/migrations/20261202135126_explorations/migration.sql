-- CreateTable
CREATE TABLE "Exploration" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "prompt" TEXT NOT NULL,
    "shownAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Exploration_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Exploration_sessionId_shownAt_idx" ON "Exploration"("sessionId", "shownAt");

-- AddForeignKey
ALTER TABLE "Exploration" ADD CONSTRAINT "Exploration_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;
