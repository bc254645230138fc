using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aloe.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProvRecord : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "RoleMapJson",
                table: "GenerationRuns",
                newName: "RolesJson");

            migrationBuilder.AddColumn<string>(
                name: "AppVersion",
                table: "GenerationRuns",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "JobRunId",
                table: "GenerationRuns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PromptHashesJson",
                table: "GenerationRuns",
                type: "TEXT",
                nullable: false,
                defaultValue: "{}");

            // Moves the generation runs' provenance into the shape every run shares (hand-written):
            // the single generator prompt hash becomes a prompt name -> hash map, and the run's key,
            // which always was its job's id, becomes its JobRunId. Then the old column goes.
            migrationBuilder.Sql("""
                UPDATE "GenerationRuns"
                SET "PromptHashesJson" = '{"' || CASE "Kind" WHEN 'Profile' THEN 'generator-profile' ELSE 'generator-personality' END || '":"' || "PromptHash" || '"}',
                    "JobRunId" = "Id";
                """);

            // SQLite (3.35+) drops the column in place: EF's DropColumn would rebuild the table, whose
            // PRAGMA foreign_keys cannot run inside the migration's transaction.
            migrationBuilder.Sql("""ALTER TABLE "GenerationRuns" DROP COLUMN "PromptHash";""");

            migrationBuilder.AddColumn<string>(
                name: "AppVersion",
                table: "DialogueRuns",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EmbedderId",
                table: "DialogueRuns",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AppVersion",
                table: "BenchmarkRuns",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EmbedderId",
                table: "BenchmarkRuns",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_GenerationRuns_JobRunId",
                table: "GenerationRuns",
                column: "JobRunId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_GenerationRuns_JobRunId",
                table: "GenerationRuns");

            migrationBuilder.DropColumn(
                name: "AppVersion",
                table: "GenerationRuns");

            migrationBuilder.DropColumn(
                name: "JobRunId",
                table: "GenerationRuns");

            migrationBuilder.AddColumn<string>(
                name: "PromptHash",
                table: "GenerationRuns",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.Sql("""
                UPDATE "GenerationRuns" SET "PromptHash" = COALESCE((SELECT value FROM json_each("PromptHashesJson") LIMIT 1), '');
                """);

            migrationBuilder.DropColumn(
                name: "PromptHashesJson",
                table: "GenerationRuns");

            migrationBuilder.DropColumn(
                name: "AppVersion",
                table: "DialogueRuns");

            migrationBuilder.DropColumn(
                name: "EmbedderId",
                table: "DialogueRuns");

            migrationBuilder.DropColumn(
                name: "AppVersion",
                table: "BenchmarkRuns");

            migrationBuilder.DropColumn(
                name: "EmbedderId",
                table: "BenchmarkRuns");

            migrationBuilder.RenameColumn(
                name: "RolesJson",
                table: "GenerationRuns",
                newName: "RoleMapJson");
        }
    }
}
