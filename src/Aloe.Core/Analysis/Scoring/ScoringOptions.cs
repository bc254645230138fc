using System.ComponentModel.DataAnnotations;

namespace Aloe.Core.Analysis.Scoring;

/// <summary>Configuration section "Analysis:Scoring".</summary>
public sealed class ScoringOptions
{
    public const string Section = "Analysis:Scoring";

    /// <summary>Tries per text before its attributes are stored as Failed.</summary>
    [Range(1, 10)]
    public int Attempts { get; set; } = 3;

    /// <summary>Texts the LLM rater scores at once (the gateway limits calls per endpoint as well).</summary>
    [Range(1, 64)]
    public int LlmConcurrency { get; set; } = 8;

    public PerspectiveOptions Perspective { get; set; } = new();
}

/// <summary>Perspective API (Google Jigsaw). Announced for retirement at the end of 2026: one backend among several.</summary>
public sealed class PerspectiveOptions
{
    [Required]
    public Uri BaseUrl { get; set; } = new("https://commentanalyzer.googleapis.com/v1alpha1/");

    /// <summary>The environment variable holding the API key (the key itself is never in configuration or logs).</summary>
    [Required]
    public string KeyVariable { get; set; } = "PERSPECTIVE_API_KEY";

    /// <summary>Requests per second; Perspective's default quota is 1.</summary>
    [Range(0.01, 1000)]
    public double QueriesPerSecond { get; set; } = 1;

    /// <summary>Longer texts are cut to this many UTF-8 bytes (the cut is recorded with the score).</summary>
    [Range(100, 20_480)]
    public int MaxBytes { get; set; } = 3_000;

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;
}
