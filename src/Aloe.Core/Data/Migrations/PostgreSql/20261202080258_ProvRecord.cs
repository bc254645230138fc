using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aloe.Core.Data.Migrations.PostgreSql
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
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "JobRunId",
                table: "GenerationRuns",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PromptHashesJson",
                table: "GenerationRuns",
                type: "text",
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

            migrationBuilder.DropColumn(
                name: "PromptHash",
                table: "GenerationRuns");

            migrationBuilder.AddColumn<string>(
                name: "AppVersion",
                table: "DialogueRuns",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EmbedderId",
                table: "DialogueRuns",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AppVersion",
                table: "BenchmarkRuns",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EmbedderId",
                table: "BenchmarkRuns",
                type: "character varying(128)",
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
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.Sql("""
                UPDATE "GenerationRuns" SET "PromptHash" = COALESCE((SELECT value FROM json_each_text("PromptHashesJson"::json) LIMIT 1), '');
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
