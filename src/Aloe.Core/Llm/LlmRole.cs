using System.Text.Json.Serialization;

namespace Aloe.Core.Llm;

/// <summary>The parts language models play in ALOE (DESIGN.md, "LLM roles").</summary>
// Names, not numbers, in JSON: run records store role maps and must stay readable if the enum grows.
[JsonConverter(typeof(JsonStringEnumConverter<LlmRole>))]
public enum LlmRole { Generator, RolePlay, Induction, Preferred, Rejected, Verifier, Judge, Evaluated, Attributes }
