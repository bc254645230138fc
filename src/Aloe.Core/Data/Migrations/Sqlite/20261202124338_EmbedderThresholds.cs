using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aloe.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EmbedderThresholds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EmbedderThresholds",
                columns: table => new
                {
                    EmbedderId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Threshold = table.Column<double>(type: "REAL", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmbedderThresholds", x => x.EmbedderId);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EmbedderThresholds");
        }
    }
}
