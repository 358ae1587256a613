using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FaceTools.Engine.Protocol;

namespace FaceTools.Emulator;

/// <summary>
/// Unsigned test-control routes under <c>/_emulator/</c>: reset, seed, state, config, faults, log, health, shutdown.
/// They live on their own path, so no X-Amz-Target can reach them. Errors: 400/404 with <c>{"Error":"..."}</c>.
/// </summary>
public sealed class ControlRoutes(
    EmulatorSettings settings,
    RekognitionBackend backend,
    FaultInjector faults,
    RequestLog log,
    Func<int> apiRequestsInFlight,
    Action requestShutdown)
{
    public const string Prefix = "/_emulator/";

    private sealed class ControlException(string message, int status = 400) : Exception(message)
    {
        public int Status { get; } = status;
    }

    public async Task HandleAsync(HttpContext http, byte[] body)
    {
        http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        var route = http.Request.Path.Value![Prefix.Length..].TrimEnd('/');
        var method = http.Request.Method;
        try
        {
            JsonNode answer = (method, route) switch
            {
                ("POST", "reset") => Reset(),
                ("POST", "seed") => Seed(ParseBody(body)),
                ("GET", "state") => State(),
                ("GET", "config") => Config(),
                ("POST", "config") => SetConfig(ParseBody(body)),
                ("GET", "faults") => faults.Describe(),
                ("POST", "faults") => SetFaults(ParseBody(body)),
                ("GET", "log") => new JsonObject { ["Requests"] = log.ToJson(NullIfEmpty(http.Request.Query["operation"].ToString())) },
                ("GET", "health") => new JsonObject { ["Status"] = "Ready", ["InFlight"] = apiRequestsInFlight() },
                ("POST", "shutdown") => Shutdown(http),
                _ => throw new ControlException($"no control route {method} {Prefix}{route}", 404),
            };
            await WriteAsync(http, 200, answer);
        }
        catch (ControlException e)
        {
            await WriteAsync(http, e.Status, new JsonObject { ["Error"] = e.Message });
        }
    }

    private static string NullIfEmpty(string s) => string.IsNullOrEmpty(s) ? null : s;

    private static async Task WriteAsync(HttpContext http, int status, JsonNode answer)
    {
        var bytes = Encoding.UTF8.GetBytes(answer.ToJsonString());
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    private static JsonElement ParseBody(byte[] body)
    {
        if (body.Length == 0) return JsonDocument.Parse("{}").RootElement;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new ControlException("the body must be a JSON object");
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ControlException("the body is not valid JSON: " + e.Message);
        }
    }

    private JsonObject Reset()
    {
        backend.Reset();
        faults.Reset();
        log.Clear();
        settings.Reset();
        return new JsonObject { ["Status"] = "Reset" };
    }

    private JsonObject Shutdown(HttpContext http)
    {
        // Stop once this answer has gone out.
        http.Response.OnCompleted(() =>
        {
            requestShutdown();
            return Task.CompletedTask;
        });
        return new JsonObject { ["Status"] = "ShuttingDown" };
    }

    private JsonObject Config() => new()
    {
        ["LatencyMs"] = settings.LatencyMs,
        ["ClockSkewSeconds"] = settings.ClockSkewSeconds,
        ["Now"] = settings.Now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    private JsonObject SetConfig(JsonElement body)
    {
        int? Int(string name, int min, int max)
        {
            if (!body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n) || n < min || n > max)
                throw new ControlException($"{name} must be an integer from {min} to {max}");
            return n;
        }
        var latency = Int("LatencyMs", 0, 600_000);
        var skew = Int("ClockSkewSeconds", -10 * 365 * 86400, 10 * 365 * 86400);
        if (latency is int l) settings.LatencyMs = l;
        if (skew is int s) settings.ClockSkewSeconds = s;
        return Config();
    }

    private JsonObject SetFaults(JsonElement body)
    {
        try { faults.Replace(body); }
        catch (FormatException e) { throw new ControlException(e.Message); }
        catch (InvalidOperationException e) { throw new ControlException(e.Message); }
        return faults.Describe();
    }

    // ------------------------------------------------------------------ state and seed

    /// <summary>Everything, in the shape <c>seed</c> accepts.</summary>
    private JsonObject State() => backend.WithState(state => new JsonObject
    {
        ["Collections"] = new JsonArray(state.Collections.Values.Select(c => (JsonNode)new JsonObject
        {
            ["CollectionId"] = c.CollectionId,
            ["CollectionArn"] = c.Arn,
            ["Region"] = c.Region,
            ["CreationTimestamp"] = Math.Round(c.CreationTime.ToUnixTimeMilliseconds() / 1000.0, 3),
            ["Tags"] = new JsonObject(c.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode)JsonValue.Create(t.Value)))),
            ["Users"] = new JsonArray(c.Users.Values.Select(u => (JsonNode)new JsonObject
            {
                ["UserId"] = u.UserId,
                ["UserStatus"] = u.UserStatus,
            }).ToArray()),
            ["Faces"] = new JsonArray(c.Faces.Values.Select(f => (JsonNode)new JsonObject
            {
                ["FaceId"] = f.FaceId,
                ["UserId"] = f.UserId,
                ["ExternalImageId"] = f.ExternalImageId,
                ["ImageId"] = f.ImageId,
                ["Confidence"] = f.Confidence,
                ["BoundingBox"] = f.BoundingBox.ToJson(),
                ["IndexFacesModelVersion"] = f.IndexFacesModelVersion,
            }).ToArray()),
        }).ToArray()),
    });

    private static readonly string[] UserStatuses = ["ACTIVE", "UPDATING", "CREATING", "CREATED"];

    /// <summary>
    /// Merges collections, users and faces into the state (all or nothing: it works on a copy and swaps it in), and
    /// runs the Generate shortcut. Seeding is a back door: it does not enforce the 100-faces-per-user limit.
    /// </summary>
    private JsonObject Seed(JsonElement body)
    {
        var answer = new JsonObject();
        backend.WithState(live =>
        {
            var state = live.Clone();
            var seeded = new JsonArray();
            if (Property(body, "Collections") is { } collections)
            {
                foreach (var c in Items(collections, "Collections")) seeded.Add(SeedCollection(state, c));
            }
            answer["Collections"] = seeded;

            if (Property(body, "Generate") is { } generate)
            {
                if (generate.ValueKind == JsonValueKind.Array)
                    answer["Generated"] = new JsonArray(generate.EnumerateArray().Select(g => (JsonNode)Generate(state, g)).ToArray());
                else
                    answer["Generated"] = Generate(state, generate);
            }

            live.Collections.Clear();
            foreach (var (k, v) in state.Collections) live.Collections[k] = v;
            return 0;
        });
        return answer;
    }

    private JsonObject SeedCollection(RekognitionState state, JsonElement c)
    {
        var collection = EnsureCollection(state, c);
        var userIds = new JsonArray();
        if (Property(c, "Users") is { } users)
        {
            foreach (var u in Items(users, "Users"))
            {
                var userId = Valid(FieldRules.UserId, Str(u, "UserId"));
                var status = Str(u, "UserStatus") ?? "ACTIVE";
                if (!UserStatuses.Contains(status)) throw new ControlException($"UserStatus '{status}' is not one of {string.Join(", ", UserStatuses)}");
                collection.Users[userId] = new UserRecord { UserId = userId, UserStatus = status };
                userIds.Add(userId);
            }
        }
        var faceIds = new JsonArray();
        if (Property(c, "Faces") is { } faces)
        {
            foreach (var f in Items(faces, "Faces"))
            {
                var faceId = Str(f, "FaceId") is { } given ? Valid(FieldRules.FaceId, given) : NextSeedFaceId(collection);
                var userId = Str(f, "UserId") is { } owner ? Valid(FieldRules.UserId, owner) : null;
                if (userId != null && !collection.Users.ContainsKey(userId))
                {
                    collection.Users[userId] = new UserRecord { UserId = userId };
                    userIds.Add(userId);
                }
                var imageId = Str(f, "ImageId") is { } image ? Valid(FieldRules.FaceId, image, "ImageId") : null;
                var external = Str(f, "ExternalImageId") is { } ext ? Valid(FieldRules.ExternalImageId, ext) : null;
                double? confidence = Property(f, "Confidence") is { ValueKind: JsonValueKind.Number } conf ? conf.GetDouble() : null;
                BoundingBox box = null;
                if (Property(f, "BoundingBox") is { ValueKind: JsonValueKind.Object } b)
                    box = new BoundingBox(Num(b, "Width"), Num(b, "Height"), Num(b, "Left"), Num(b, "Top"));
                collection.Faces[faceId] = FaceRecord.WithDefaults(faceId, userId, imageId, external, confidence, box);
                faceIds.Add(faceId);
            }
        }
        return new JsonObject { ["CollectionId"] = collection.CollectionId, ["UserIds"] = userIds, ["FaceIds"] = faceIds };
    }

    /// <summary>
    /// <c>{"CollectionId":"c","Users":[{"UserId":"u1","FaceCount":100}],"FreeFaces":2500}</c>. Face IDs are
    /// GUID(SHA-256("c/u1/i")) for user u1's i-th face and GUID(SHA-256("c//i")) for the i-th free face (i from 0),
    /// where GUID(h) = the first 16 bytes of h as lower-case hex, 8-4-4-4-12. ExternalImageId is "u1.i" or "free.i".
    /// </summary>
    private JsonObject Generate(RekognitionState state, JsonElement g)
    {
        if (g.ValueKind != JsonValueKind.Object) throw new ControlException("Generate must be an object or a list of objects");
        var collection = EnsureCollection(state, g);
        var cid = collection.CollectionId;
        var users = new JsonArray();
        if (Property(g, "Users") is { } list)
        {
            foreach (var u in Items(list, "Generate.Users"))
            {
                var userId = Valid(FieldRules.UserId, Str(u, "UserId"));
                var count = Count(u, "FaceCount");
                if (!collection.Users.ContainsKey(userId)) collection.Users[userId] = new UserRecord { UserId = userId };
                var ids = new JsonArray();
                for (var i = 0; i < count; i++)
                {
                    var faceId = DeterministicIds.GuidFromText($"{cid}/{userId}/{i}");
                    collection.Faces[faceId] = FaceRecord.WithDefaults(faceId, userId, null, $"{userId}.{i}", null, null);
                    ids.Add(faceId);
                }
                users.Add(new JsonObject { ["UserId"] = userId, ["FaceIds"] = ids });
            }
        }
        var free = new JsonArray();
        var freeCount = Count(g, "FreeFaces");
        for (var i = 0; i < freeCount; i++)
        {
            var faceId = DeterministicIds.GuidFromText($"{cid}//{i}");
            collection.Faces[faceId] = FaceRecord.WithDefaults(faceId, null, null, $"free.{i}", null, null);
            free.Add(faceId);
        }
        return new JsonObject { ["CollectionId"] = cid, ["Users"] = users, ["FreeFaceIds"] = free };
    }

    private CollectionRecord EnsureCollection(RekognitionState state, JsonElement e)
    {
        var id = Valid(FieldRules.CollectionId, Str(e, "CollectionId"));
        if (state.Collections.TryGetValue(id, out var existing)) return existing;
        var created = new CollectionRecord
        {
            CollectionId = id,
            Region = Str(e, "Region") ?? "us-east-1",
            // A state document carries its creation time (epoch seconds); otherwise now.
            CreationTime = Property(e, "CreationTimestamp") is { ValueKind: JsonValueKind.Number } ts
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(ts.GetDouble() * 1000))
                : settings.Now,
        };
        if (Property(e, "Tags") is { ValueKind: JsonValueKind.Object } tags)
            foreach (var t in tags.EnumerateObject())
                created.Tags[t.Name] = t.Value.ValueKind == JsonValueKind.String ? t.Value.GetString() : t.Value.GetRawText();
        state.Collections[id] = created;
        return created;
    }

    /// <summary>A seeded face without FaceId: GUID(SHA-256("c/seed/k")) with the first k (from the face count) not in use.</summary>
    private static string NextSeedFaceId(CollectionRecord collection)
    {
        for (var k = collection.Faces.Count; ; k++)
        {
            var id = DeterministicIds.GuidFromText($"{collection.CollectionId}/seed/{k}");
            if (!collection.Faces.ContainsKey(id)) return id;
        }
    }

    private static JsonElement? Property(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static IEnumerable<JsonElement> Items(JsonElement list, string name) =>
        list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : throw new ControlException($"{name} must be a list");

    private static string Str(JsonElement e, string name) => Property(e, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        _ => throw new ControlException($"{name} must be a string"),
    };

    private static double Num(JsonElement e, string name) =>
        Property(e, name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : throw new ControlException($"BoundingBox.{name} must be a number");

    private static int Count(JsonElement e, string name)
    {
        if (Property(e, name) is not { } v) return 0;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n) || n < 0 || n > 100_000)
            throw new ControlException($"{name} must be an integer from 0 to 100000");
        return n;
    }

    private static string Valid(FieldRule rule, string value, string name = null)
    {
        var why = rule.Explain(value);
        if (why == null) return value;
        throw new ControlException(name == null ? why : $"{name}: {why}");
    }
}
