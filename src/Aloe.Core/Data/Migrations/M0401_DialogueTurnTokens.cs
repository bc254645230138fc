using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aloe.Core.Data.Migrations;

/// <summary>
/// Per-turn token counts are gone: they missed the role-play calls, retries and cost, and the
/// gateway's call log has all of them by run (a dialogue run's totals come from there).
/// </summary>
[DbContext(typeof(AloeDbContext))]
[Migration("20261123_0401_DialogueTurnTokens")]
public sealed class M0401_DialogueTurnTokens : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            ALTER TABLE "DialogueTurns" DROP COLUMN "InputTokens";
            ALTER TABLE "DialogueTurns" DROP COLUMN "OutputTokens";
            """);
    }
}
