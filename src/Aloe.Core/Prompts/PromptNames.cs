namespace Aloe.Core.Prompts;

/// <summary>The files in prompts/ (without .md). Defaults are the paper's Appendix B prompts.</summary>
public static class PromptNames
{
    public const string GeneratorProfile = "generator-profile";
    public const string GeneratorPersonality = "generator-personality";
    public const string RolePlay = "roleplay";
    public const string Induction = "induction";
    public const string Preferred = "preferred";
    public const string Rejected = "rejected";
    public const string Verifier = "verifier";
    public const string Judge = "judge";
    public const string JudgeWithHistory = "judge-history";
    /// <summary>Guidelines for human annotators (not sent to a model).</summary>
    public const string AnnotationRating = "annotation-rating";
    public const string AnnotationPairwise = "annotation-pairwise";
}
