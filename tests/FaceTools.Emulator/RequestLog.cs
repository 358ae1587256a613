using System.Text.Json;
using System.Text.Json.Nodes;

namespace FaceTools.Emulator;

/// <summary>One API request as the log shows it. Holds no secret, signature or session token.</summary>
public sealed class RequestLogEntry
{
    public long Seq { get; init; }
    public string RequestId { get; init; }
    public string Operation { get; set; }
    public string ClientRequestToken { get; set; }
    public List<string> FaceIds { get; set; }
    public string CollectionId { get; set; }
    public string UserId { get; set; }
    /// <summary>Null while unanswered, and for Drop/Hang, which never answer.</summary>
    public int? StatusCode { get; set; }
    public string ErrorCode { get; set; }
    public string Fault { get; set; }
    public bool Replayed { get; set; }
    public string AccessKeyId { get; set; }
    /// <summary>How many API requests the emulator was handling when this one arrived, itself included.</summary>
    public int InFlight { get; set; }
    public string ExternalImageId { get; set; }

    /// <summary>Copies the identifying request fields, leniently: a malformed body just leaves them empty.</summary>
    public void TakeFieldsFrom(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return;
            string Str(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            ClientRequestToken = Str("ClientRequestToken");
            CollectionId = Str("CollectionId");
            UserId = Str("UserId");
            ExternalImageId = Str("ExternalImageId");
            if (root.TryGetProperty("FaceIds", out var ids) && ids.ValueKind == JsonValueKind.Array)
                FaceIds = ids.EnumerateArray().Select(i => i.ValueKind == JsonValueKind.String ? i.GetString() : i.GetRawText()).ToList();
            else if (Str("FaceId") is { } single)
                FaceIds = [single];
        }
        catch (JsonException) { }
    }

    public JsonObject ToJson() => new()
    {
        ["Seq"] = Seq,
        ["RequestId"] = RequestId,
        ["Operation"] = Operation,
        ["ClientRequestToken"] = ClientRequestToken,
        ["FaceIds"] = FaceIds == null ? null : new JsonArray(FaceIds.Select(f => (JsonNode)JsonValue.Create(f)).ToArray()),
        ["CollectionId"] = CollectionId,
        ["UserId"] = UserId,
        ["StatusCode"] = StatusCode,
        ["ErrorCode"] = ErrorCode,
        ["Fault"] = Fault,
        ["Replayed"] = Replayed,
        ["AccessKeyId"] = AccessKeyId,
        ["InFlight"] = InFlight,
        ["ExternalImageId"] = ExternalImageId,
    };
}

/// <summary>Every API request in arrival order (Seq from 1; reset starts again at 1).</summary>
public sealed class RequestLog
{
    private readonly object _gate = new();
    private readonly List<RequestLogEntry> _entries = [];
    private long _nextSeq = 1;

    public RequestLogEntry Begin(string requestId)
    {
        lock (_gate)
        {
            var entry = new RequestLogEntry { Seq = _nextSeq++, RequestId = requestId };
            _entries.Add(entry);
            return entry;
        }
    }

    /// <summary>Changes an entry under the log's lock, so a concurrent read never sees half an update.</summary>
    public void Update(RequestLogEntry entry, Action<RequestLogEntry> change)
    {
        lock (_gate) change(entry);
    }

    public JsonArray ToJson(string operation)
    {
        lock (_gate)
            return new JsonArray(_entries.Where(e => operation == null || e.Operation == operation)
                .Select(e => (JsonNode)e.ToJson()).ToArray());
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _nextSeq = 1;
        }
    }
}
