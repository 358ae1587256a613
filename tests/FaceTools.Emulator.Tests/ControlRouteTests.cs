using System.Net;
using System.Text.Json.Nodes;

namespace FaceTools.Emulator.Tests;

public sealed class ControlRouteTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task The_log_lists_every_api_request_in_arrival_order_without_secrets()
    {
        await Client.OkAsync("CreateCollection", Body(("CollectionId", "c")));
        await Client.OkAsync("CreateUser", Body(("CollectionId", "c"), ("UserId", "alice"), ("ClientRequestToken", "tok")));
        await Client.CallAsync("AssociateFaces", Body(("CollectionId", "c"), ("UserId", "alice"),
            ("FaceIds", EmulatorClient.Ids("00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002"))));
        await Client.CallAsync("ListUsers", credentials: new TestCredentials("AKIAUNKNOWNKEY000000", "secret"));
        await Client.ControlAsync(HttpMethod.Get, "state"); // control routes are not logged

        var log = await Client.LogAsync();
        Assert.Equal([1L, 2L, 3L, 4L], log.Select(e => e!["Seq"]!.GetValue<long>()));
        Assert.Equal(["CreateCollection", "CreateUser", "AssociateFaces", "ListUsers"], log.Select(e => e!["Operation"]!.GetValue<string>()));

        var create = log[1]!;
        Assert.Equal("tok", create["ClientRequestToken"]!.GetValue<string>());
        Assert.Equal("c", create["CollectionId"]!.GetValue<string>());
        Assert.Equal("alice", create["UserId"]!.GetValue<string>());
        Assert.Equal(200, create["StatusCode"]!.GetValue<int>());
        Assert.Null(create["ErrorCode"]);
        Assert.Null(create["Fault"]);
        Assert.False(create["Replayed"]!.GetValue<bool>());
        Assert.Equal(TestCredentials.Default.AccessKeyId, create["AccessKeyId"]!.GetValue<string>());
        Assert.Null(create["ExternalImageId"]);

        Assert.Equal(2, log[2]!["FaceIds"]!.AsArray().Count);
        Assert.Equal("AKIAUNKNOWNKEY000000", log[3]!["AccessKeyId"]!.GetValue<string>());
        Assert.Equal(400, log[3]!["StatusCode"]!.GetValue<int>());
        Assert.Equal("UnrecognizedClientException", log[3]!["ErrorCode"]!.GetValue<string>());

        var filtered = await Client.LogAsync("CreateUser");
        Assert.Equal(2L, filtered.Single()!["Seq"]!.GetValue<long>());
        Assert.DoesNotContain(TestCredentials.Default.SecretAccessKey, log.ToJsonString());
    }

    [Fact]
    public async Task Reset_clears_state_faults_log_and_runtime_config()
    {
        await GenerateAsync("c", 3, ("alice", 1));
        await Client.ConfigAsync(new JsonObject { ["LatencyMs"] = 5, ["ClockSkewSeconds"] = 60 });
        await Client.FaultsAsync(new JsonObject { ["Rules"] = new JsonArray(new JsonObject { ["Kind"] = "Throttle", ["Operation"] = "DeleteUser" }) });
        await Client.CallAsync("ListCollections");

        await Client.ResetAsync();
        Assert.Empty((await Client.StateAsync())["Collections"]!.AsArray());
        Assert.Empty(await Client.LogAsync());
        Assert.Empty((await Client.ControlAsync(HttpMethod.Get, "faults"))["Rules"]!.AsArray());
        var config = await Client.ControlAsync(HttpMethod.Get, "config");
        Assert.Equal(0, config["LatencyMs"]!.GetValue<int>());
        Assert.Equal(0, config["ClockSkewSeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task Seed_merges_explicit_content_fills_defaults_and_state_shows_it_back()
    {
        const string faceA = "aaaaaaaa-0000-4000-8000-000000000001";
        var answer = await Client.SeedAsync(JsonNode.Parse($$"""
            {"Collections":[{"CollectionId":"c",
              "Users":[{"UserId":"alice","UserStatus":"ACTIVE"},{"UserId":"bob","UserStatus":"CREATED"}],
              "Faces":[{"FaceId":"{{faceA}}","UserId":"alice","ExternalImageId":"x","ImageId":"bbbbbbbb-0000-4000-8000-000000000001","Confidence":99.5},
                       {"UserId":"carol"},
                       {}]}]}
            """));
        var seeded = answer["Collections"]![0]!;
        var faceIds = EmulatorClient.Strings(seeded["FaceIds"]);
        Assert.Equal(3, faceIds.Count);
        Assert.Equal(faceA, faceIds[0]);
        Assert.Equal(EmulatorClient.GuidOf("c/seed/1"), faceIds[1]);
        Assert.Contains("carol", EmulatorClient.Strings(seeded["UserIds"])); // created for its face

        var state = (await Client.StateAsync())["Collections"]!.AsArray().Single()!;
        Assert.Equal("c", state["CollectionId"]!.GetValue<string>());
        Assert.Equal(["alice", "bob", "carol"], state["Users"]!.AsArray().Select(u => u!["UserId"]!.GetValue<string>()));
        Assert.Equal("CREATED", state["Users"]![1]!["UserStatus"]!.GetValue<string>());
        var a = state["Faces"]!.AsArray().Single(f => f!["FaceId"]!.GetValue<string>() == faceA)!;
        Assert.Equal("alice", a["UserId"]!.GetValue<string>());
        Assert.Equal(99.5, a["Confidence"]!.GetValue<double>());
        Assert.Equal("x", a["ExternalImageId"]!.GetValue<string>());
        var free = state["Faces"]!.AsArray().Single(f => f!["FaceId"]!.GetValue<string>() == faceIds[2])!;
        Assert.Null(free["UserId"]);
        Assert.Equal(EmulatorClient.GuidOf("image/" + faceIds[2]), free["ImageId"]!.GetValue<string>());
        Assert.NotNull(free["BoundingBox"]!["Width"]);

        // The state document seeds an identical emulator.
        var snapshot = (await Client.StateAsync()).ToJsonString();
        await Client.ResetAsync();
        await Client.SeedAsync(JsonNode.Parse(snapshot));
        Assert.Equal(snapshot, (await Client.StateAsync()).ToJsonString());

        await Client.ControlAsync(HttpMethod.Post, "seed", JsonNode.Parse("""{"Collections":[{"CollectionId":"bad id"}]}"""), HttpStatusCode.BadRequest);
        await Client.ControlAsync(HttpMethod.Post, "seed", JsonNode.Parse("""{"Collections":[{"CollectionId":"d","Faces":[{"FaceId":"NOT-A-GUID"}]}]}"""), HttpStatusCode.BadRequest);
        Assert.Single((await Client.StateAsync())["Collections"]!.AsArray()); // a refused seed changes nothing
    }

    [Fact]
    public async Task Generate_creates_faces_with_documented_ids_and_returns_them()
    {
        var answer = await Client.SeedAsync(JsonNode.Parse("""
            {"Generate":{"CollectionId":"big","Users":[{"UserId":"u1","FaceCount":100},{"UserId":"u2","FaceCount":3}],"FreeFaces":2500}}
            """));
        var generated = answer["Generated"]!;
        Assert.Equal("big", generated["CollectionId"]!.GetValue<string>());
        var u1 = UserFaceIds(generated, "u1");
        Assert.Equal(100, u1.Count);
        Assert.Equal(EmulatorClient.GuidOf("big/u1/0"), u1[0]);
        Assert.Equal(EmulatorClient.GuidOf("big/u1/99"), u1[99]);
        var free = FreeFaceIds(generated);
        Assert.Equal(2500, free.Count);
        Assert.Equal(EmulatorClient.GuidOf("big//0"), free[0]);
        Assert.Equal(EmulatorClient.GuidOf("big//2499"), free[2499]);

        var described = await Client.OkAsync("DescribeCollection", Body(("CollectionId", "big")));
        Assert.Equal(2603, described["FaceCount"]!.GetValue<int>());
        Assert.Equal(2, described["UserCount"]!.GetValue<int>());

        // Generating again is idempotent (same ids, no duplicates); a list of Generate blocks is accepted too.
        var again = await Client.SeedAsync(JsonNode.Parse("""{"Generate":[{"CollectionId":"big","Users":[{"UserId":"u2","FaceCount":3}]}]}"""));
        Assert.Equal(UserFaceIds(generated, "u2"), UserFaceIds(again["Generated"]![0]!, "u2"));
        Assert.Equal(2603, (await Client.OkAsync("DescribeCollection", Body(("CollectionId", "big"))))["FaceCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Latency_and_clock_skew_can_be_changed_at_run_time()
    {
        var config = await Client.ConfigAsync(new JsonObject { ["LatencyMs"] = 200 });
        Assert.Equal(200, config["LatencyMs"]!.GetValue<int>());
        var slow = await Client.CallAsync("ListCollections");
        Assert.Equal(HttpStatusCode.OK, slow.Status);
        Assert.True(slow.Elapsed >= TimeSpan.FromMilliseconds(190), $"took {slow.Elapsed}");

        await Client.ConfigAsync(new JsonObject { ["LatencyMs"] = 0, ["ClockSkewSeconds"] = 3600 });
        var response = await Client.CallAsync("ListCollections", signTime: DateTime.UtcNow.AddHours(1));
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.InRange((response.Date!.Value - DateTimeOffset.UtcNow).TotalSeconds, 3590, 3610);

        await Client.ControlAsync(HttpMethod.Post, "config", new JsonObject { ["LatencyMs"] = -1 }, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_log_says_how_many_requests_were_in_flight_when_each_arrived()
    {
        await Client.CallAsync("ListCollections");
        // Counted out as its answer starts: once the client has the answer, the next request cannot find it in flight.
        Assert.Equal(0, await InFlightAsync());
        // Held (Hang) until the client gives up, so the three overlap however slowly the machine runs.
        await SetRulesAsync(1, Rule("Hang", "ListCollections", count: 3));
        using var giveUp = new CancellationTokenSource();
        var held = Enumerable.Range(0, 3).Select(_ => Client.CallAsync("ListCollections", cancellationToken: giveUp.Token)).ToList();
        await WaitUntilAsync(async () => await HeldAsync("ListCollections") == 3, "the emulator to hold three requests");
        Assert.Equal(3, await InFlightAsync());
        giveUp.Cancel();
        foreach (var call in held) await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        var inFlight = (await Client.LogAsync()).Select(e => e!["InFlight"]!.GetValue<int>()).ToList();
        Assert.Equal(1, inFlight[0]);
        Assert.Equal([1, 2, 3], inFlight.Skip(1).Order());
    }

    [Fact]
    public async Task Unknown_control_routes_are_404()
    {
        await Client.ControlAsync(HttpMethod.Get, "nothing-here", expected: HttpStatusCode.NotFound);
        await Client.ControlAsync(HttpMethod.Get, "reset", expected: HttpStatusCode.NotFound);
        Assert.Equal("Ready", (await Client.ControlAsync(HttpMethod.Get, "health"))["Status"]!.GetValue<string>());
    }
}
