using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FaceTools.Emulator.Tests;

public sealed class FaultTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.OkAsync("CreateCollection", Body(("CollectionId", "c")));
    }

    private Task<ApiResponse> CreateUserAsync(string userId, CancellationToken ct = default) =>
        Client.CallAsync("CreateUser", Body(("CollectionId", "c"), ("UserId", userId)), cancellationToken: ct);

    private async Task<bool> UserExistsAsync(string userId)
    {
        var users = await Client.OkAsync("ListUsers", Body(("CollectionId", "c")));
        return users["Users"]!.AsArray().Any(u => u!["UserId"]!.GetValue<string>() == userId);
    }

    private async Task<JsonNode> LastLogEntryAsync() => (await Client.LogAsync("CreateUser")).Last();

    [Theory]
    [InlineData("Throttle", 400, "ThrottlingException")]
    [InlineData("ProvisionedThroughput", 400, "ProvisionedThroughputExceededException")]
    [InlineData("InternalError", 500, "InternalServerError")]
    public async Task Service_errors_come_in_the_service_error_shape_and_change_nothing(string kind, int status, string code)
    {
        await SetRulesAsync(1, Rule(kind, count: 1));
        EmulatorClient.AssertError(await CreateUserAsync("u"), code, status);
        Assert.False(await UserExistsAsync("u"));
        var entry = await LastLogEntryAsync();
        Assert.Equal(kind, entry["Fault"]!.GetValue<string>());
        Assert.Equal(code, entry["ErrorCode"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await CreateUserAsync("u")).Status); // Count 1: used up
    }

    [Theory]
    [InlineData("Http500", 500)]
    [InlineData("Http503", 503)]
    public async Task Gateway_errors_are_plain_json_without_an_error_code(string kind, int status)
    {
        await SetRulesAsync(1, Rule(kind, count: 1));
        var response = await CreateUserAsync("u");
        Assert.Equal(status, (int)response.Status);
        Assert.Null(response.ErrorTypeHeader);
        Assert.Null(response.Json!["__type"]);
        Assert.NotNull(response.Json["message"]);
        Assert.True(Guid.TryParse(response.RequestId, out _));
        Assert.False(await UserExistsAsync("u"));
    }

    [Fact]
    public async Task Drop_closes_the_connection_without_an_answer()
    {
        await SetRulesAsync(1, Rule("Drop", "CreateUser", count: 1));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => CreateUserAsync("u"));
        Assert.False(await UserExistsAsync("u"));
        var entry = await LastLogEntryAsync();
        Assert.Equal("Drop", entry["Fault"]!.GetValue<string>());
        Assert.Null(entry["StatusCode"]);
    }

    [Fact]
    public async Task Delay_answers_late_but_normally()
    {
        await SetRulesAsync(1, Rule("Delay", count: 1, delayMs: 300));
        var response = await CreateUserAsync("u");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Elapsed >= TimeSpan.FromMilliseconds(280), $"took {response.Elapsed}");
        Assert.True(await UserExistsAsync("u"));
    }

    [Fact]
    public async Task Hang_never_answers_until_the_client_gives_up()
    {
        await SetRulesAsync(1, Rule("Hang", "CreateUser", count: 1));
        using var giveUp = new CancellationTokenSource();
        var call = CreateUserAsync("u", giveUp.Token);
        // Given up only once the emulator holds it: a client that gave up sooner would leave the rule unused.
        await WaitUntilAsync(async () => await HeldAsync("CreateUser") == 1, "the emulator to hold CreateUser");
        await Task.Delay(300);
        Assert.False(call.IsCompleted); // held, not answered
        giveUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.False(await UserExistsAsync("u"));
        Assert.Null((await LastLogEntryAsync())["StatusCode"]);
        Assert.Equal(HttpStatusCode.OK, (await CreateUserAsync("u")).Status);
    }

    [Fact]
    public async Task TruncatedJson_is_the_first_half_of_the_real_answer_after_the_work_is_done()
    {
        var free = FreeFaceIds(await GenerateAsync("c", 2, ("alice", 0)));
        var request = Body(("CollectionId", "c"), ("UserId", "alice"), ("FaceIds", EmulatorClient.Ids(free[0])), ("ClientRequestToken", "t1"));

        await SetRulesAsync(1, Rule("TruncatedJson", "AssociateFaces", count: 1));
        var cut = await Client.CallAsync("AssociateFaces", request.DeepClone());
        Assert.Equal(HttpStatusCode.OK, cut.Status);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(cut.Body));
        Assert.Equal("alice", (await FaceOwnersAsync("c"))[free[0]]);

        // The same token again is answered as the first time: the whole of what was cut.
        var replayed = await Client.CallAsync("AssociateFaces", request.DeepClone());
        Assert.StartsWith(cut.Body, replayed.Body);
        Assert.Equal(replayed.Body.Length / 2, cut.Body.Length);
    }

    [Fact]
    public async Task Conflict_is_a_ConflictException_and_changes_nothing()
    {
        var free = FreeFaceIds(await GenerateAsync("c", 1, ("alice", 0)));
        await SetRulesAsync(1, Rule("Conflict", "AssociateFaces", count: 1));
        var response = await Client.CallAsync("AssociateFaces", Body(("CollectionId", "c"), ("UserId", "alice"), ("FaceIds", EmulatorClient.Ids(free[0]))));
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("ConflictException", response.Body);
        Assert.Null((await FaceOwnersAsync("c"))[free[0]]);
    }

    [Fact]
    public async Task HtmlBadGateway_is_a_proxy_page()
    {
        await SetRulesAsync(1, Rule("HtmlBadGateway", count: 1));
        var response = await CreateUserAsync("u");
        Assert.Equal(HttpStatusCode.BadGateway, response.Status);
        Assert.StartsWith("text/html", response.ContentType);
        Assert.Contains("502 Bad Gateway", response.Body);
        Assert.False(await UserExistsAsync("u"));
    }

    [Fact]
    public async Task Redirect_is_a_307_elsewhere_and_changes_nothing()
    {
        await SetRulesAsync(1, Rule("Redirect", count: 1));
        var response = await CreateUserAsync("u");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.Status);
        Assert.Equal(ApiHandler.RedirectTarget, response.Location);
        Assert.Equal("{}", response.Body);
        Assert.False(await UserExistsAsync("u"));
    }

    [Fact]
    public async Task EmptyOk_is_200_with_no_body_after_the_work_is_done()
    {
        await SetRulesAsync(1, Rule("EmptyOk", count: 1));
        var response = await CreateUserAsync("u");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("", response.Body);
        Assert.True(await UserExistsAsync("u"));
    }

    [Fact]
    public async Task ExtraFields_adds_unknown_fields_to_the_real_answer()
    {
        await GenerateAsync("c", 0, ("alice", 2));
        await SetRulesAsync(1, Rule("ExtraFields", "ListFaces", count: 1));
        var response = await Client.CallAsync("ListFaces", Body(("CollectionId", "c")));
        Assert.Equal(HttpStatusCode.OK, response.Status);
        var json = response.Json!;
        Assert.NotNull(json["EmulatorUnknownField"]);
        Assert.Equal(2, json["Faces"]!.AsArray().Count);
        Assert.All(json["Faces"]!.AsArray(), f =>
        {
            Assert.NotNull(f!["EmulatorUnknownNestedField"]);
            Assert.NotNull(f["BoundingBox"]!["EmulatorUnknownNestedField"]);
        });

        await SetRulesAsync(1, Rule("ExtraFields", count: 1));
        Assert.Equal(HttpStatusCode.OK, (await CreateUserAsync("u")).Status);
        Assert.True(await UserExistsAsync("u")); // processed normally
    }

    [Fact]
    public async Task Missing__type_is_an_error_without_a_code()
    {
        await SetRulesAsync(1, Rule("Missing__type", count: 1));
        var response = await CreateUserAsync("u");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Null(response.ErrorTypeHeader);
        Assert.Null(response.Code);
        Assert.NotNull(response.Message);
        Assert.False(await UserExistsAsync("u"));
    }

    [Fact]
    public async Task WrongContentType_is_the_real_answer_as_text_plain()
    {
        await SetRulesAsync(1, Rule("WrongContentType", count: 1));
        var response = await CreateUserAsync("u");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.StartsWith("text/plain", response.ContentType);
        Assert.Equal("{}", response.Body);
        Assert.True(await UserExistsAsync("u"));
    }

    [Fact]
    public async Task Count_rules_hit_the_next_N_matching_requests_of_their_operation_only()
    {
        await SetRulesAsync(1, Rule("Throttle", "CreateUser", count: 2));
        Assert.Equal(HttpStatusCode.OK, (await Client.CallAsync("ListUsers", Body(("CollectionId", "c")))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await CreateUserAsync("u")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await CreateUserAsync("u")).Status);
        Assert.Equal(HttpStatusCode.OK, (await CreateUserAsync("u")).Status);
        var rules = await Client.ControlAsync(HttpMethod.Get, "faults");
        Assert.Equal(0, rules["Rules"]![0]!["Remaining"]!.GetValue<int>());
        Assert.Equal(2, rules["Rules"]![0]!["Applied"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_first_matching_rule_wins()
    {
        await SetRulesAsync(1, Rule("InternalError", "CreateUser", count: 1), Rule("Throttle", count: 5));
        Assert.Equal("InternalServerError", (await CreateUserAsync("u")).Code);
        Assert.Equal("ThrottlingException", (await CreateUserAsync("u")).Code);
    }

    [Fact]
    public async Task Probability_rules_are_deterministic_for_a_seed()
    {
        async Task<string> PatternAsync(int seed)
        {
            await SetRulesAsync(seed, Rule("Throttle", "ListUsers", probability: 0.4));
            var pattern = "";
            for (var i = 0; i < 40; i++)
                pattern += (await Client.CallAsync("ListUsers", Body(("CollectionId", "c")))).Status == HttpStatusCode.OK ? "." : "T";
            return pattern;
        }

        var first = await PatternAsync(42);
        var second = await PatternAsync(42);
        var other = await PatternAsync(7);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.InRange(first.Count(c => c == 'T'), 6, 28);
    }

    [Fact]
    public async Task Faults_apply_only_after_the_signature_is_verified()
    {
        await SetRulesAsync(1, Rule("Throttle", count: 1));
        var unsigned = await Client.CallAsync("CreateUser", Body(("CollectionId", "c"), ("UserId", "u")),
            credentials: TestCredentials.Default with { SecretAccessKey = "wrong" });
        Assert.Equal("InvalidSignatureException", unsigned.Code);
        Assert.Equal("ThrottlingException", (await CreateUserAsync("u")).Code);
    }

    [Fact]
    public async Task Bad_fault_rules_are_refused()
    {
        await Client.ControlAsync(HttpMethod.Post, "faults", new JsonObject { ["Rules"] = new JsonArray(Rule("Explode")) }, HttpStatusCode.BadRequest);
        await Client.ControlAsync(HttpMethod.Post, "faults", new JsonObject { ["Rules"] = new JsonArray(Rule("Throttle", probability: 2)) }, HttpStatusCode.BadRequest);
        await Client.ControlAsync(HttpMethod.Post, "faults", new JsonObject { ["Rules"] = new JsonArray(Rule("Throttle", "NoSuchOperation")) }, HttpStatusCode.BadRequest);
    }
}
