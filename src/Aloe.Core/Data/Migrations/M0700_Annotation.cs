using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aloe.Core.Data.Migrations;

/// <summary>Human annotation: campaigns, their items, annotators, assignments (each annotator's order) and ratings (copied from the model's create script).</summary>
[DbContext(typeof(AloeDbContext))]
[Migration("20261202_0700_Annotation")]
public sealed class M0700_Annotation : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "AnnotationCampaigns" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_AnnotationCampaigns" PRIMARY KEY AUTOINCREMENT,
                "Name" TEXT NOT NULL,
                "Task" TEXT NOT NULL,
                "Source" TEXT NOT NULL,
                "BenchmarkRunId" INTEGER NULL,
                "ScoringId" INTEGER NULL,
                "DialogueRunId" INTEGER NULL,
                "ScaleMin" INTEGER NOT NULL,
                "ScaleMax" INTEGER NOT NULL,
                "Annotators" INTEGER NOT NULL,
                "AnnotatorsPerItem" INTEGER NOT NULL,
                "Shuffle" INTEGER NOT NULL,
                "Seed" INTEGER NOT NULL,
                "Guidelines" TEXT NOT NULL,
                "CreatedBy" TEXT NULL,
                "CreatedAt" INTEGER NOT NULL
            );
            CREATE TABLE "AnnotationAnnotators" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_AnnotationAnnotators" PRIMARY KEY AUTOINCREMENT,
                "CampaignId" INTEGER NOT NULL,
                "Name" TEXT NOT NULL,
                "UserId" TEXT NULL,
                "Slot" INTEGER NOT NULL,
                "Position" INTEGER NOT NULL,
                "CreatedAt" INTEGER NOT NULL,
                CONSTRAINT "FK_AnnotationAnnotators_AnnotationCampaigns_CampaignId" FOREIGN KEY ("CampaignId") REFERENCES "AnnotationCampaigns" ("Id") ON DELETE CASCADE
            );
            CREATE TABLE "AnnotationItems" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_AnnotationItems" PRIMARY KEY AUTOINCREMENT,
                "CampaignId" INTEGER NOT NULL,
                "Index" INTEGER NOT NULL,
                "Key" TEXT NOT NULL,
                "CaseKey" TEXT NULL,
                "BenchmarkCaseId" INTEGER NULL,
                "Turn" INTEGER NULL,
                "Profile" TEXT NOT NULL,
                "Personality" TEXT NOT NULL,
                "ContextJson" TEXT NOT NULL,
                "UserMessage" TEXT NOT NULL,
                "Response" TEXT NOT NULL,
                "ResponseB" TEXT NULL,
                "JudgeRating" INTEGER NULL,
                "ExpectedRating" INTEGER NULL,
                CONSTRAINT "FK_AnnotationItems_AnnotationCampaigns_CampaignId" FOREIGN KEY ("CampaignId") REFERENCES "AnnotationCampaigns" ("Id") ON DELETE CASCADE
            );
            CREATE TABLE "AnnotationAssignments" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_AnnotationAssignments" PRIMARY KEY AUTOINCREMENT,
                "AnnotatorId" INTEGER NOT NULL,
                "ItemId" INTEGER NOT NULL,
                "Position" INTEGER NOT NULL,
                CONSTRAINT "FK_AnnotationAssignments_AnnotationAnnotators_AnnotatorId" FOREIGN KEY ("AnnotatorId") REFERENCES "AnnotationAnnotators" ("Id") ON DELETE CASCADE,
                CONSTRAINT "FK_AnnotationAssignments_AnnotationItems_ItemId" FOREIGN KEY ("ItemId") REFERENCES "AnnotationItems" ("Id") ON DELETE CASCADE
            );
            CREATE TABLE "AnnotationRatings" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_AnnotationRatings" PRIMARY KEY AUTOINCREMENT,
                "AssignmentId" INTEGER NOT NULL,
                "Rating" INTEGER NULL,
                "SkipReason" TEXT NULL,
                "Flagged" INTEGER NOT NULL,
                "Comment" TEXT NULL,
                "Milliseconds" INTEGER NOT NULL,
                "UpdatedAt" INTEGER NOT NULL,
                CONSTRAINT "FK_AnnotationRatings_AnnotationAssignments_AssignmentId" FOREIGN KEY ("AssignmentId") REFERENCES "AnnotationAssignments" ("Id") ON DELETE CASCADE
            );
            CREATE UNIQUE INDEX "IX_AnnotationAnnotators_CampaignId_Name" ON "AnnotationAnnotators" ("CampaignId", "Name");
            CREATE INDEX "IX_AnnotationAnnotators_UserId" ON "AnnotationAnnotators" ("UserId");
            CREATE UNIQUE INDEX "IX_AnnotationAssignments_AnnotatorId_ItemId" ON "AnnotationAssignments" ("AnnotatorId", "ItemId");
            CREATE UNIQUE INDEX "IX_AnnotationAssignments_AnnotatorId_Position" ON "AnnotationAssignments" ("AnnotatorId", "Position");
            CREATE INDEX "IX_AnnotationAssignments_ItemId" ON "AnnotationAssignments" ("ItemId");
            CREATE UNIQUE INDEX "IX_AnnotationItems_CampaignId_Key" ON "AnnotationItems" ("CampaignId", "Key");
            CREATE UNIQUE INDEX "IX_AnnotationRatings_AssignmentId" ON "AnnotationRatings" ("AssignmentId");
            """);
    }
}
