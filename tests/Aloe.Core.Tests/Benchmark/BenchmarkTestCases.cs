using Aloe.Core.Benchmark;
using Aloe.Core.Conversations;
using Aloe.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aloe.Core.Tests.Benchmark;

/// <summary>A fixed evaluation set, so the benchmark tests need nothing from ../shared.</summary>
internal sealed class FixedCaseSource(params string[] names) : IBenchmarkCaseSource
{
    public Task<BenchmarkCaseSet> GetEvaluationSetAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new BenchmarkCaseSet($"fixed: {names.Length}", names.Select(n =>
            new BenchmarkCaseInput("case-" + n, new PersonaText($"{n} is a 30-year-old {n}-profile.", $"{n} is {n}-personality."))).ToList()));

    public Task<BenchmarkCaseSet> PreviewEvaluationSetAsync(CancellationToken cancellationToken) => GetEvaluationSetAsync(cancellationToken);

    /// <summary>A test host with the benchmark feature over these cases.</summary>
    public static Task<TestHost> HostAsync(int concurrency = 4, params string[] names) => TestHost.StartAsync(b =>
    {
        b.Configuration["Benchmark:Concurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture);
        b.AddBenchmark();
        b.Services.AddSingleton<IBenchmarkCaseSource>(new FixedCaseSource(names.Length == 0 ? ["ann", "bob", "cy"] : names));
    });
}
