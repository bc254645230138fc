namespace Aloe.Core.Jobs;

/// <summary>
/// One kind of background work. Handlers must be safe to re-run: persist work as it is
/// produced and continue from <see cref="JobContext.Checkpoint{T}"/> (or from what is already
/// stored), so that a resumed run finishes with nothing done twice.
/// </summary>
public interface IJobHandler
{
    string Kind { get; }
    Task RunAsync(JobContext context, CancellationToken cancellationToken);
}
