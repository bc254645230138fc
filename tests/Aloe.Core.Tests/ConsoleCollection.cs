namespace Aloe.Core.Tests;

/// <summary>Tests that redirect the process-wide Console run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
