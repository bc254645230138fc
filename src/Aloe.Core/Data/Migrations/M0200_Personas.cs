using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aloe.Core.Data.Migrations;

/// <summary>Persona pools: items with their stored embeddings, generation runs/rounds/candidates, personas.</summary>
[DbContext(typeof(AloeDbContext))]
[Migration("20261122_0200_Personas")]
public sealed class M0200_Personas : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "GenerationRuns" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_GenerationRuns" PRIMARY KEY,
                "Kind" TEXT NOT NULL,
                "Split" TEXT NOT NULL,
                "Threshold" REAL NOT NULL,
                "Seed" INTEGER NOT NULL,
                "MaxRounds" INTEGER NOT NULL,
                "Patience" INTEGER NOT NULL,
                "MinAddedPerRound" INTEGER NOT NULL,
                "TargetSize" INTEGER NULL,
                "CallsPerRound" INTEGER NOT NULL,
                "EmbedderId" TEXT NOT NULL,
                "PromptHash" TEXT NOT NULL,
                "RoleMapJson" TEXT NOT NULL,
                "Simulated" INTEGER NOT NULL,
                "InitialPoolSize" INTEGER NOT NULL,
                "StopReason" TEXT NULL,
                "CreatedAt" INTEGER NOT NULL
            );
            CREATE TABLE "PoolItems" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_PoolItems" PRIMARY KEY AUTOINCREMENT,
                "Kind" TEXT NOT NULL,
                "Text" TEXT NOT NULL,
                "Source" TEXT NOT NULL,
                "Split" TEXT NOT NULL,
                "GenerationRunId" INTEGER NULL,
                "Embedding" BLOB NULL,
                "EmbedderId" TEXT NULL,
                "NearestId" INTEGER NULL,
                "NearestSimilarity" REAL NULL,
                "CreatedAt" INTEGER NOT NULL
            );
            CREATE TABLE "GenerationCandidates" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_GenerationCandidates" PRIMARY KEY AUTOINCREMENT,
                "RunId" INTEGER NOT NULL,
                "Round" INTEGER NOT NULL,
                "Call" INTEGER NOT NULL,
                "Text" TEXT NOT NULL,
                "Verdict" TEXT NOT NULL,
                "Similarity" REAL NOT NULL,
                "NearestItemId" INTEGER NULL,
                "PoolItemId" INTEGER NULL,
                CONSTRAINT "FK_GenerationCandidates_GenerationRuns_RunId" FOREIGN KEY ("RunId") REFERENCES "GenerationRuns" ("Id") ON DELETE CASCADE
            );
            CREATE TABLE "GenerationRounds" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_GenerationRounds" PRIMARY KEY AUTOINCREMENT,
                "RunId" INTEGER NOT NULL,
                "Round" INTEGER NOT NULL,
                "Generated" INTEGER NOT NULL,
                "Accepted" INTEGER NOT NULL,
                "PoolSize" INTEGER NOT NULL,
                "FailedCalls" INTEGER NOT NULL,
                "Error" TEXT NULL,
                CONSTRAINT "FK_GenerationRounds_GenerationRuns_RunId" FOREIGN KEY ("RunId") REFERENCES "GenerationRuns" ("Id") ON DELETE CASCADE
            );
            CREATE TABLE "Personas" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_Personas" PRIMARY KEY AUTOINCREMENT,
                "ProfileId" INTEGER NOT NULL,
                "PersonalityId" INTEGER NOT NULL,
                "Split" TEXT NOT NULL,
                "PairingSeed" INTEGER NULL,
                "CreatedAt" INTEGER NOT NULL,
                CONSTRAINT "FK_Personas_PoolItems_PersonalityId" FOREIGN KEY ("PersonalityId") REFERENCES "PoolItems" ("Id") ON DELETE RESTRICT,
                CONSTRAINT "FK_Personas_PoolItems_ProfileId" FOREIGN KEY ("ProfileId") REFERENCES "PoolItems" ("Id") ON DELETE RESTRICT
            );
            CREATE INDEX "IX_GenerationCandidates_RunId_Round" ON "GenerationCandidates" ("RunId", "Round");
            CREATE UNIQUE INDEX "IX_GenerationRounds_RunId_Round" ON "GenerationRounds" ("RunId", "Round");
            CREATE INDEX "IX_Personas_PersonalityId" ON "Personas" ("PersonalityId");
            CREATE UNIQUE INDEX "IX_Personas_ProfileId_PersonalityId" ON "Personas" ("ProfileId", "PersonalityId");
            CREATE INDEX "IX_PoolItems_Kind_Split" ON "PoolItems" ("Kind", "Split");
            """);
    }
}
