using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aloe.Core.Data.Migrations.PostgreSql
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
                    EmbedderId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Threshold = table.Column<double>(type: "double precision", nullable: false),
                    Note = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false)
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
