-- CreateTable
CREATE TABLE "CalibrationGame" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "setId" TEXT,
    "questions" JSONB NOT NULL,
    "modelId" TEXT NOT NULL,
    "modelSha256" TEXT NOT NULL,
    "threshold" DOUBLE PRECISION,
    "status" TEXT NOT NULL,
    "questionIndex" INTEGER NOT NULL,
    "modelAnswers" JSONB,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "revealedAt" TIMESTAMP(3),

    CONSTRAINT "CalibrationGame_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalibrationAnswer" (
    "gameId" TEXT NOT NULL,
    "participantId" TEXT NOT NULL,
    "question" INTEGER NOT NULL,
    "answer" TEXT NOT NULL,
    "confidence" INTEGER,
    "correct" BOOLEAN NOT NULL,
    "answeredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CalibrationAnswer_pkey" PRIMARY KEY ("gameId","participantId","question")
);

-- CreateIndex
CREATE INDEX "CalibrationGame_sessionId_startedAt_idx" ON "CalibrationGame"("sessionId", "startedAt");

-- AddForeignKey
ALTER TABLE "CalibrationGame" ADD CONSTRAINT "CalibrationGame_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalibrationAnswer" ADD CONSTRAINT "CalibrationAnswer_gameId_fkey" FOREIGN KEY ("gameId") REFERENCES "CalibrationGame"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalibrationAnswer" ADD CONSTRAINT "CalibrationAnswer_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "RoomParticipant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
