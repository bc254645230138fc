using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Aloe.Core.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "BenchmarkRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    EvaluatedModel = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    EvaluatedEndpoint = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    RolesJson = table.Column<string>(type: "text", nullable: false),
                    PromptHashesJson = table.Column<string>(type: "text", nullable: false),
                    JudgeMode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Turns = table.Column<int>(type: "integer", nullable: false),
                    Seed = table.Column<int>(type: "integer", nullable: false),
                    CaseSet = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CaseCount = table.Column<int>(type: "integer", nullable: false),
                    Concurrency = table.Column<int>(type: "integer", nullable: false),
                    Simulated = table.Column<bool>(type: "boolean", nullable: false),
                    JobRunId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BenchmarkRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DialogueRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    JobRunId = table.Column<long>(type: "bigint", nullable: true),
                    Title = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    PersonaPool = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    Seed = table.Column<int>(type: "integer", nullable: false),
                    MaxTurns = table.Column<int>(type: "integer", nullable: false),
                    Verify = table.Column<bool>(type: "boolean", nullable: false),
                    RolesJson = table.Column<string>(type: "text", nullable: false),
                    PromptHashesJson = table.Column<string>(type: "text", nullable: false),
                    Simulated = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DialogueRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "GenerationRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Split = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Threshold = table.Column<double>(type: "double precision", nullable: false),
                    Seed = table.Column<int>(type: "integer", nullable: false),
                    MaxRounds = table.Column<int>(type: "integer", nullable: false),
                    Patience = table.Column<int>(type: "integer", nullable: false),
                    MinAddedPerRound = table.Column<int>(type: "integer", nullable: false),
                    TargetSize = table.Column<int>(type: "integer", nullable: true),
                    CallsPerRound = table.Column<int>(type: "integer", nullable: false),
                    EmbedderId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    PromptHash = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    RoleMapJson = table.Column<string>(type: "text", nullable: false),
                    Simulated = table.Column<bool>(type: "boolean", nullable: false),
                    InitialPoolSize = table.Column<int>(type: "integer", nullable: false),
                    StopReason = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GenerationRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "JobRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ParametersJson = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Done = table.Column<int>(type: "integer", nullable: false),
                    Total = table.Column<int>(type: "integer", nullable: false),
                    Message = table.Column<string>(type: "text", nullable: true),
                    Checkpoint = table.Column<string>(type: "text", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    CancelRequested = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    StartedAt = table.Column<long>(type: "bigint", nullable: true),
                    FinishedAt = table.Column<long>(type: "bigint", nullable: true),
                    Owner = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    LeaseExpiresAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LlmCache",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Endpoint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Model = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    InputTokens = table.Column<int>(type: "integer", nullable: false),
                    OutputTokens = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LlmCache", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "LlmCalls",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    RunId = table.Column<long>(type: "bigint", nullable: true),
                    Endpoint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Model = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    InputTokens = table.Column<int>(type: "integer", nullable: false),
                    OutputTokens = table.Column<int>(type: "integer", nullable: false),
                    Cost = table.Column<double>(type: "double precision", nullable: false),
                    LatencyMs = table.Column<double>(type: "double precision", nullable: false),
                    CacheHit = table.Column<bool>(type: "boolean", nullable: false),
                    Error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LlmCalls", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PoolItems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Split = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    GenerationRunId = table.Column<long>(type: "bigint", nullable: true),
                    Embedding = table.Column<byte[]>(type: "bytea", nullable: true),
                    EmbedderId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    NearestId = table.Column<long>(type: "bigint", nullable: true),
                    NearestSimilarity = table.Column<float>(type: "real", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PoolItems", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "BenchmarkCases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    Index = table.Column<int>(type: "integer", nullable: false),
                    CaseKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Profile = table.Column<string>(type: "text", nullable: false),
                    Personality = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BenchmarkCases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BenchmarkCases_BenchmarkRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "BenchmarkRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "BenchmarkScorings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    JudgeMode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    JudgeModel = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    JudgeJson = table.Column<string>(type: "text", nullable: false),
                    PromptHash = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    JobRunId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BenchmarkScorings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BenchmarkScorings_BenchmarkRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "BenchmarkRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Dialogues",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    PersonaKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Profile = table.Column<string>(type: "text", nullable: false),
                    Personality = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Error = table.Column<string>(type: "text", nullable: true),
                    Turns = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Dialogues", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Dialogues_DialogueRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "DialogueRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "GenerationCandidates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    Round = table.Column<int>(type: "integer", nullable: false),
                    Call = table.Column<int>(type: "integer", nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    Verdict = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Similarity = table.Column<float>(type: "real", nullable: false),
                    NearestItemId = table.Column<long>(type: "bigint", nullable: true),
                    PoolItemId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GenerationCandidates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GenerationCandidates_GenerationRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "GenerationRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "GenerationRounds",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    Round = table.Column<int>(type: "integer", nullable: false),
                    Generated = table.Column<int>(type: "integer", nullable: false),
                    Accepted = table.Column<int>(type: "integer", nullable: false),
                    PoolSize = table.Column<int>(type: "integer", nullable: false),
                    FailedCalls = table.Column<int>(type: "integer", nullable: false),
                    Error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GenerationRounds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GenerationRounds_GenerationRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "GenerationRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Personas",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ProfileId = table.Column<long>(type: "bigint", nullable: false),
                    PersonalityId = table.Column<long>(type: "bigint", nullable: false),
                    Split = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    PairingSeed = table.Column<int>(type: "integer", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Personas", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Personas_PoolItems_PersonalityId",
                        column: x => x.PersonalityId,
                        principalTable: "PoolItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Personas_PoolItems_ProfileId",
                        column: x => x.ProfileId,
                        principalTable: "PoolItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "BenchmarkTurns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    Turn = table.Column<int>(type: "integer", nullable: false),
                    UserMessage = table.Column<string>(type: "text", nullable: false),
                    Response = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BenchmarkTurns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BenchmarkTurns_BenchmarkCases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "BenchmarkCases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DialogueTurns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DialogueId = table.Column<long>(type: "bigint", nullable: false),
                    ParentId = table.Column<long>(type: "bigint", nullable: true),
                    ParentBranch = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Index = table.Column<int>(type: "integer", nullable: false),
                    UserMessage = table.Column<string>(type: "text", nullable: false),
                    Preferred = table.Column<string>(type: "text", nullable: false),
                    Rejected = table.Column<string>(type: "text", nullable: false),
                    InferredProfile = table.Column<string>(type: "text", nullable: true),
                    InferredPersonality = table.Column<string>(type: "text", nullable: true),
                    Verified = table.Column<bool>(type: "boolean", nullable: false),
                    Swapped = table.Column<bool>(type: "boolean", nullable: false),
                    Chosen = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DialogueTurns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DialogueTurns_DialogueTurns_ParentId",
                        column: x => x.ParentId,
                        principalTable: "DialogueTurns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DialogueTurns_Dialogues_DialogueId",
                        column: x => x.DialogueId,
                        principalTable: "Dialogues",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "BenchmarkScores",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ScoringId = table.Column<long>(type: "bigint", nullable: false),
                    TurnId = table.Column<long>(type: "bigint", nullable: false),
                    Score = table.Column<int>(type: "integer", nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    RawOutput = table.Column<string>(type: "text", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    Error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BenchmarkScores", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BenchmarkScores_BenchmarkScorings_ScoringId",
                        column: x => x.ScoringId,
                        principalTable: "BenchmarkScorings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_BenchmarkScores_BenchmarkTurns_TurnId",
                        column: x => x.TurnId,
                        principalTable: "BenchmarkTurns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BenchmarkCases_RunId_CaseKey",
                table: "BenchmarkCases",
                columns: new[] { "RunId", "CaseKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BenchmarkRuns_CreatedAt",
                table: "BenchmarkRuns",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_BenchmarkScores_ScoringId_TurnId",
                table: "BenchmarkScores",
                columns: new[] { "ScoringId", "TurnId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BenchmarkScores_TurnId",
                table: "BenchmarkScores",
                column: "TurnId");

            migrationBuilder.CreateIndex(
                name: "IX_BenchmarkScorings_RunId",
                table: "BenchmarkScorings",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_BenchmarkTurns_CaseId_Turn",
                table: "BenchmarkTurns",
                columns: new[] { "CaseId", "Turn" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DialogueRuns_JobRunId",
                table: "DialogueRuns",
                column: "JobRunId");

            migrationBuilder.CreateIndex(
                name: "IX_DialogueTurns_DialogueId_ParentId_ParentBranch",
                table: "DialogueTurns",
                columns: new[] { "DialogueId", "ParentId", "ParentBranch" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DialogueTurns_ParentId",
                table: "DialogueTurns",
                column: "ParentId");

            migrationBuilder.CreateIndex(
                name: "IX_Dialogues_PersonaKey",
                table: "Dialogues",
                column: "PersonaKey");

            migrationBuilder.CreateIndex(
                name: "IX_Dialogues_RunId_Status",
                table: "Dialogues",
                columns: new[] { "RunId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_GenerationCandidates_RunId_Round",
                table: "GenerationCandidates",
                columns: new[] { "RunId", "Round" });

            migrationBuilder.CreateIndex(
                name: "IX_GenerationRounds_RunId_Round",
                table: "GenerationRounds",
                columns: new[] { "RunId", "Round" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_JobRuns_CreatedAt",
                table: "JobRuns",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_JobRuns_Status",
                table: "JobRuns",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_LlmCalls_CreatedAt",
                table: "LlmCalls",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_LlmCalls_RunId",
                table: "LlmCalls",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_Personas_PersonalityId",
                table: "Personas",
                column: "PersonalityId");

            migrationBuilder.CreateIndex(
                name: "IX_Personas_ProfileId_PersonalityId",
                table: "Personas",
                columns: new[] { "ProfileId", "PersonalityId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PoolItems_Kind_Split",
                table: "PoolItems",
                columns: new[] { "Kind", "Split" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BenchmarkScores");

            migrationBuilder.DropTable(
                name: "DialogueTurns");

            migrationBuilder.DropTable(
                name: "GenerationCandidates");

            migrationBuilder.DropTable(
                name: "GenerationRounds");

            migrationBuilder.DropTable(
                name: "JobRuns");

            migrationBuilder.DropTable(
                name: "LlmCache");

            migrationBuilder.DropTable(
                name: "LlmCalls");

            migrationBuilder.DropTable(
                name: "Personas");

            migrationBuilder.DropTable(
                name: "BenchmarkScorings");

            migrationBuilder.DropTable(
                name: "BenchmarkTurns");

            migrationBuilder.DropTable(
                name: "Dialogues");

            migrationBuilder.DropTable(
                name: "GenerationRuns");

            migrationBuilder.DropTable(
                name: "PoolItems");

            migrationBuilder.DropTable(
                name: "BenchmarkCases");

            migrationBuilder.DropTable(
                name: "DialogueRuns");

            migrationBuilder.DropTable(
                name: "BenchmarkRuns");
        }
    }
}
