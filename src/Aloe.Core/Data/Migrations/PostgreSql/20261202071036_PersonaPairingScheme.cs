using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aloe.Core.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class PersonaPairingScheme : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Pairing",
                table: "Personas",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Grid");

            // Personas made before the scheme was recorded: the grid pairing, except the benchmark
            // set, the only pairing that recorded no seed.
            migrationBuilder.Sql("UPDATE \"Personas\" SET \"Pairing\" = 'BenchmarkSet' WHERE \"PairingSeed\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Pairing",
                table: "Personas");
        }
    }
}
