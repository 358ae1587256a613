using System.Net;
using System.Text.Json.Nodes;

namespace FaceTools.Emulator.Tests;

public sealed class IdempotencyTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task CreateUser_with_the_same_token_and_parameters_is_replayed_not_applied_again()
    {
        await Client.OkAsync("CreateCollection", Body(("CollectionId", "c")));
        var request = Body(("CollectionId", "c"), ("UserId", "alice"), ("ClientRequestToken", "token-1"));
        var first = await Client.CallAsync("CreateUser", request.DeepClone());
        var replay = await Client.CallAsync("CreateUser", request.DeepClone());

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, replay.Status); // not ConflictException: a replay
        Assert.Equal(first.Body, replay.Body);
        Assert.NotEqual(first.RequestId, replay.RequestId);

        // Without the token the same request is a new request: Conflict.
        await Client.ErrorAsync("CreateUser", Body(("CollectionId", "c"), ("UserId", "alice")), "ConflictException");

        var log = await Client.LogAsync("CreateUser");
        Assert.Equal([false, true, false], log.Select(e => e!["Replayed"]!.GetValue<bool>()));
        Assert.Equal("token-1", log[1]!["ClientRequestToken"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_token_with_other_parameters_is_IdempotentParameterMismatchException()
    {
        await Client.OkAsync("CreateCollection", Body(("CollectionId", "c")));
        await Client.OkAsync("CreateUser", Body(("CollectionId", "c"), ("UserId", "alice"), ("ClientRequestToken", "t")));
        await Client.ErrorAsync("CreateUser", Body(("CollectionId", "c"), ("UserId", "bob"), ("ClientRequestToken", "t")),
            "IdempotentParameterMismatchException");

        var users = await Client.OkAsync("ListUsers", Body(("CollectionId", "c")));
        Assert.Equal(["alice"], users["Users"]!.AsArray().Select(u => u!["UserId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_AssociateFaces_replay_returns_the_first_answer_and_changes_nothing()
    {
        var generated = await GenerateAsync("c", 3, ("alice", 0));
        var free = FreeFaceIds(generated);
        var associate = Body(("CollectionId", "c"), ("UserId", "alice"), ("FaceIds", EmulatorClient.Ids(free[0], free[1])),
            ("ClientRequestToken", "assoc-1"));

        var first = await Client.OkAsync("AssociateFaces", associate.DeepClone());
        Assert.Equal(2, first["AssociatedFaces"]!.AsArray().Count);

        // Someone else undoes it; the retried request must not associate again.
        await Client.OkAsync("DisassociateFaces", Body(("CollectionId", "c"), ("UserId", "alice"), ("FaceIds", EmulatorClient.Ids(free[0]))));
        var replay = await Client.OkAsync("AssociateFaces", associate.DeepClone());
        Assert.Equal(first.ToJsonString(), replay.ToJsonString());

        var owners = await FaceOwnersAsync("c");
        Assert.Null(owners[free[0]]);
        Assert.Equal("alice", owners[free[1]]);
    }

    [Fact]
    public async Task DisassociateFaces_and_DeleteUser_are_idempotent_too_and_tokens_are_per_operation()
    {
        var generated = await GenerateAsync("c", 0, ("alice", 2));
        var faces = UserFaceIds(generated, "alice");
        var disassociate = Body(("CollectionId", "c"), ("UserId", "alice"), ("FaceIds", EmulatorClient.Ids(faces[0])), ("ClientRequestToken", "same"));
        var first = await Client.OkAsync("DisassociateFaces", disassociate.DeepClone());
        var again = await Client.OkAsync("DisassociateFaces", disassociate.DeepClone());
        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        Assert.Single(again["DisassociatedFaces"]!.AsArray());

        // The same token on another operation is a different key.
        var delete = Body(("CollectionId", "c"), ("UserId", "alice"), ("ClientRequestToken", "same"));
        await Client.OkAsync("DeleteUser", delete.DeepClone());
        await Client.OkAsync("DeleteUser", delete.DeepClone()); // replay, not ResourceNotFound
        await Client.ErrorAsync("DeleteUser", Body(("CollectionId", "c"), ("UserId", "alice")), "ResourceNotFoundException");
    }

    [Fact]
    public async Task A_failed_first_attempt_is_not_stored()
    {
        var request = Body(("CollectionId", "later"), ("UserId", "alice"), ("ClientRequestToken", "retry-me"));
        await Client.ErrorAsync("CreateUser", request.DeepClone(), "ResourceNotFoundException");
        await Client.OkAsync("CreateCollection", Body(("CollectionId", "later")));
        await Client.OkAsync("CreateUser", request.DeepClone());
        var log = await Client.LogAsync("CreateUser");
        Assert.All(log, e => Assert.False(e!["Replayed"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task A_malformed_token_is_InvalidParameterException()
    {
        await Client.OkAsync("CreateCollection", Body(("CollectionId", "c")));
        await Client.ErrorAsync("CreateUser", Body(("CollectionId", "c"), ("UserId", "u"), ("ClientRequestToken", "has space")), "InvalidParameterException");
        await Client.ErrorAsync("CreateUser", Body(("CollectionId", "c"), ("UserId", "u"), ("ClientRequestToken", new string('a', 65))), "InvalidParameterException");
    }

    [Fact]
    public async Task Concurrent_retries_with_one_token_apply_once()
    {
        var generated = await GenerateAsync("c", 5, ("alice", 0));
        var request = Body(("CollectionId", "c"), ("UserId", "alice"), ("FaceIds", new JsonArray(FreeFaceIds(generated).Select(f => (JsonNode)f).ToArray())),
            ("ClientRequestToken", "parallel"));
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Client.OkAsync("AssociateFaces", request.DeepClone())));
        Assert.Single(answers.Select(a => a.ToJsonString()).Distinct());
        var log = await Client.LogAsync("AssociateFaces");
        Assert.Equal(11, log.Count(e => e!["Replayed"]!.GetValue<bool>()));
    }
}
