using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aloe.Core.Data.Migrations;

/// <summary>The imported PRISM data set: utterances, conversations and survey participants (Analysis/Prism).</summary>
[DbContext(typeof(AloeDbContext))]
[Migration("20261202_0801_Prism")]
public sealed class M0801_Prism : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "PrismConversations" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_PrismConversations" PRIMARY KEY AUTOINCREMENT,
                "ConversationId" TEXT NOT NULL,
                "UserId" TEXT NOT NULL,
                "ConversationType" TEXT NOT NULL,
                "OpeningPrompt" TEXT NOT NULL,
                "HistoryJson" TEXT NOT NULL,
                "IncludedInBalancedSubset" INTEGER NOT NULL
            );
            CREATE TABLE "PrismParticipants" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_PrismParticipants" PRIMARY KEY AUTOINCREMENT,
                "UserId" TEXT NOT NULL,
                "Age" TEXT NULL,
                "Gender" TEXT NULL,
                "Ethnicity" TEXT NULL,
                "ValuesPreference" REAL NULL,
                "IncludedInBalancedSubset" INTEGER NOT NULL,
                "RawJson" TEXT NOT NULL
            );
            CREATE TABLE "PrismUtterances" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_PrismUtterances" PRIMARY KEY AUTOINCREMENT,
                "UtteranceId" TEXT NOT NULL,
                "InteractionId" TEXT NOT NULL,
                "ConversationId" TEXT NOT NULL,
                "UserId" TEXT NOT NULL,
                "Turn" INTEGER NOT NULL,
                "WithinTurnId" INTEGER NOT NULL,
                "ConversationType" TEXT NOT NULL,
                "UserPrompt" TEXT NOT NULL,
                "ModelResponse" TEXT NOT NULL,
                "ModelName" TEXT NOT NULL,
                "ModelProvider" TEXT NOT NULL,
                "Score" INTEGER NOT NULL,
                "IfChosen" INTEGER NOT NULL,
                "IncludedInBalancedSubset" INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX "IX_PrismConversations_ConversationId" ON "PrismConversations" ("ConversationId");
            CREATE UNIQUE INDEX "IX_PrismParticipants_UserId" ON "PrismParticipants" ("UserId");
            CREATE INDEX "IX_PrismUtterances_ConversationId" ON "PrismUtterances" ("ConversationId");
            CREATE UNIQUE INDEX "IX_PrismUtterances_UtteranceId" ON "PrismUtterances" ("UtteranceId");
            """);
    }
}
