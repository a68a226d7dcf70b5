-- CreateTable
CREATE TABLE "HatGame" (
    "id" TEXT NOT NULL,
    "roomId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "template" JSONB NOT NULL,
    "segmentIds" JSONB NOT NULL,
    "modelId" TEXT NOT NULL,
    "modelSha256" TEXT NOT NULL,
    "dial" JSONB NOT NULL,
    "openBlank" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "entropy" JSONB,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "HatGame_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HatDraw" (
    "id" SERIAL NOT NULL,
    "gameId" TEXT NOT NULL,
    "participantId" TEXT NOT NULL,
    "blank" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "tokens" JSONB NOT NULL,
    "seed" INTEGER NOT NULL,
    "dial" JSONB NOT NULL,
    "stop" TEXT NOT NULL,
    "hat" JSONB NOT NULL,
    "log2Prob" DOUBLE PRECISION NOT NULL,
    "drawnAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HatDraw_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HatGame_roomId_startedAt_idx" ON "HatGame"("roomId", "startedAt");

-- CreateIndex
CREATE INDEX "HatDraw_gameId_id_idx" ON "HatDraw"("gameId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "HatDraw_gameId_participantId_blank_key" ON "HatDraw"("gameId", "participantId", "blank");

-- AddForeignKey
ALTER TABLE "HatGame" ADD CONSTRAINT "HatGame_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HatDraw" ADD CONSTRAINT "HatDraw_gameId_fkey" FOREIGN KEY ("gameId") REFERENCES "HatGame"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HatDraw" ADD CONSTRAINT "HatDraw_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "RoomParticipant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
