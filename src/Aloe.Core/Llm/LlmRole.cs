namespace Aloe.Core.Llm;

/// <summary>The parts language models play in ALOE (DESIGN.md, "LLM roles").</summary>
public enum LlmRole { Generator, RolePlay, Induction, Preferred, Rejected, Verifier, Judge, Evaluated, Attributes }
