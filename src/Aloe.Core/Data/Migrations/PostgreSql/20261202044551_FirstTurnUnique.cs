using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aloe.Core.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class FirstTurnUnique : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_DialogueTurns_DialogueId_FirstTurn",
                table: "DialogueTurns",
                column: "DialogueId",
                unique: true,
                filter: "\"ParentId\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DialogueTurns_DialogueId_FirstTurn",
                table: "DialogueTurns");
        }
    }
}
