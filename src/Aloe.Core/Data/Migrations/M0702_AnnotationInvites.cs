using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aloe.Core.Data.Migrations;

/// <summary>Invite links for annotators (single use, expiring; only the token's hash is kept).</summary>
[DbContext(typeof(AloeDbContext))]
[Migration("20261202_0702_AnnotationInvites")]
public sealed class M0702_AnnotationInvites : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "AnnotationInvites" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_AnnotationInvites" PRIMARY KEY AUTOINCREMENT,
                "CampaignId" INTEGER NOT NULL,
                "Name" TEXT NOT NULL,
                "TokenHash" TEXT NOT NULL,
                "ExpiresAt" INTEGER NOT NULL,
                "UsedAt" INTEGER NULL,
                "CreatedBy" TEXT NULL,
                "CreatedAt" INTEGER NOT NULL,
                CONSTRAINT "FK_AnnotationInvites_AnnotationCampaigns_CampaignId" FOREIGN KEY ("CampaignId") REFERENCES "AnnotationCampaigns" ("Id") ON DELETE CASCADE
            );
            CREATE INDEX "IX_AnnotationInvites_CampaignId" ON "AnnotationInvites" ("CampaignId");
            CREATE UNIQUE INDEX "IX_AnnotationInvites_TokenHash" ON "AnnotationInvites" ("TokenHash");
            """);
    }
}
