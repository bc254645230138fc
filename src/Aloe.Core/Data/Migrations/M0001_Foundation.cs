using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aloe.Core.Data.Migrations;

/// <summary>
/// Hand-written migrations: copy the CREATE statements for your feature's tables from
/// `aloe db schema` (the model's own script) into a new class with the next id.
/// Features own ids by block: 0001 foundation, 0100 llm, 0200 personas, 0300 benchmark,
/// 0400 dialogues, 0500 annotation, 0600 analysis.
/// </summary>
[DbContext(typeof(AloeDbContext))]
[Migration("20261122_0001_Foundation")]
public sealed class M0001_Foundation : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "JobRuns" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_JobRuns" PRIMARY KEY AUTOINCREMENT,
                "Kind" TEXT NOT NULL,
                "Title" TEXT NOT NULL,
                "ParametersJson" TEXT NOT NULL,
                "Status" TEXT NOT NULL,
                "Done" INTEGER NOT NULL,
                "Total" INTEGER NOT NULL,
                "Message" TEXT NULL,
                "Checkpoint" TEXT NULL,
                "Error" TEXT NULL,
                "Attempts" INTEGER NOT NULL,
                "CancelRequested" INTEGER NOT NULL,
                "CreatedAt" INTEGER NOT NULL,
                "StartedAt" INTEGER NULL,
                "FinishedAt" INTEGER NULL
            );
            CREATE INDEX "IX_JobRuns_CreatedAt" ON "JobRuns" ("CreatedAt");
            CREATE INDEX "IX_JobRuns_Status" ON "JobRuns" ("Status");
            """);
    }
}
