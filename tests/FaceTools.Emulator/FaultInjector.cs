using System.Text.Json;
using System.Text.Json.Nodes;

namespace FaceTools.Emulator;

/// <summary>The misbehaviours a test can ask for. Each is described where it is carried out (<see cref="ApiHandler"/>).</summary>
public enum FaultKind
{
    Throttle,
    ProvisionedThroughput,
    Conflict,
    InternalError,
    Http500,
    Http503,
    Drop,
    Delay,
    Hang,
    TruncatedJson,
    HtmlBadGateway,
    Redirect,
    EmptyOk,
    ExtraFields,
    Missing__type,
    WrongContentType,
}

/// <summary>One rule: which operation (null = any), what to do, and how often (the next Count matches, with a
/// seeded Probability, or both; neither = every match).</summary>
public sealed class FaultRule
{
    public string Operation { get; init; }
    public FaultKind Kind { get; init; }
    public int? Count { get; init; }
    public double? Probability { get; init; }
    public int DelayMs { get; init; }
    public int? Remaining { get; set; }
    public int Applied { get; set; }

    public JsonObject ToJson() => new()
    {
        ["Operation"] = Operation,
        ["Kind"] = Kind.ToString(),
        ["Count"] = Count,
        ["Probability"] = Probability,
        ["DelayMs"] = DelayMs,
        ["Remaining"] = Remaining,
        ["Applied"] = Applied,
    };
}

/// <summary>
/// Decides which fault, if any, hits each API request. Rules are tried in order and the first match wins; the random
/// draws come from one generator seeded by the rule set, so a run is deterministic given the order of requests.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private List<FaultRule> _rules = [];
    private Random _random = new(0);
    private int _seed;

    public FaultRule Decide(string operation)
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.Operation != null && rule.Operation != operation) continue;
                if (rule.Remaining is <= 0) continue;
                // Draw only for rules with a probability, so Count-only rule sets never consume randomness.
                if (rule.Probability is double p && _random.NextDouble() >= p) continue;
                if (rule.Remaining is int n) rule.Remaining = n - 1;
                rule.Applied++;
                return rule;
            }
            return null;
        }
    }

    /// <summary>Replaces all rules from <c>{"Seed":42,"Rules":[...]}</c>; throws FormatException with a reason.</summary>
    public void Replace(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new FormatException("the body must be a JSON object");
        var seed = 0;
        if (body.TryGetProperty("Seed", out var s) && s.ValueKind != JsonValueKind.Null)
        {
            if (s.ValueKind != JsonValueKind.Number || !s.TryGetInt32(out seed)) throw new FormatException("Seed must be an integer");
        }
        var rules = new List<FaultRule>();
        if (body.TryGetProperty("Rules", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array) throw new FormatException("Rules must be a list");
            foreach (var r in list.EnumerateArray()) rules.Add(ParseRule(r));
        }
        lock (_gate)
        {
            _rules = rules;
            _seed = seed;
            _random = new Random(seed);
        }
    }

    private static FaultRule ParseRule(JsonElement r)
    {
        if (r.ValueKind != JsonValueKind.Object) throw new FormatException("each rule must be an object");
        string Str(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        JsonElement? Num(string name) => r.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.Number ? v : throw new FormatException($"{name} must be a number")
            : null;

        var kindText = Str("Kind") ?? throw new FormatException("each rule needs a Kind");
        if (!Enum.TryParse<FaultKind>(kindText, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            throw new FormatException($"unknown fault Kind '{kindText}'; known: {string.Join(", ", Enum.GetNames<FaultKind>())}");
        var operation = Str("Operation");
        if (operation != null && !RekognitionOperations.Names.Contains(operation))
            throw new FormatException($"unknown Operation '{operation}'");
        int? count = Num("Count")?.GetInt32();
        if (count is < 0) throw new FormatException("Count must be 0 or more");
        double? probability = Num("Probability")?.GetDouble();
        if (probability is < 0 or > 1) throw new FormatException("Probability must be from 0 to 1");
        var delay = Num("DelayMs")?.GetInt32() ?? 0;
        if (delay < 0) throw new FormatException("DelayMs must be 0 or more");
        return new FaultRule { Operation = operation, Kind = kind, Count = count, Probability = probability, DelayMs = delay, Remaining = count };
    }

    public JsonObject Describe()
    {
        lock (_gate)
            return new JsonObject { ["Seed"] = _seed, ["Rules"] = new JsonArray(_rules.Select(r => (JsonNode)r.ToJson()).ToArray()) };
    }

    public void Reset()
    {
        lock (_gate)
        {
            _rules = [];
            _seed = 0;
            _random = new Random(0);
        }
    }
}
