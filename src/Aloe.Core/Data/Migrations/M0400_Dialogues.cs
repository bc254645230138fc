using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aloe.Core.Data.Migrations;

/// <summary>Preference dialogues: runs, dialogues and their turn trees (copied from the model's own script).</summary>
[DbContext(typeof(AloeDbContext))]
[Migration("20261122_0400_Dialogues")]
public sealed class M0400_Dialogues : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "DialogueRuns" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_DialogueRuns" PRIMARY KEY AUTOINCREMENT,
                "JobRunId" INTEGER NULL,
                "Title" TEXT NOT NULL,
                "PersonaPool" TEXT NOT NULL,
                "Seed" INTEGER NOT NULL,
                "MaxTurns" INTEGER NOT NULL,
                "Verify" INTEGER NOT NULL,
                "RolesJson" TEXT NOT NULL,
                "PromptHashesJson" TEXT NOT NULL,
                "Simulated" INTEGER NOT NULL,
                "CreatedAt" INTEGER NOT NULL
            );
            CREATE TABLE "Dialogues" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_Dialogues" PRIMARY KEY AUTOINCREMENT,
                "RunId" INTEGER NOT NULL,
                "PersonaKey" TEXT NOT NULL,
                "Profile" TEXT NOT NULL,
                "Personality" TEXT NOT NULL,
                "Status" TEXT NOT NULL,
                "Error" TEXT NULL,
                "Turns" INTEGER NOT NULL,
                "CreatedAt" INTEGER NOT NULL,
                "UpdatedAt" INTEGER NULL,
                CONSTRAINT "FK_Dialogues_DialogueRuns_RunId" FOREIGN KEY ("RunId") REFERENCES "DialogueRuns" ("Id") ON DELETE CASCADE
            );
            CREATE TABLE "DialogueTurns" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_DialogueTurns" PRIMARY KEY AUTOINCREMENT,
                "DialogueId" INTEGER NOT NULL,
                "ParentId" INTEGER NULL,
                "ParentBranch" TEXT NULL,
                "Index" INTEGER NOT NULL,
                "UserMessage" TEXT NOT NULL,
                "Preferred" TEXT NOT NULL,
                "Rejected" TEXT NOT NULL,
                "InferredProfile" TEXT NULL,
                "InferredPersonality" TEXT NULL,
                "Verified" INTEGER NOT NULL,
                "Swapped" INTEGER NOT NULL,
                "Chosen" TEXT NOT NULL,
                "InputTokens" INTEGER NOT NULL,
                "OutputTokens" INTEGER NOT NULL,
                "CreatedAt" INTEGER NOT NULL,
                CONSTRAINT "FK_DialogueTurns_DialogueTurns_ParentId" FOREIGN KEY ("ParentId") REFERENCES "DialogueTurns" ("Id") ON DELETE CASCADE,
                CONSTRAINT "FK_DialogueTurns_Dialogues_DialogueId" FOREIGN KEY ("DialogueId") REFERENCES "Dialogues" ("Id") ON DELETE CASCADE
            );
            CREATE INDEX "IX_DialogueRuns_JobRunId" ON "DialogueRuns" ("JobRunId");
            CREATE UNIQUE INDEX "IX_DialogueTurns_DialogueId_ParentId_ParentBranch" ON "DialogueTurns" ("DialogueId", "ParentId", "ParentBranch");
            CREATE INDEX "IX_DialogueTurns_ParentId" ON "DialogueTurns" ("ParentId");
            CREATE INDEX "IX_Dialogues_PersonaKey" ON "Dialogues" ("PersonaKey");
            CREATE INDEX "IX_Dialogues_RunId_Status" ON "Dialogues" ("RunId", "Status");
            """);
    }
}
