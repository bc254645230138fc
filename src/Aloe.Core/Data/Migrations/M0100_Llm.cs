using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aloe.Core.Data.Migrations;

/// <summary>The LLM gateway's response cache and call log (copied from the model's own script).</summary>
[DbContext(typeof(AloeDbContext))]
[Migration("20261122_0100_Llm")]
public sealed class M0100_Llm : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "LlmCache" (
                "Key" TEXT NOT NULL CONSTRAINT "PK_LlmCache" PRIMARY KEY,
                "Endpoint" TEXT NOT NULL,
                "Model" TEXT NOT NULL,
                "Text" TEXT NOT NULL,
                "InputTokens" INTEGER NOT NULL,
                "OutputTokens" INTEGER NOT NULL,
                "CreatedAt" INTEGER NOT NULL
            );
            CREATE TABLE "LlmCalls" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_LlmCalls" PRIMARY KEY AUTOINCREMENT,
                "Role" TEXT NOT NULL,
                "RunId" INTEGER NULL,
                "Endpoint" TEXT NOT NULL,
                "Model" TEXT NOT NULL,
                "InputTokens" INTEGER NOT NULL,
                "OutputTokens" INTEGER NOT NULL,
                "Cost" REAL NOT NULL,
                "LatencyMs" REAL NOT NULL,
                "CacheHit" INTEGER NOT NULL,
                "Error" TEXT NULL,
                "CreatedAt" INTEGER NOT NULL
            );
            CREATE INDEX "IX_LlmCalls_CreatedAt" ON "LlmCalls" ("CreatedAt");
            CREATE INDEX "IX_LlmCalls_RunId" ON "LlmCalls" ("RunId");
            """);
    }
}
