using Aloe.Core.Data;
using Aloe.Core.Benchmark;
using Aloe.Core.Dialogues;
using Aloe.Core.Jobs;
using Aloe.Core.Personas;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aloe.Core.Tests.Data;

/// <summary>
/// Migrations are generated with dotnet-ef (docs/migrations.md), one set per provider; these
/// prove each set matches the model, that a database made before they existed upgrades
/// without losing data, and the constraints the schema promises.
/// </summary>
public sealed class SchemaTests
{
    [Fact]
    public async Task SqliteMigrationsMatchTheModel()
    {
        await using var host = await TestHost.StartAsync();
        await using var db = host.Db();

        Assert.False(db.Database.HasPendingModelChanges(), "the model changed: add a migration for both providers (docs/migrations.md)");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [SkippableFact]
    public async Task PostgreSqlMigrationsCreateTheSchemaOnAServer()
    {
        await using var host = await TestHost.StartAsync(provider: DatabaseProvider.PostgreSql);
        await using var db = host.Db();

        Assert.IsType<PostgresAloeDbContext>(db);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public void PostgreSqlMigrationsMatchTheModel()
    {
        // No server needed to compare the model with the migrations' snapshot.
        using var db = new PostgresAloeDbContext(new DbContextOptionsBuilder<PostgresAloeDbContext>().UseNpgsql("Host=localhost").Options);

        Assert.False(db.Database.HasPendingModelChanges(), "the model changed: add a migration for both providers (docs/migrations.md)");
    }

    [Fact]
    public async Task ADatabaseMadeBeforeGeneratedMigrationsUpgradesWithItsDataKept()
    {
        // Made by main at 0c9aac9 (hand-written migrations): `aloe personas generate --kind Profile
        // --max-rounds 2`, `personas pair --count 6 --seed 3`, `dialogues build --personas 3 --turns 3`,
        // `bench run --evaluated sim-adaptive --cases 2 --turns 3`.
        var directory = Path.Combine(Path.GetTempPath(), "aloe-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "aloe.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", "main-0c9aac9.db"), database);
        try
        {
            await using var host = await TestHost.StartAsync(databasePath: database);
            await using var db = host.Db();

            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(3, await db.Set<JobRun>().CountAsync());
            Assert.Equal(3, await db.Set<Dialogue>().CountAsync());
            Assert.Equal(9, await db.Set<DialogueTurn>().CountAsync());
            Assert.Equal(1, await db.Set<BenchmarkRun>().CountAsync());
            Assert.Equal(6, await db.Set<Aloe.Core.Benchmark.BenchmarkTurn>().CountAsync());
            Assert.Equal(135, await db.Set<Aloe.Core.Personas.PoolItem>().CountAsync());
            Assert.Equal(106, await db.Set<Aloe.Core.Personas.Persona>().CountAsync());
            // Personas made before pairing schemes were recorded: 6 grid pairs, the 100 of the benchmark set.
            Assert.Equal(6, await db.Set<Aloe.Core.Personas.Persona>().CountAsync(p => p.Pairing == Aloe.Core.Personas.PairingScheme.Grid));
            Assert.Equal(100, await db.Set<Aloe.Core.Personas.Persona>().CountAsync(p => p.Pairing == Aloe.Core.Personas.PairingScheme.BenchmarkSet));
            Assert.Equal(67, await db.Set<Aloe.Core.Llm.LlmCacheEntry>().CountAsync());

            // Every run's provenance, moved into the one record (ProvRecord): nothing lost, no version invented.
            var generation = await db.Set<GenerationRun>().AsNoTracking().SingleAsync();
            Assert.Equal(generation.Id, generation.JobRunId);
            Assert.Equal(new Dictionary<string, string> { ["generator-profile"] = "7f0a872a5aee" }, generation.Provenance.PromptHashes);
            Assert.Equal(new RoleProvenance("simulated", "sim-writer", 0.8f, 4000), generation.Provenance.Roles["Generator"]);
            Assert.Equal((1, "lexical-v2-1024", (string?)null), (generation.Provenance.Seed, generation.Provenance.EmbedderId, generation.Provenance.AppVersion));
            var dialogues = await db.Set<DialogueRun>().AsNoTracking().SingleAsync();
            Assert.Equal(0, dialogues.Provenance.Seed);
            Assert.Equal("sim-generic", dialogues.Provenance.Roles["Rejected"].Model);
            Assert.Equal("7e4317357f19", dialogues.Provenance.PromptHashes["induction"]);
            Assert.Null(dialogues.Provenance.AppVersion);
            var benchmark = await db.Set<BenchmarkRun>().AsNoTracking().SingleAsync();
            Assert.Equal(20251, benchmark.Provenance.Seed);
            Assert.Equal(new Dictionary<string, string> { ["roleplay"] = "b2f01c280389", ["judge"] = "4ff84a274872" }, benchmark.Provenance.PromptHashes);
            Assert.Equal("sim-adaptive", benchmark.Provenance.Bindings()[Aloe.Core.Llm.LlmRole.Evaluated].Model);

            // The upgraded database works: a new run is claimed and finishes (new columns in use).
            var run = await host.Get<JobService>().EnqueueAsync(DatabaseMaintenanceJob.JobKind, "maintenance");
            Assert.True(await host.Get<JobRunner>().ExecuteAsync(run.Id, CancellationToken.None));
            Assert.Equal(JobStatus.Succeeded, (await host.Get<JobService>().GetAsync(run.Id))!.Status);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ProvRecordMovesEachRunsProvenanceIntoTheOneRecord(DatabaseProvider provider)
    {
        var sqlite = provider == DatabaseProvider.Sqlite;
        var directory = Path.Combine(Path.GetTempPath(), "aloe-tests", Guid.NewGuid().ToString("N"));
        var connection = sqlite ? $"Data Source={Path.Combine(directory, "aloe.db")}" : await TestPostgres.CreateDatabaseAsync();
        Directory.CreateDirectory(directory);
        AloeDbContext Open() => sqlite
            ? new AloeDbContext(new DbContextOptionsBuilder<AloeDbContext>().UseSqlite(connection).Options)
            : new PostgresAloeDbContext(new DbContextOptionsBuilder<PostgresAloeDbContext>().UseNpgsql(connection).Options);
        try
        {
            await using (var db = Open())
            {
                // The schema just before ProvRecord, with runs written the old way.
                var before = db.Database.GetMigrations().TakeWhile(m => !m.EndsWith("_ProvRecord", StringComparison.Ordinal)).Last();
                await db.GetService<IMigrator>().MigrateAsync(before);
                const string generatorRoles = """{"Generator":{"endpoint":"lab","model":"gpt-x","temperature":0.8,"maxTokens":4000}}""";
                const string dialogueRoles = """{"Preferred":{"endpoint":"lab","model":"gpt-y","temperature":0.7,"maxTokens":300}}""";
                const string dialogueHashes = """{"preferred":"0123456789ab"}""";
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "GenerationRuns" ("Id", "Kind", "Split", "Threshold", "Seed", "MaxRounds", "Patience", "MinAddedPerRound", "CallsPerRound",
                        "EmbedderId", "PromptHash", "RoleMapJson", "Simulated", "InitialPoolSize", "CreatedAt")
                    VALUES (7, 'Personality', 'Train', 0.6, 42, 3, 2, 2, 2, 'lexical-v2-1024', 'abcdef123456', {generatorRoles}, {true}, 20, {0L})
                    """);
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "DialogueRuns" ("Id", "JobRunId", "Title", "PersonaPool", "Seed", "MaxTurns", "Verify", "RolesJson", "PromptHashesJson", "Simulated", "CreatedAt")
                    VALUES (3, 8, 't', 'p', 9, 3, {true}, {dialogueRoles}, {dialogueHashes}, {true}, {0L})
                    """);
                await db.Database.MigrateAsync();
            }
            await using (var db = Open())
            {
                var generation = await db.Set<GenerationRun>().AsNoTracking().SingleAsync();
                Assert.Equal(7, generation.JobRunId);
                Assert.Equal(new Dictionary<string, string> { ["generator-personality"] = "abcdef123456" }, generation.Provenance.PromptHashes);
                Assert.Equal(new RoleProvenance("lab", "gpt-x", 0.8f, 4000), generation.Provenance.Roles["Generator"]);
                Assert.Equal((42, "lexical-v2-1024"), (generation.Provenance.Seed, generation.Provenance.EmbedderId));
                var dialogues = await db.Set<DialogueRun>().AsNoTracking().SingleAsync();
                Assert.Equal((9, "gpt-y", "0123456789ab"), (dialogues.Provenance.Seed, dialogues.Provenance.Roles["Preferred"].Model, dialogues.Provenance.PromptHashes["preferred"]));
            }
        }
        finally
        {
            if (sqlite)
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            else
                await TestPostgres.DropDatabaseAsync(connection);
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ADialogueCannotHaveTwoFirstTurns(DatabaseProvider provider)
    {
        await using var host = await TestHost.StartAsync(provider: provider);
        await using var db = host.Db();
        var run = new DialogueRun { Title = "t", PersonaPool = "p" };
        db.Add(run);
        await db.SaveChangesAsync();
        var dialogue = new Dialogue { RunId = run.Id, PersonaKey = "k", Profile = "p", Personality = "q" };
        db.Add(dialogue);
        await db.SaveChangesAsync();
        DialogueTurn FirstTurn() => new() { DialogueId = dialogue.Id, Index = 1, UserMessage = "u", Preferred = "a", Rejected = "b" };

        db.Add(FirstTurn());
        await db.SaveChangesAsync();
        db.Add(FirstTurn());

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task DatabaseRunsInWriteAheadLogMode()
    {
        await using var host = await TestHost.StartAsync();
        await using var db = host.Db();

        var mode = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync();

        Assert.Equal("wal", Assert.Single(mode));
    }
}
