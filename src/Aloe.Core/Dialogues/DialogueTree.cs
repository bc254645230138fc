using Aloe.Core.Conversations;

namespace Aloe.Core.Dialogues;

/// <summary>
/// A dialogue's turns as a tree. The main path starts at the first turn and follows, from each
/// node, the child under the answer that was chosen (s_i); an expanded branch hangs under the
/// answer that was not.
/// </summary>
public sealed class DialogueTree
{
    readonly Dictionary<(long?, Branch?), DialogueTurn> children;
    readonly Dictionary<long, DialogueTurn> byId;

    public DialogueTree(Dialogue dialogue, IEnumerable<DialogueTurn> turns)
    {
        Dialogue = dialogue;
        Turns = turns.OrderBy(t => t.Index).ThenBy(t => t.Id).ToList();
        byId = Turns.ToDictionary(t => t.Id);
        children = new();
        foreach (var turn in Turns)
            children.TryAdd((turn.ParentId, turn.ParentBranch), turn);
    }

    public Dialogue Dialogue { get; }
    public IReadOnlyList<DialogueTurn> Turns { get; }
    public PersonaText Persona => new(Dialogue.Profile, Dialogue.Personality);

    public DialogueTurn? Root => Child(null, null);

    public DialogueTurn? Child(DialogueTurn? parent, Branch? branch) =>
        children.GetValueOrDefault((parent?.Id, parent is null ? null : branch));

    /// <summary>The turns from <paramref name="start"/> (or the first turn) following the chosen answers.</summary>
    public IReadOnlyList<DialogueTurn> PathFrom(DialogueTurn? start)
    {
        var path = new List<DialogueTurn>();
        for (var turn = start ?? Root; turn is not null; turn = Child(turn, turn.Chosen))
            path.Add(turn);
        return path;
    }

    public IReadOnlyList<DialogueTurn> MainPath() => PathFrom(null);

    /// <summary>True when the turn lies on the main path.</summary>
    public bool IsOnMainPath(DialogueTurn turn)
    {
        for (var t = turn; t.ParentId is { } parentId; t = byId[parentId])
            if (byId[parentId].Chosen != t.ParentBranch)
                return false;
        return true;
    }

    /// <summary>The turns from the first one down to <paramref name="turn"/> (inclusive).</summary>
    public IReadOnlyList<DialogueTurn> Lineage(DialogueTurn turn)
    {
        var lineage = new List<DialogueTurn> { turn };
        for (var t = turn; t.ParentId is { } parentId; t = byId[parentId])
            lineage.Add(byId[parentId]);
        lineage.Reverse();
        return lineage;
    }

    /// <summary>
    /// The conversation before <paramref name="turn"/>'s user message: each earlier message with
    /// the answer that actually led towards this turn (the chosen one on the main path).
    /// </summary>
    public IReadOnlyList<Exchange> HistoryBefore(DialogueTurn turn)
    {
        var lineage = Lineage(turn);
        return lineage.Zip(lineage.Skip(1), (earlier, later) => new Exchange(earlier.UserMessage, earlier.Answer(later.ParentBranch!.Value))).ToList();
    }

    /// <summary>The conversation up to and including <paramref name="parent"/>'s answer on <paramref name="branch"/>.</summary>
    public IReadOnlyList<Exchange> HistoryThrough(DialogueTurn? parent, Branch? branch) =>
        parent is null ? [] : [.. HistoryBefore(parent), new Exchange(parent.UserMessage, parent.Answer(branch!.Value))];

    /// <summary>Which branches lead from the first turn to this one ("P", "R"), a stable address for seeding.</summary>
    public string Address(DialogueTurn? parent, Branch? branch) =>
        parent is null ? "" : string.Concat(Lineage(parent).Skip(1).Select(t => t.ParentBranch == Branch.Preferred ? "P" : "R")) + (branch == Branch.Preferred ? "P" : "R");
}
