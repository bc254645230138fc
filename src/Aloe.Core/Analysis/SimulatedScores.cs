namespace Aloe.Core.Analysis;

/// <summary>
/// Simulated scored responses (not real data; labelled Simulated wherever shown): PRISM-like users
/// with two conversations of three turns and two responses each. Being chosen and the score rise with
/// reasoning x nuance and fall with personal story; the response's compassion mirrors the prompt's; the
/// younger half dislike toxicity. Lets the analyses run and be checked before any scores are stored.
/// </summary>
internal static class SimulatedScores
{
    public static List<ScoredResponse> Generate(int users = 60, ulong seed = 5)
    {
        var rng = new Rng(seed);
        var rows = new List<ScoredResponse>();
        for (var user = 0; user < users; user++)
        {
            var younger = user % 2 == 0;
            var male = user % 3 == 0;
            for (var conversation = 0; conversation < 2; conversation++)
            {
                var type = conversation == 0 ? "unguided" : "values guided";
                var prompt = ConstructivenessAnalysis.Attributes.ToDictionary(a => a, _ => rng.Uniform());
                for (var turn = 0; turn < 3; turn++)
                {
                    var utilities = new double[2];
                    var attributes = new Dictionary<string, double>[2];
                    for (var k = 0; k < 2; k++)
                    {
                        attributes[k] = ConstructivenessAnalysis.Attributes.ToDictionary(a => a, _ => rng.Uniform());
                        attributes[k]["compassion"] = Math.Clamp(0.3 + 0.6 * prompt["compassion"] + 0.1 * rng.Normal(), 0, 1);
                        utilities[k] = 3 * attributes[k]["reasoning"] * attributes[k]["nuance"] - 2 * attributes[k]["personal_story"]
                            - (younger ? 2.5 : 0) * attributes[k]["toxicity"] + rng.Normal();
                    }
                    for (var k = 0; k < 2; k++)
                        rows.Add(new ScoredResponse($"u{user}", $"u{user}-c{conversation}", $"m{(user + k) % 4}", type,
                            utilities[k] > utilities[1 - k], Math.Clamp(50 + 12 * utilities[k], 1, 100), attributes[k], prompt,
                            new Dictionary<string, bool> { ["younger"] = younger, ["male"] = male }));
                }
            }
        }
        return rows;
    }
}
