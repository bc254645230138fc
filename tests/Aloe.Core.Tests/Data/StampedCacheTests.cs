using Aloe.Core.Data;

namespace Aloe.Core.Tests.Data;

public sealed class StampedCacheTests
{
    [Fact]
    public async Task KeepsAResultUntilItsStampChanges()
    {
        var cache = new StampedCache<long, int, string>();
        var computed = 0;
        Task<string> Compute() => Task.FromResult($"v{++computed}");

        Assert.Equal("v1", await cache.GetAsync(1, 10, Compute));
        Assert.Equal("v1", await cache.GetAsync(1, 10, Compute));
        Assert.Equal("v2", await cache.GetAsync(1, 11, Compute));
        Assert.Equal("v3", await cache.GetAsync(2, 11, Compute)); // another key has its own entry
        Assert.Equal(3, computed);
    }

    [Fact]
    public async Task ConcurrentReadersOfAMissingEntryShareOneComputation()
    {
        var cache = new StampedCache<long, int, int>();
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var computed = 0;
        var readers = Enumerable.Range(0, 20).Select(_ => cache.GetAsync(1, 1, () => { Interlocked.Increment(ref computed); return release.Task; })).ToList();
        release.SetResult(42);

        Assert.All(await Task.WhenAll(readers), value => Assert.Equal(42, value));
        Assert.Equal(1, computed);
    }

    [Fact]
    public async Task AFailedComputationIsNotKept()
    {
        var cache = new StampedCache<long, int, int>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync(1, 1, () => Task.FromException<int>(new InvalidOperationException())));

        Assert.Equal(7, await cache.GetAsync(1, 1, () => Task.FromResult(7)));
    }
}
