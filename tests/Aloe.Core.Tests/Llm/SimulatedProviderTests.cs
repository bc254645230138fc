using Aloe.Core.Conversations;
using Aloe.Core.Llm;
using Aloe.Core.Prompts;
using Aloe.Testing;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;

namespace Aloe.Core.Tests.Llm;

public sealed class SimulatedProviderTests(ITestOutputHelper output)
{
    static readonly PersonaText Musician = new(
        "A 34-year-old nurse living in a small coastal town. Has two daughters in elementary school. Plays the cello in a community orchestra. Keeps a vegetable garden. Has a rescue greyhound named Pepper. Studied history at a state university. Once ran a food truck. Walks to work.",
        "Outgoing, enthusiastic, talkative, cheerful, values punctuality, a bit stubborn, open-minded, loves surprises.");

    static readonly PersonaText Quiet = new(
        "A 61-year-old retired postal worker living in a mountain village. Lives alone and likes it that way. Builds model trains. Birdwatches at dawn. Has an old beagle named Biscuit. Speaks three languages. Never skips breakfast. Visits the library every week.",
        "Introverted, reserved, quiet, calm, dislikes being rushed, prefers deep conversations to small talk, independent, nostalgic.");

    static async Task<TestHost> StartAsync(Action<Microsoft.Extensions.Hosting.IHostApplicationBuilder>? configure = null) =>
        await TestHost.StartAsync(b => { configure?.Invoke(b); b.AddLlm(); });

    static string Render(TestHost host, string name, Dictionary<string, string> values) => host.Get<PromptLibrary>().Get(name).Render(values);

    static Task<LlmResponse> Ask(ILlmGateway llm, LlmRole role, string prompt, int sample = 0, RoleBinding? binding = null) =>
        llm.CompleteAsync(new LlmRequest(role, [new ChatMessage(ChatRole.User, prompt)]) { SampleIndex = sample, Binding = binding }, CancellationToken.None);

    [Fact]
    public async Task EveryRoleIsSimulatedByDefaultAndTheEvaluatedModelIsSimAdaptive()
    {
        await using var host = await StartAsync();
        var llm = host.Get<ILlmGateway>();
        Assert.All(Enum.GetValues<LlmRole>(), r => Assert.True(llm.IsSimulated(r)));
        Assert.Equal("sim-adaptive", llm.ResolveRoles()[LlmRole.Evaluated].Model);
        Assert.Equal(0.8f, llm.ResolveRoles()[LlmRole.Generator].Temperature);
        Assert.All(new[] { LlmRole.RolePlay, LlmRole.Induction, LlmRole.Preferred, LlmRole.Rejected, LlmRole.Judge }, r => Assert.Equal(300, llm.ResolveRoles()[r].MaxTokens));
        var overridden = llm.ResolveRoles(new Dictionary<LlmRole, RoleBinding> { [LlmRole.Evaluated] = new("simulated", "sim-generic", 0.7f, 300) });
        Assert.Equal("sim-generic", overridden[LlmRole.Evaluated].Model);
    }

    [Fact]
    public async Task SameSeedAndRequestGiveTheSameTextAndAnotherSeedDoesNot()
    {
        var prompt = "";
        string first, second, otherSeed;
        await using (var host = await StartAsync())
        {
            prompt = Render(host, PromptNames.GeneratorProfile, new() { ["SeedExamples"] = Musician.Profile + "\n" + Quiet.Profile });
            first = (await Ask(host.Get<ILlmGateway>(), LlmRole.Generator, prompt)).Text;
        }
        await using (var host = await StartAsync())
            second = (await Ask(host.Get<ILlmGateway>(), LlmRole.Generator, prompt)).Text;
        await using (var host = await StartAsync(b => b.Configuration["Llm:Endpoints:simulated:Seed"] = "42"))
            otherSeed = (await Ask(host.Get<ILlmGateway>(), LlmRole.Generator, prompt)).Text;

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public async Task GeneratorWritesTwentyNewProfilesWithAFewNearDuplicatesOfItsExamples()
    {
        await using var host = await StartAsync();
        var examples = new[] { Musician.Profile, Quiet.Profile };
        var prompt = Render(host, PromptNames.GeneratorProfile, new() { ["SeedExamples"] = string.Join("\n", examples) });

        var lines = (await Ask(host.Get<ILlmGateway>(), LlmRole.Generator, prompt)).Text.Split('\n');
        foreach (var line in lines) output.WriteLine(line);

        Assert.Equal(20, lines.Distinct().Count());
        var embedder = new LexicalEmbedder();
        var maxSimilarity = lines.Select(l => examples.Max(e => Cosine(embedder.Embed(l), embedder.Embed(e)))).ToList();
        Assert.InRange(maxSimilarity.Count(s => s > 0.8), 1, 5);
        Assert.True(maxSimilarity.Count(s => s < 0.6) >= 14);
    }

    [Fact]
    public async Task GeneratorPoolsGrowPastThreeHundredDistinctItems()
    {
        await using var host = await StartAsync();
        var llm = host.Get<ILlmGateway>();
        var pool = new HashSet<string> { Musician.Personality, Quiet.Personality };
        for (var round = 0; round < 20; round++)
        {
            var prompt = Render(host, PromptNames.GeneratorPersonality, new() { ["SeedExamples"] = string.Join("\n", pool.TakeLast(5)) });
            foreach (var line in (await Ask(llm, LlmRole.Generator, prompt)).Text.Split('\n'))
                pool.Add(line);
        }
        Assert.True(pool.Count > 300, $"pool has {pool.Count}");
    }

    [Fact]
    public async Task RolePlayRevealsAFewFactsPerTurnAndInductionReportsWhatWasRevealed()
    {
        await using var host = await StartAsync();
        var llm = host.Get<ILlmGateway>();
        var user = new RolePlayUser(host.Get<ILlmGateway>(), host.Get<PromptLibrary>());
        var history = new List<Exchange>();
        var revealedCounts = new List<int>();
        for (var turn = 0; turn < 6; turn++)
        {
            var message = await user.NextMessageAsync(Musician, history, new LlmCallOptions(), CancellationToken.None);
            output.WriteLine("A: " + message);
            var induction = (await Ask(llm, LlmRole.Induction, Render(host, PromptNames.Induction, new()
            {
                ["ConversationHistory"] = Transcript.AsAB(history, message),
                ["UserProfile"] = Musician.Profile,
                ["UserPersonalities"] = Musician.Personality,
            }))).Text;
            output.WriteLine("  induction: " + induction.Replace("\n", " / "));
            Assert.Matches(@"^Profile: .+\nPersonalities: .+$", induction);
            revealedCounts.Add(induction.Split('\n')[0].Split(". ").Length - (induction.StartsWith("Profile: None") ? 1 : 0));
            var reply = (await llm.CompleteAsync(new LlmRequest(LlmRole.Evaluated, history.SelectMany(e => new[] { new ChatMessage(ChatRole.User, e.User), new ChatMessage(ChatRole.Assistant, e.Assistant) }).Append(new ChatMessage(ChatRole.User, message)).ToList()), CancellationToken.None)).Text;
            output.WriteLine("B: " + reply);
            history.Add(new Exchange(message, reply));
        }
        Assert.InRange(revealedCounts[0], 1, 2);
        Assert.True(revealedCounts[^1] > revealedCounts[0] && revealedCounts[^1] < 8, string.Join(",", revealedCounts));
        Assert.Contains("!", history[0].User);
    }

    [Fact]
    public async Task InductionSaysNoneWhenTheUserRevealedNothing()
    {
        await using var host = await StartAsync();
        var text = (await Ask(host.Get<ILlmGateway>(), LlmRole.Induction, Render(host, PromptNames.Induction, new()
        {
            ["ConversationHistory"] = "A: Hi there, how is it going?",
            ["UserProfile"] = Quiet.Profile,
            ["UserPersonalities"] = Quiet.Personality,
        }))).Text;
        Assert.Equal("Profile: None\nPersonalities: None", text);
    }

    [Fact]
    public async Task InductionAnswersTheLastMessageWhenWorkedExamplesComeFirst()
    {
        await using var host = await StartAsync();
        var example = Render(host, PromptNames.Induction, new()
        {
            ["ConversationHistory"] = "A: I build model trains in my spare time.",
            ["UserProfile"] = Quiet.Profile,
            ["UserPersonalities"] = Quiet.Personality,
        });
        var request = Render(host, PromptNames.Induction, new()
        {
            ["ConversationHistory"] = "A: I play the cello in a community orchestra, and my rescue greyhound Pepper comes to every rehearsal!",
            ["UserProfile"] = Musician.Profile,
            ["UserPersonalities"] = Musician.Personality,
        });

        var text = (await host.Get<ILlmGateway>().CompleteAsync(new LlmRequest(LlmRole.Induction,
            [new ChatMessage(ChatRole.User, example), new ChatMessage(ChatRole.Assistant, "Profile: Builds model trains.\nPersonalities: None"), new ChatMessage(ChatRole.User, request)]),
            CancellationToken.None)).Text;

        Assert.Contains("cello", text);
        Assert.DoesNotContain("model trains", text);
    }

    [Fact]
    public async Task JudgeRatesSimAdaptiveAboveSimGenericAndOnlyAdaptiveRisesOverTurns()
    {
        await using var host = await StartAsync();
        var adaptive = await AlignmentByTurn(host, "sim-adaptive");
        var generic = await AlignmentByTurn(host, "sim-generic");
        output.WriteLine("adaptive: " + string.Join(" ", adaptive.Select(a => a.ToString("0.00"))));
        output.WriteLine("generic:  " + string.Join(" ", generic.Select(a => a.ToString("0.00"))));

        Assert.True(adaptive.Average() > generic.Average() + 1);
        Assert.True(adaptive.Skip(7).Average() > adaptive.Take(3).Average() + 1);
        Assert.True(Math.Abs(generic.Skip(7).Average() - generic.Take(3).Average()) < 0.5);
    }

    /// <summary>Average judge score per turn over both personas (the paper's AL(k)).</summary>
    async Task<double[]> AlignmentByTurn(TestHost host, string model)
    {
        var llm = host.Get<ILlmGateway>();
        var user = new RolePlayUser(host.Get<ILlmGateway>(), host.Get<PromptLibrary>());
        var scores = new double[10];
        foreach (var persona in new[] { Musician, Quiet })
        {
            var history = new List<Exchange>();
            for (var turn = 0; turn < 10; turn++)
            {
                var message = await user.NextMessageAsync(persona, history, new LlmCallOptions(), CancellationToken.None);
                var chat = history.SelectMany(e => new[] { new ChatMessage(ChatRole.User, e.User), new ChatMessage(ChatRole.Assistant, e.Assistant) })
                    .Append(new ChatMessage(ChatRole.User, message)).ToList();
                var reply = (await llm.CompleteAsync(new LlmRequest(LlmRole.Evaluated, chat) { Binding = new RoleBinding("simulated", model, 0.7f, 300) }, CancellationToken.None)).Text;
                var score = (await Ask(llm, LlmRole.Judge, Render(host, PromptNames.Judge, new()
                {
                    ["UserProfile"] = persona.Profile,
                    ["UserPersonalities"] = persona.Personality,
                    ["UserMessage"] = message,
                    ["ModelResponse"] = reply,
                }))).Text;
                scores[turn] += int.Parse(score) / 2.0;
                history.Add(new Exchange(message, reply));
            }
        }
        return scores;
    }

    static string AnswerLength(TestHost host) => host.Get<PromptLibrary>().Get(PromptNames.AnswerLength).Template;

    [Fact]
    public async Task PreferredResponderUsesTheHintAndTheVerifierPrefersIt()
    {
        await using var host = await StartAsync();
        var llm = host.Get<ILlmGateway>();
        var message = "I spent the morning in the garden before my shift!";
        var preferred = (await Ask(llm, LlmRole.Preferred, Render(host, PromptNames.Preferred, new()
        {
            ["UserMessage"] = message,
            ["InferredPersona"] = "Profile: Keeps a vegetable garden. Plays the cello in a community orchestra. Personalities: Outgoing, enthusiastic",
            ["AnswerLength"] = AnswerLength(host),
        }))).Text;
        var rejected = (await Ask(llm, LlmRole.Rejected, Render(host, PromptNames.Rejected, new() { ["UserMessage"] = message, ["AnswerLength"] = AnswerLength(host) }))).Text;
        output.WriteLine(preferred);
        output.WriteLine(rejected);

        Assert.Contains("garden", preferred);
        Assert.DoesNotContain("garden", rejected);
        // The length instruction is for a real model: the simulator never echoes it.
        Assert.DoesNotContain("sentences", preferred + rejected);
        foreach (var (a, b, expected) in new[] { (preferred, rejected, "A"), (rejected, preferred, "B") })
        {
            var choice = (await Ask(llm, LlmRole.Verifier, Render(host, PromptNames.Verifier, new()
            {
                ["UserProfile"] = Musician.Profile,
                ["UserPersonalities"] = Musician.Personality,
                ["UserMessage"] = message,
                ["ResponseA"] = a,
                ["ResponseB"] = b,
            }))).Text;
            Assert.Equal(expected, choice);
        }
    }

    [Fact]
    public async Task RepliesNeverMentionBeingSimulated()
    {
        await using var host = await StartAsync();
        var llm = host.Get<ILlmGateway>();
        var texts = new List<string>();
        var user = new RolePlayUser(host.Get<ILlmGateway>(), host.Get<PromptLibrary>());
        texts.Add(await user.NextMessageAsync(Quiet, [], new LlmCallOptions(), CancellationToken.None));
        texts.Add((await Ask(llm, LlmRole.Evaluated, "Hello, who are you?")).Text);
        texts.Add((await Ask(llm, LlmRole.Generator, Render(host, PromptNames.GeneratorPersonality, new() { ["SeedExamples"] = Quiet.Personality }))).Text);
        Assert.All(texts, t => Assert.DoesNotContain("simulat", t, StringComparison.OrdinalIgnoreCase));
    }

    static double Cosine(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
}
