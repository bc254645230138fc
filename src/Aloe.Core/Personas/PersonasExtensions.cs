using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aloe.Core.Personas;

public static class PersonasExtensions
{
    /// <summary>Persona pools, self-generation, pairing; the project's seed pools are loaded at first start.</summary>
    public static IHostApplicationBuilder AddPersonas(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PersonasOptions>().BindConfiguration(PersonasOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<EmbedderThresholds>();
        builder.Services.AddSingleton<PoolService>();
        builder.Services.AddSingleton<EmbedderCalibrationService>();
        builder.Services.AddSingleton<PersonaService>();
        builder.Services.AddSingleton<GenerationForecast>();
        builder.Services.AddSingleton<GenerationService>();
        builder.Services.AddSingleton<PoolItemDeletion>();
        builder.Services.AddSingleton<SeedPools>();
        // Also by its type: GenerationService records a run the way the job would.
        builder.Services.AddSingleton<PoolGenerationJob>();
        builder.Services.AddSingleton<IJobHandler>(sp => sp.GetRequiredService<PoolGenerationJob>());
        builder.Services.AddSingleton<IJobHandler, PoolRefreshJob>();
        builder.Services.AddHostedService<SeedPoolsLoader>();
        return builder;
    }
}

/// <summary>
/// The project's own seed pools (Seeds/*.jsonl, embedded): 20 profiles and 20 personalities for
/// training, 20 profiles and 7 personalities for evaluation, so that dialogues and the benchmark
/// (20 x 5 evaluation personas) work on a fresh install. A split's seeds are loaded only while
/// that kind has no items in that split, so deleting or replacing them sticks; imported
/// evaluation pools (the ALOE files) take precedence in the benchmark set
/// (<see cref="PersonaService.BuildAloeBenchmarkSetAsync"/>). Embeddings are computed later, when
/// a feature first needs them (the embedder may be remote).
/// </summary>
internal sealed class SeedPools(IDbContextFactory<AloeDbContext> dbFactory, TimeProvider time)
{
    public static IReadOnlyList<string> Read(PoolKind kind, PoolSplit split = PoolSplit.Train)
    {
        var name = $"Aloe.Core.Personas.Seeds.{kind.Plural()}{(split == PoolSplit.Eval ? "-eval" : "")}.jsonl";
        using var stream = typeof(SeedPools).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded seed file {name} is missing.");
        var result = AloeJsonl.Read(new StreamReader(stream).ReadToEnd());
        if (!result.Ok) throw new InvalidOperationException($"Seed file {name}: {string.Join(" ", result.Errors)}");
        return result.Records.Select(r => r.Text).ToList();
    }

    /// <summary>Returns how many seed items were loaded (0 when every split already had items).</summary>
    public async Task<int> EnsureLoadedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var loaded = 0;
        foreach (var kind in Enum.GetValues<PoolKind>())
        {
            foreach (var split in Enum.GetValues<PoolSplit>())
            {
                if (await db.Set<PoolItem>().AnyAsync(i => i.Kind == kind && i.Split == split, cancellationToken)) continue;
                var now = time.GetUtcNow();
                foreach (var text in Read(kind, split))
                {
                    db.Add(new PoolItem { Kind = kind, Text = text, Source = ItemSource.Seed, Split = split, CreatedAt = now });
                    loaded++;
                }
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return loaded;
    }
}

internal sealed class SeedPoolsLoader(SeedPools seeds) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => seeds.EnsureLoadedAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
