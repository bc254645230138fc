namespace Aloe.Core.Llm.Simulated;

/// <summary>
/// The generator stand-in: 20 new profiles or personalities per call from combinatorial
/// vocabulary (tens of thousands of distinct items), plus a few near-duplicates of the prompt's
/// examples so that the pool's similarity filter has something to reject.
/// </summary>
internal static class SimGenerator
{
    const int PerCall = 20;
    const int NearDuplicates = 3;

    static readonly string[] Occupations =
    [
        "nurse", "high school chemistry teacher", "bus driver", "graphic designer", "software tester", "pastry chef", "librarian",
        "veterinary assistant", "electrician", "real estate agent", "dental hygienist", "freelance translator", "park ranger",
        "accountant", "physiotherapist", "barista", "carpenter", "museum guide", "pharmacist", "flight attendant", "retired postal worker",
        "graduate student in linguistics", "wedding photographer", "hotel receptionist", "landscape gardener", "social worker",
        "bike mechanic", "radio producer", "warehouse supervisor", "yoga instructor", "community college lecturer", "sound engineer",
        "insurance claims adjuster", "florist", "paramedic", "tailor", "city planner", "marine biologist", "copy editor", "farmer",
    ];

    static readonly string[] Places =
    [
        "a small coastal town", "a busy downtown apartment", "a farmhouse outside the city", "a college town in the Midwest",
        "a suburb near Toronto", "the outskirts of Lisbon", "a mountain village", "a houseboat in Amsterdam", "a quiet cul-de-sac",
        "a high-rise in Singapore", "a desert town in Arizona", "a fishing village in Norway", "a terraced house in Manchester",
        "a loft above a bakery", "a cabin by a lake", "a lively neighborhood in Mexico City", "a seaside flat in Brighton",
        "a rural part of Kenya", "a studio in Seoul", "a tiny island community",
    ];

    static readonly string[] Family =
    [
        "Has two daughters in elementary school", "Lives with a partner of ten years", "Is the oldest of five siblings",
        "Has a teenage son who plays the drums", "Recently became a grandparent", "Lives alone and likes it that way",
        "Shares a flat with two roommates", "Takes care of an elderly father", "Has twin boys who are obsessed with dinosaurs",
        "Got married last spring", "Is raising a nephew", "Has three stepchildren", "Is an only child", "Lives next door to a sister",
        "Recently moved back in with parents",
    ];

    static readonly string[] Hobbies =
    [
        "Plays the cello in a community orchestra", "Runs half marathons", "Keeps a vegetable garden", "Collects vintage vinyl records",
        "Bakes sourdough every weekend", "Goes bouldering twice a week", "Knits scarves for friends", "Restores old bicycles",
        "Plays chess online late at night", "Paints watercolor landscapes", "Birdwatches at dawn", "Sings in a church choir",
        "Builds model trains", "Practices judo", "Writes short mystery stories", "Brews kombucha at home", "Swims in the sea year-round",
        "Plays in a weekly trivia team", "Grows bonsai trees", "Dances salsa on Fridays", "Fixes up a 1978 camper van",
        "Volunteers at an animal shelter", "Plays bass in a garage band", "Hikes a new trail every month", "Learns Japanese on the bus",
        "Does jigsaw puzzles with a thousand pieces", "Makes pottery on a wheel", "Geocaches with friends", "Coaches a youth soccer team",
        "Fishes for trout in mountain streams", "Keeps bees on the roof", "Roasts coffee beans at home", "Plays tabletop role-playing games",
        "Sews costumes for local theater", "Skateboards to work", "Tends a rooftop herb garden",
    ];

    static readonly string[] Pets =
    [
        "Has a rescue greyhound named Pepper", "Owns two cats called Miso and Tofu", "Keeps a parrot that says hello",
        "Has an old beagle named Biscuit", "Takes care of a tank of tropical fish", "Has a tortoise older than the house",
        "Owns a border collie that herds the neighbors' kids", "Has a hedgehog named Spike", "Keeps backyard chickens",
        "Has a fluffy rabbit named Clover",
    ];

    static readonly string[] Education =
    [
        "Studied history at a state university", "Dropped out of art school", "Has a master's degree in public health",
        "Learned a trade through an apprenticeship", "Went back to college at forty", "Studied abroad in Italy",
        "Took night classes in accounting", "Has a degree in mechanical engineering", "Finished a coding bootcamp last year",
        "Studied music at a conservatory",
    ];

    static readonly string[] FunFacts =
    [
        "Once met a famous astronaut at an airport", "Can solve a Rubik's cube in under a minute", "Has visited every national park in the country",
        "Was on a TV quiz show as a kid", "Speaks three languages", "Has never seen the ocean", "Won a local chili cook-off",
        "Grew up on a sheep farm", "Once ran a food truck", "Keeps a journal of every book read since 2010", "Hitchhiked across Ireland",
        "Is afraid of escalators", "Holds a black belt in karate", "Built a treehouse last summer", "Sleeps only with the window open",
        "Has a collection of 200 postcards", "Recently learned to drive", "Went skydiving on a fiftieth birthday",
    ];

    static readonly string[] Food =
    [
        "Is vegetarian", "Cooks spicy Sichuan food on Sundays", "Drinks far too much espresso", "Avoids sugar", "Loves street tacos",
        "Has a weakness for pastries", "Is learning to make ramen from scratch", "Grows tomatoes for homemade sauce",
        "Never skips breakfast", "Is lactose intolerant",
    ];

    static readonly string[] Routines =
    [
        "Wakes up at five every morning", "Walks to work", "Works night shifts", "Commutes an hour by train", "Works from home most days",
        "Takes a long walk after dinner", "Spends Sunday mornings at the farmers' market", "Visits the library every week",
        "Calls a grandmother every evening", "Goes camping every summer",
    ];

    static readonly string[] PersonalityExtras =
    [
        "values punctuality", "a bit stubborn", "easily bored by routine", "open-minded", "competitive in games", "likes to plan ahead",
        "prefers deep conversations to small talk", "tends to overthink decisions", "honest to a fault", "slow to trust new people",
        "likes to give advice", "dislikes conflict", "independent", "sentimental about old photos", "forgetful about birthdays",
        "enjoys debating ideas", "takes criticism well", "loves routines", "impatient in queues", "confident in groups",
        "enjoys learning new skills", "keeps promises", "nostalgic", "easily distracted", "decisive", "appreciates directness",
        "dislikes being rushed", "self-deprecating", "tends to apologise a lot", "loves surprises",
    ];

    /// <summary>The profile generator prompt's answer: one profile per line.</summary>
    public static string Profiles(IReadOnlyList<string> examples, SimRandom random)
    {
        var lines = NearDuplicatesOf(examples, random, FactsForDuplicate);
        while (lines.Count < PerCall)
            lines.Add(NewProfile(random));
        return string.Join("\n", random.Shuffle(lines));
    }

    /// <summary>The personality generator prompt's answer: one description per line.</summary>
    public static string Personalities(IReadOnlyList<string> examples, SimRandom random)
    {
        var lines = NearDuplicatesOf(examples, random, TraitsForDuplicate);
        while (lines.Count < PerCall)
            lines.Add(NewPersonality(random));
        return string.Join("\n", random.Shuffle(lines));
    }

    static string NewProfile(SimRandom r)
    {
        var facts = new List<string>
        {
            $"{Article(18 + r.Next(58))} {r.Pick(Occupations)} living in {r.Pick(Places)}",
            r.Pick(Family),
        };
        var pools = r.Shuffle(new[] { Hobbies, Hobbies, Pets, Education, FunFacts, FunFacts, Food, Routines });
        var count = 6 + r.Next(3);
        foreach (var pool in pools.Take(count))
        {
            var fact = r.Pick(pool);
            if (!facts.Contains(fact))
                facts.Add(fact);
        }
        return string.Join(". ", facts) + ".";
    }

    static string Article(int age) => (age is 18 or (>= 80 and < 90) ? "An " : "A ") + age + "-year-old";

    static string NewPersonality(SimRandom r)
    {
        var styles = Enum.GetValues<SimStyle>();
        var main = r.Pick(styles);
        var second = r.Pick(styles.Where(s => s != main).ToList());
        var traits = r.Shuffle(SimStyles.TraitWordsOf(main).Where(t => !t.Contains(' '))).Take(3 + r.Next(2))
            .Concat(r.Shuffle(SimStyles.TraitWordsOf(second).Where(t => !t.Contains(' '))).Take(1))
            .Concat(r.Shuffle(PersonalityExtras).Take(4 + r.Next(2)))
            .Distinct().ToList();
        var text = string.Join(", ", traits);
        return char.ToUpperInvariant(text[0]) + text[1..] + ".";
    }

    static List<string> NearDuplicatesOf(IReadOnlyList<string> examples, SimRandom r, Func<string, SimRandom, string> vary) =>
        examples.Count == 0 ? [] : Enumerable.Range(0, NearDuplicates).Select(_ => vary(r.Pick(examples), r)).ToList();

    /// <summary>An example with one fact swapped and the rest kept, as a careless generator would write it.</summary>
    static string FactsForDuplicate(string example, SimRandom r)
    {
        var facts = SimText.Facts(example);
        if (facts.Count == 0)
            return example;
        facts[r.Next(facts.Count)] = r.Pick(r.Chance(0.5) ? Hobbies : FunFacts);
        return string.Join(". ", facts) + ".";
    }

    static string TraitsForDuplicate(string example, SimRandom r)
    {
        var traits = SimText.Traits(example);
        if (traits.Count == 0)
            return example;
        traits[r.Next(traits.Count)] = r.Pick(PersonalityExtras);
        var text = string.Join(", ", traits);
        return char.ToUpperInvariant(text[0]) + text[1..] + ".";
    }
}
