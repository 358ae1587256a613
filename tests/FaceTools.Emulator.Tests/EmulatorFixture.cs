using System.Text.Json.Nodes;

namespace FaceTools.Emulator.Tests;

/// <summary>
/// One in-process emulator per test class (classes run in parallel, each against its own emulator and state).
/// Besides the default pair it knows a key that requires a session token.
/// </summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public static readonly TestCredentials TokenCredentials = new("AKIATOKENUSER0000001", "TokenUserSecret", "SessionTokenValue/with+chars=");

    public EmulatorHost Host { get; private set; }
    public EmulatorClient Client { get; private set; }

    public async Task InitializeAsync()
    {
        var options = EmulatorOptions.Parse([
            "--port", "0",
            "--credentials",
            $"{TestCredentials.Default.AccessKeyId}:{TestCredentials.Default.SecretAccessKey}," +
            $"{TokenCredentials.AccessKeyId}:{TokenCredentials.SecretAccessKey}:{TokenCredentials.SessionToken}",
        ]);
        options.HandleProcessSignals = false;
        Host = await EmulatorHost.StartAsync(options);
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1), AllowAutoRedirect = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        Client = new EmulatorClient(Host.BaseAddress, http);
    }

    public async Task DisposeAsync()
    {
        Client?.Http.Dispose();
        if (Host != null) await Host.DisposeAsync();
    }
}

/// <summary>Each test starts from a reset emulator (empty state, no faults, empty log, default config).</summary>
public abstract class EmulatorTest(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>, IAsyncLifetime
{
    protected EmulatorClient Client => fixture.Client;
    protected EmulatorFixture Fixture => fixture;

    public virtual async Task InitializeAsync() => await Client.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    protected Task SetRulesAsync(int seed, params JsonObject[] rules) =>
        Client.FaultsAsync(new JsonObject { ["Seed"] = seed, ["Rules"] = new JsonArray(rules.Cast<JsonNode>().ToArray()) });

    /// <summary>A fault rule, as the faults route takes it.</summary>
    protected static JsonObject Rule(string kind, string operation = null, int? count = null, double? probability = null, int? delayMs = null)
    {
        var r = new JsonObject { ["Kind"] = kind };
        if (operation != null) r["Operation"] = operation;
        if (count != null) r["Count"] = count;
        if (probability != null) r["Probability"] = probability;
        if (delayMs != null) r["DelayMs"] = delayMs;
        return r;
    }

    /// <summary>API requests the emulator is handling now, from its health route.</summary>
    protected async Task<int> InFlightAsync() => (await Client.ControlAsync(HttpMethod.Get, "health"))["InFlight"]!.GetValue<int>();

    /// <summary>Polls until the condition holds: for what the emulator does on its own time, however slow the machine.</summary>
    protected static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("Still waiting after 30 s: " + what);
            await Task.Delay(20);
        }
    }

    /// <summary>How many requests the log shows held by a Hang fault (the field is written once the fault is chosen).</summary>
    protected async Task<int> HeldAsync(string operation) =>
        (await Client.LogAsync(operation)).Count(e => e!["Fault"]?.GetValue<string>() == "Hang");

    protected static JsonObject Body(params (string Key, JsonNode Value)[] fields)
    {
        var o = new JsonObject();
        foreach (var (k, v) in fields) o[k] = v;
        return o;
    }

    /// <summary>A collection with the given users, and Generate'd faces: per user FaceCount, plus free faces.</summary>
    protected async Task<JsonNode> GenerateAsync(string collectionId, int freeFaces, params (string UserId, int FaceCount)[] users)
    {
        var answer = await Client.SeedAsync(new JsonObject
        {
            ["Generate"] = new JsonObject
            {
                ["CollectionId"] = collectionId,
                ["Users"] = new JsonArray(users.Select(u => (JsonNode)new JsonObject { ["UserId"] = u.UserId, ["FaceCount"] = u.FaceCount }).ToArray()),
                ["FreeFaces"] = freeFaces,
            },
        });
        return answer["Generated"];
    }

    protected static List<string> FreeFaceIds(JsonNode generated) => EmulatorClient.Strings(generated["FreeFaceIds"]);

    protected static List<string> UserFaceIds(JsonNode generated, string userId) =>
        EmulatorClient.Strings(generated["Users"]!.AsArray().Single(u => u!["UserId"]!.GetValue<string>() == userId)!["FaceIds"]);

    /// <summary>FaceId → UserId (null when free) from ListFaces.</summary>
    protected async Task<Dictionary<string, string>> FaceOwnersAsync(string collectionId)
    {
        var result = new Dictionary<string, string>();
        string token = null;
        do
        {
            var body = Body(("CollectionId", collectionId), ("MaxResults", 4096));
            if (token != null) body["NextToken"] = token;
            var page = await Client.OkAsync("ListFaces", body);
            foreach (var f in page["Faces"]!.AsArray())
                result[f!["FaceId"]!.GetValue<string>()] = f["UserId"]?.GetValue<string>();
            token = page["NextToken"]?.GetValue<string>();
        } while (token != null);
        return result;
    }
}
