using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aloe.Core.Data.Migrations;

/// <summary>Benchmark runs, their cases, turns, scorings and scores (copied from the model's create script).</summary>
[DbContext(typeof(AloeDbContext))]
[Migration("20261122_0300_Benchmark")]
public sealed class M0300_Benchmark : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "BenchmarkRuns" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_BenchmarkRuns" PRIMARY KEY AUTOINCREMENT,
                "Name" TEXT NOT NULL,
                "EvaluatedModel" TEXT NOT NULL,
                "EvaluatedEndpoint" TEXT NOT NULL,
                "RolesJson" TEXT NOT NULL,
                "PromptHashesJson" TEXT NOT NULL,
                "JudgeMode" TEXT NOT NULL,
                "Turns" INTEGER NOT NULL,
                "Seed" INTEGER NOT NULL,
                "CaseSet" TEXT NOT NULL,
                "CaseCount" INTEGER NOT NULL,
                "Concurrency" INTEGER NOT NULL,
                "Simulated" INTEGER NOT NULL,
                "JobRunId" INTEGER NULL,
                "CreatedAt" INTEGER NOT NULL
            );
            CREATE TABLE "BenchmarkCases" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_BenchmarkCases" PRIMARY KEY AUTOINCREMENT,
                "RunId" INTEGER NOT NULL,
                "Index" INTEGER NOT NULL,
                "CaseKey" TEXT NOT NULL,
                "Profile" TEXT NOT NULL,
                "Personality" TEXT NOT NULL,
                "Status" TEXT NOT NULL,
                "Error" TEXT NULL,
                CONSTRAINT "FK_BenchmarkCases_BenchmarkRuns_RunId" FOREIGN KEY ("RunId") REFERENCES "BenchmarkRuns" ("Id") ON DELETE CASCADE
            );
            CREATE TABLE "BenchmarkScorings" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_BenchmarkScorings" PRIMARY KEY AUTOINCREMENT,
                "RunId" INTEGER NOT NULL,
                "JudgeMode" TEXT NOT NULL,
                "JudgeModel" TEXT NOT NULL,
                "JudgeJson" TEXT NOT NULL,
                "PromptHash" TEXT NOT NULL,
                "JobRunId" INTEGER NULL,
                "CreatedAt" INTEGER NOT NULL,
                CONSTRAINT "FK_BenchmarkScorings_BenchmarkRuns_RunId" FOREIGN KEY ("RunId") REFERENCES "BenchmarkRuns" ("Id") ON DELETE CASCADE
            );
            CREATE TABLE "BenchmarkTurns" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_BenchmarkTurns" PRIMARY KEY AUTOINCREMENT,
                "CaseId" INTEGER NOT NULL,
                "Turn" INTEGER NOT NULL,
                "UserMessage" TEXT NOT NULL,
                "Response" TEXT NOT NULL,
                "CreatedAt" INTEGER NOT NULL,
                CONSTRAINT "FK_BenchmarkTurns_BenchmarkCases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "BenchmarkCases" ("Id") ON DELETE CASCADE
            );
            CREATE TABLE "BenchmarkScores" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_BenchmarkScores" PRIMARY KEY AUTOINCREMENT,
                "ScoringId" INTEGER NOT NULL,
                "TurnId" INTEGER NOT NULL,
                "Score" INTEGER NULL,
                "Status" TEXT NOT NULL,
                "RawOutput" TEXT NOT NULL,
                "Attempts" INTEGER NOT NULL,
                "Error" TEXT NULL,
                CONSTRAINT "FK_BenchmarkScores_BenchmarkScorings_ScoringId" FOREIGN KEY ("ScoringId") REFERENCES "BenchmarkScorings" ("Id") ON DELETE CASCADE,
                CONSTRAINT "FK_BenchmarkScores_BenchmarkTurns_TurnId" FOREIGN KEY ("TurnId") REFERENCES "BenchmarkTurns" ("Id") ON DELETE CASCADE
            );
            CREATE UNIQUE INDEX "IX_BenchmarkCases_RunId_CaseKey" ON "BenchmarkCases" ("RunId", "CaseKey");
            CREATE INDEX "IX_BenchmarkRuns_CreatedAt" ON "BenchmarkRuns" ("CreatedAt");
            CREATE UNIQUE INDEX "IX_BenchmarkScores_ScoringId_TurnId" ON "BenchmarkScores" ("ScoringId", "TurnId");
            CREATE INDEX "IX_BenchmarkScores_TurnId" ON "BenchmarkScores" ("TurnId");
            CREATE INDEX "IX_BenchmarkScorings_RunId" ON "BenchmarkScorings" ("RunId");
            CREATE UNIQUE INDEX "IX_BenchmarkTurns_CaseId_Turn" ON "BenchmarkTurns" ("CaseId", "Turn");
            """);
    }
}
