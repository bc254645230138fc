using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aloe.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Workers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "PartJobRunId",
                table: "Dialogues",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PartJobRunId",
                table: "Dialogues");
        }
    }
}
