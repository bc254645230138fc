using System.Globalization;

namespace Aloe.Core.Llm.Simulated;

/// <summary>The persona-aware stand-ins: role-play user, induction, responders, judge and verifier.</summary>
internal static class SimRoles
{
    // ---- role-play user -------------------------------------------------------------------

    /// <summary>
    /// The next user message: turn t reveals the next one or two persona items (profile facts
    /// and personality traits, in an order fixed per persona), written in the persona's style;
    /// after the first turn it reacts to the chatbot's last reply.
    /// </summary>
    public static string RolePlay(string profile, string personality, IReadOnlyList<string> chatbotReplies, int turn, SimRandom personaRandom, SimRandom turnRandom)
    {
        var style = SimStyles.OfPersonality(personality);
        var facts = personaRandom.Shuffle(SimText.Facts(profile));
        var traits = personaRandom.Shuffle(SimText.Traits(personality));
        // Two facts for every trait, starting with a fact: a conversation is led by its topic.
        var queue = new List<string>();
        for (int f = 0, t = 0; f < facts.Count || t < traits.Count;)
        {
            if (f < facts.Count) queue.Add(SimText.FirstPerson(facts[f++]));
            if (f < facts.Count) queue.Add(SimText.FirstPerson(facts[f++]));
            if (t < traits.Count) queue.Add(TraitSentence(traits[t++]));
        }
        var start = 0;
        var count = 0;
        for (var i = 0; i <= turn; i++)
        {
            start += count;
            count = personaRandom.Chance(0.5) ? 2 : 1;
        }
        var revealed = queue.Skip(start).Take(count).Select(SimText.Sentence).ToList();

        var parts = new List<string>();
        if (turn == 0)
            parts.Add(turnRandom.Pick(Openers(style)));
        else if (chatbotReplies.Count > 0)
            parts.Add(React(style, Topic(chatbotReplies[^1], turnRandom), turnRandom));
        if (revealed.Count > 0)
            parts.AddRange(revealed.Select(s => Styled(s, style)));
        else if (facts.Count > 0)
            parts.Add($"Anyway, I keep thinking about it: {SimText.FirstPerson(turnRandom.Pick(facts))}.");
        parts.Add(turnRandom.Pick(Closers(style)));
        return string.Join(" ", parts.Where(p => p.Length > 0));
    }

    static string TraitSentence(string trait)
    {
        var first = SimText.FirstPerson(trait);
        return first.StartsWith("I ", StringComparison.Ordinal) && !first.StartsWith("I'm", StringComparison.Ordinal) && trait.Contains(' ')
            ? first
            : "People say I'm " + trait.ToLowerInvariant();
    }

    static string Styled(string sentence, SimStyle? style) => style switch
    {
        SimStyle.Energetic => sentence.TrimEnd('.') + "!",
        SimStyle.Reserved => char.ToLowerInvariant(sentence[0]) + sentence[1..],
        _ => sentence,
    };

    static string[] Openers(SimStyle? style) => style switch
    {
        SimStyle.Energetic => ["Hey there! Wow, what a day!", "Hi!! I'm so excited to chat!", "Hello! Awesome to meet you!"],
        SimStyle.Reserved => ["hm, hi.", "hi. I guess I'll start, quietly.", "hello. calm evening here."],
        SimStyle.Analytical => ["Hi. I was actually wondering about something today.", "Hello. Interesting week, actually.", "Hi, quick question I was wondering about."],
        SimStyle.Warm => ["Hi! I hope your day is going well.", "Hello, glad to have someone to talk to.", "Aw, hi there, hope you're doing fine."],
        SimStyle.Playful => ["Haha, hello, stranger.", "Hi! Fair warning, I'm kidding half the time.", "Hey, lol, where do I even start."],
        _ => ["Hi there.", "Hello.", "Hey, how's it going?"],
    };

    static string[] Closers(SimStyle? style) => style switch
    {
        SimStyle.Energetic => ["What about you?!", "Isn't that awesome?", "Tell me something amazing!"],
        SimStyle.Reserved => ["anyway.", "that's about it.", "hm."],
        SimStyle.Analytical => ["What do you actually think?", "I'm wondering how you see it.", "Interesting, right?"],
        SimStyle.Warm => ["I hope that's not too much.", "How are you doing, really?", "Glad I could share that."],
        SimStyle.Playful => ["Don't judge me, haha.", "Lol, anyway.", "I'm only half kidding."],
        _ => ["What do you think?", "How about you?", ""],
    };

    static string React(SimStyle? style, string topic, SimRandom r) => style switch
    {
        SimStyle.Energetic => r.Pick(new[] { $"Wow, {topic}, love that!", $"Oh, {topic}? Awesome!" }),
        SimStyle.Reserved => r.Pick(new[] { $"hm, {topic}. maybe.", $"{topic}, I guess." }),
        SimStyle.Analytical => r.Pick(new[] { $"Interesting point about {topic}.", $"Actually, {topic} is a fair point." }),
        SimStyle.Warm => r.Pick(new[] { $"Aw, that's kind of you, {topic} and all.", $"I'm glad you mentioned {topic}." }),
        SimStyle.Playful => r.Pick(new[] { $"Haha, {topic}? Sure.", $"Lol, {topic}, classic." }),
        _ => r.Pick(new[] { $"Right, {topic}.", $"Okay, {topic}." }),
    };

    /// <summary>A word of the reply worth reacting to (its longest content word among the first ones).</summary>
    static string Topic(string reply, SimRandom r)
    {
        var words = SimText.Words(reply).Take(40).Where(w => w.Length >= 5 && SimText.ContentWords(w).Count > 0).Distinct().ToList();
        return words.Count == 0 ? "that" : r.Pick(words.OrderByDescending(w => w.Length).Take(3).ToList());
    }

    // ---- induction --------------------------------------------------------------------------

    /// <summary>The persona items the user's (A) lines reveal, in the profile's own words; "None" where nothing is revealed.</summary>
    public static string Induction(string userLines, string profile, string personality)
    {
        var said = SimText.ContentWords(userLines);
        var facts = SimText.Facts(profile).Where(f => SimText.Coverage(f, said) >= 0.6).ToList();
        var traits = SimText.Traits(personality).Where(t => SimText.Coverage(t, said) >= 0.6).ToList();
        var profileText = facts.Count == 0 ? "None" : string.Join(". ", facts.Select(f => f.TrimEnd('.'))) + ".";
        var traitText = traits.Count == 0 ? "None" : string.Join(", ", traits);
        return $"Profile: {profileText}\nPersonalities: {traitText}";
    }

    // ---- responders -------------------------------------------------------------------------

    /// <summary>
    /// A reply to the user's message that refers to what is known about the user (second-person
    /// statements) and speaks in the user's style when known; with neither it is a polite,
    /// generic reply.
    /// </summary>
    public static string Respond(string userMessage, IReadOnlyList<string> knownAboutUser, SimStyle? style, SimRandom r)
    {
        var parts = new List<string> { r.Pick(ReplyOpeners(style)) };
        foreach (var fact in knownAboutUser)
            parts.Add(r.Pick(new[] { $"Since {fact}, I can see why this matters to you.", $"It makes sense, given that {fact}.", $"Knowing that {fact}, this fits you well." }));
        if (knownAboutUser.Count == 0)
            parts.Add(r.Pick(GenericBodies));
        parts.Add(r.Pick(ReplyQuestions(style)));
        return string.Join(" ", parts);
    }

    static readonly string[] GenericBodies =
    [
        "There are a lot of ways to look at it, and it often depends on the situation.",
        "Many people feel similarly, and it can be worth thinking about what matters most.",
        "It's a common topic, and there is no single right answer.",
        "Everyone approaches this differently, so it helps to consider a few options.",
    ];

    static string[] ReplyOpeners(SimStyle? style) => style switch
    {
        SimStyle.Energetic => ["Oh wow, that's awesome!", "Wow, how amazing!", "That's awesome to hear!"],
        SimStyle.Reserved => ["That sounds nice, no rush at all.", "Hm, that sounds calm and good.", "Quietly, that sounds lovely."],
        SimStyle.Analytical => ["Interesting, let's look at that specifically.", "That's actually an interesting detail.", "Interesting point, specifically the way you put it."],
        SimStyle.Warm => ["Aw, I'm really glad you shared that.", "I'm glad you told me, and I hope it's going well.", "Aw, that's lovely, I hope you enjoy it."],
        SimStyle.Playful => ["Haha, love it.", "Haha, that's the funniest thing I've heard today.", "Lol, fair enough."],
        _ => ["Thanks for sharing that.", "Thank you for telling me.", "That's a good point."],
    };

    static string[] ReplyQuestions(SimStyle? style) => style switch
    {
        SimStyle.Energetic => ["What's the most amazing part for you?", "What's next on your awesome list?"],
        SimStyle.Reserved => ["Would you like to say a bit more, whenever you're ready?", "Is there a calm moment you enjoy most?"],
        SimStyle.Analytical => ["What specifically drew you to it?", "I'm wondering, what detail matters most to you?"],
        SimStyle.Warm => ["How are you feeling about it all?", "I hope it brings you joy; what do you love most about it?"],
        SimStyle.Playful => ["So, what's the funniest thing that happened?", "Any good stories, or am I kidding myself?"],
        _ => ["Is there anything else you would like to talk about?", "What would you like to discuss next?"],
    };

    /// <summary>What the user said about themselves in their messages, as second-person clauses ("you play the cello").</summary>
    public static List<string> StatementsAbout(IEnumerable<string> userMessages) =>
        userMessages
            .SelectMany(m => m.Split(['.', '!', '?'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(s => s.StartsWith("I ", StringComparison.OrdinalIgnoreCase) || s.StartsWith("I'm ", StringComparison.OrdinalIgnoreCase)
                || s.StartsWith("my ", StringComparison.OrdinalIgnoreCase) || s.StartsWith("People say I'm ", StringComparison.Ordinal))
            .Where(s => !s.StartsWith("I guess", StringComparison.OrdinalIgnoreCase) && !s.StartsWith("I hope", StringComparison.OrdinalIgnoreCase)
                && !s.StartsWith("I'm so excited", StringComparison.OrdinalIgnoreCase) && !s.StartsWith("I'm only", StringComparison.OrdinalIgnoreCase)
                && !s.StartsWith("I'm kidding", StringComparison.OrdinalIgnoreCase) && !s.StartsWith("I keep", StringComparison.OrdinalIgnoreCase)
                && !s.StartsWith("I was actually", StringComparison.OrdinalIgnoreCase) && !s.StartsWith("I'm wondering", StringComparison.OrdinalIgnoreCase))
            .Select(s => s.StartsWith("People say ", StringComparison.Ordinal) ? s["People say ".Length..] : s)
            .Select(s => SimText.SecondPerson(s.Length > 1 && s[0] == 'i' ? "I" + s[1..] : s.Length > 2 && s.StartsWith("my ", StringComparison.Ordinal) ? "My" + s[2..] : s))
            .Select(s => char.ToLowerInvariant(s[0]) + s[1..])
            .Distinct()
            .ToList();

    /// <summary>The inferred persona of a hint ("Profile: ... Personalities: ...") as second-person clauses.</summary>
    public static List<string> StatementsFromPersona(string profile) =>
        SimText.Facts(profile).Select(f => SimText.SecondPerson(SimText.FirstPerson(f))).Select(s => char.ToLowerInvariant(s[0]) + s[1..])
            .Select(s => s.StartsWith("one thing about you: ", StringComparison.Ordinal) ? s["one thing about you: ".Length..] : s).ToList();

    // ---- judge and verifier -----------------------------------------------------------------

    /// <summary>
    /// How well a response fits the persona, 1 to 5 before noise: one point each for up to two
    /// profile facts it picks up, one for speaking in the personality's style, one for being
    /// engaging and concise (a question, under 120 words).
    /// </summary>
    public static double Fit(string profile, string personality, string response)
    {
        var words = SimText.ContentWords(response);
        var facts = SimText.Facts(profile).Count(f => SimText.Coverage(f, words) >= 0.5);
        var style = SimStyles.OfPersonality(personality);
        var styled = style is { } s && SimStyles.Shows(response, s) ? 1 : 0;
        var engaging = response.Contains('?') && SimText.Words(response).Count < 120 ? 1 : 0;
        return 1 + Math.Min(facts, 2) + styled + engaging;
    }

    /// <summary>The judge's score: the fit with a judge's occasional disagreement (deterministic per request).</summary>
    public static string Judge(string profile, string personality, string response, SimRandom r)
    {
        var score = (int)Fit(profile, personality, response);
        var noise = r.NextDouble();
        if (noise < 0.12) score--;
        else if (noise > 0.92) score++;
        return Math.Clamp(score, 1, 5).ToString(CultureInfo.InvariantCulture);
    }

    public static string Verify(string profile, string personality, string a, string b, SimRandom r)
    {
        var fitA = Fit(profile, personality, a);
        var fitB = Fit(profile, personality, b);
        return fitA > fitB ? "A" : fitB > fitA ? "B" : r.Chance(0.5) ? "A" : "B";
    }
}
