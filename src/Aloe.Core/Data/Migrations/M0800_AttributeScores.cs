using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aloe.Core.Data.Migrations;

/// <summary>Constructiveness analysis: attribute scores of texts by scorer and version (Analysis/Scoring).</summary>
[DbContext(typeof(AloeDbContext))]
[Migration("20261202_0800_AttributeScores")]
public sealed class M0800_AttributeScores : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "AttributeScores" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_AttributeScores" PRIMARY KEY AUTOINCREMENT,
                "TextHash" TEXT NOT NULL,
                "Attribute" TEXT NOT NULL,
                "ScorerId" TEXT NOT NULL,
                "ScorerVersion" TEXT NOT NULL,
                "Value" REAL NULL,
                "Status" TEXT NOT NULL,
                "Error" TEXT NULL,
                "TruncatedBytes" INTEGER NOT NULL,
                "Attempts" INTEGER NOT NULL,
                "JobRunId" INTEGER NULL,
                "CreatedAt" INTEGER NOT NULL
            );
            CREATE INDEX "IX_AttributeScores_ScorerId_ScorerVersion" ON "AttributeScores" ("ScorerId", "ScorerVersion");
            CREATE UNIQUE INDEX "IX_AttributeScores_TextHash_Attribute_ScorerId_ScorerVersion" ON "AttributeScores" ("TextHash", "Attribute", "ScorerId", "ScorerVersion");
            """);
    }
}
