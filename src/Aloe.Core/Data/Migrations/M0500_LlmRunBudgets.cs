using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aloe.Core.Data.Migrations;

/// <summary>An optional spending cap per job run (US dollars), kept beside the call log that measures the spending.</summary>
[DbContext(typeof(AloeDbContext))]
[Migration("20261202_0500_LlmRunBudgets")]
public sealed class M0500_LlmRunBudgets : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "LlmRunBudgets" (
                "RunId" INTEGER NOT NULL CONSTRAINT "PK_LlmRunBudgets" PRIMARY KEY,
                "CapUsd" REAL NOT NULL,
                "UpdatedAt" INTEGER NOT NULL
            );
            """);
    }
}
