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
    /// <summary>The length instruction both responders get (authors' data_generation.py).</summary>
    public const string AnswerLength = "answer-length";
    /// <summary>The role-play user's own length instruction while dialogues are built (authors' data_generation.py).</summary>
    public const string RolePlayLength = "roleplay-length";
    public const string Verifier = "verifier";
    public const string Judge = "judge";
    public const string JudgeWithHistory = "judge-history";
    public const string Attributes = "attributes";
    public const string AttributeDefinitions = "attribute-definitions";
    /// <summary>Guidelines for human annotators (not sent to a model).</summary>
    public const string AnnotationRating = "annotation-rating";
    public const string AnnotationPairwise = "annotation-pairwise";
}
