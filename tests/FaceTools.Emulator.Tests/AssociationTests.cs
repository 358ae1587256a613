using System.Text.Json.Nodes;

namespace FaceTools.Emulator.Tests;

public sealed class AssociationTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    private const string Missing = "00000000-0000-0000-0000-000000000000";

    private static JsonObject Request(string userId, IEnumerable<string> faceIds, string collectionId = "c") =>
        Body(("CollectionId", collectionId), ("UserId", userId), ("FaceIds", new JsonArray(faceIds.Select(f => (JsonNode)f).ToArray())));

    [Fact]
    public async Task AssociateFaces_sorts_faces_into_associated_ignored_and_unsuccessful()
    {
        var g = await GenerateAsync("c", 3, ("alice", 1), ("bob", 1));
        var free = FreeFaceIds(g);
        var alices = UserFaceIds(g, "alice")[0];
        var bobs = UserFaceIds(g, "bob")[0];

        var answer = await Client.OkAsync("AssociateFaces", Request("alice", [free[0], alices, bobs, Missing, free[1]]));

        Assert.Equal([free[0], free[1]], answer["AssociatedFaces"]!.AsArray().Select(f => f!["FaceId"]!.GetValue<string>()));
        var unsuccessful = answer["UnsuccessfulFaceAssociations"]!.AsArray();
        Assert.Equal(2, unsuccessful.Count); // alice's own face is ignored, not returned
        var toBob = unsuccessful.Single(u => u!["FaceId"]!.GetValue<string>() == bobs)!;
        Assert.Equal("bob", toBob["UserId"]!.GetValue<string>());
        Assert.Equal(["ASSOCIATED_TO_A_DIFFERENT_USER"], EmulatorClient.Strings(toBob["Reasons"]));
        var missing = unsuccessful.Single(u => u!["FaceId"]!.GetValue<string>() == Missing)!;
        Assert.Equal(["FACE_NOT_FOUND"], EmulatorClient.Strings(missing["Reasons"]));
        Assert.Equal("ACTIVE", answer["UserStatus"]!.GetValue<string>());

        var owners = await FaceOwnersAsync("c");
        Assert.Equal("alice", owners[free[0]]);
        Assert.Equal("alice", owners[free[1]]);
        Assert.Null(owners[free[2]]);
        Assert.Equal("bob", owners[bobs]);
    }

    [Fact]
    public async Task Low_match_confidence_applies_only_once_the_user_has_faces()
    {
        var g = await GenerateAsync("c", 4, ("alice", 0));
        var free = FreeFaceIds(g);

        // A user without faces takes any face, whatever the threshold.
        var first = await Client.OkAsync("AssociateFaces", Body(("CollectionId", "c"), ("UserId", "alice"),
            ("FaceIds", EmulatorClient.Ids(free[0])), ("UserMatchThreshold", 100)));
        Assert.Single(first["AssociatedFaces"]!.AsArray());

        // Now every match confidence (80..99.999) is below 100.
        var refused = await Client.OkAsync("AssociateFaces", Body(("CollectionId", "c"), ("UserId", "alice"),
            ("FaceIds", EmulatorClient.Ids(free[1], free[2])), ("UserMatchThreshold", 100)));
        Assert.Empty(refused["AssociatedFaces"]!.AsArray());
        foreach (var u in refused["UnsuccessfulFaceAssociations"]!.AsArray())
        {
            Assert.Equal(["LOW_MATCH_CONFIDENCE"], EmulatorClient.Strings(u!["Reasons"]));
            var faceId = u["FaceId"]!.GetValue<string>();
            Assert.Equal(RekognitionOperations.MatchConfidence(faceId, "alice"), u["Confidence"]!.GetValue<double>());
            Assert.InRange(u["Confidence"]!.GetValue<double>(), 80, 100);
        }

        // With the default threshold (75) they all match.
        var accepted = await Client.OkAsync("AssociateFaces", Request("alice", [free[1], free[2]]));
        Assert.Equal(2, accepted["AssociatedFaces"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_user_holds_at_most_100_faces_and_a_request_past_that_is_refused_whole()
    {
        var g = await GenerateAsync("c", 10, ("alice", 95));
        var free = FreeFaceIds(g);

        var refused = await Client.ErrorAsync("AssociateFaces", Request("alice", free.Take(6)), "ServiceQuotaExceededException");
        Assert.StartsWith("The user has reached the maximum of 100 faces", refused.Message);
        Assert.Equal(95, (await FaceOwnersAsync("c")).Values.Count(v => v == "alice")); // nothing applied

        var accepted = await Client.OkAsync("AssociateFaces", Request("alice", free.Take(5)));
        Assert.Equal(5, accepted["AssociatedFaces"]!.AsArray().Count);

        // At 100: even one more is refused, but re-sending faces it already holds is fine (they are ignored).
        await Client.ErrorAsync("AssociateFaces", Request("alice", [free[5]]), "ServiceQuotaExceededException");
        var ignored = await Client.OkAsync("AssociateFaces", Request("alice", free.Take(5)));
        Assert.Empty(ignored["AssociatedFaces"]!.AsArray());
        Assert.Empty(ignored["UnsuccessfulFaceAssociations"]!.AsArray());
    }

    [Fact]
    public async Task Repeated_face_ids_in_one_request_count_once()
    {
        var g = await GenerateAsync("c", 1, ("alice", 0));
        var face = FreeFaceIds(g)[0];
        var answer = await Client.OkAsync("AssociateFaces", Request("alice", [face, face, face]));
        Assert.Single(answer["AssociatedFaces"]!.AsArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task Associate_and_Disassociate_take_1_to_100_face_ids(int count)
    {
        await GenerateAsync("c", 0, ("alice", 0));
        var ids = Enumerable.Range(0, count).Select(i => $"{i:x8}-0000-0000-0000-000000000000");
        var a = await Client.ErrorAsync("AssociateFaces", Request("alice", ids), "InvalidParameterException");
        Assert.Contains("1 to 100", a.Message);
        await Client.ErrorAsync("DisassociateFaces", Request("alice", ids), "InvalidParameterException");
    }

    [Theory]
    [InlineData("UserId", "bad user!")]
    [InlineData("CollectionId", "bad/collection")]
    [InlineData("FaceIds", "ABCDEF00-0000-0000-0000-000000000000")]
    [InlineData("UserMatchThreshold", "101")]
    public async Task Fields_that_break_their_rule_are_InvalidParameterException(string field, string value)
    {
        await GenerateAsync("c", 1, ("alice", 0));
        var request = Request("alice", [Missing]);
        request[field] = field switch
        {
            "FaceIds" => EmulatorClient.Ids(value),
            "UserMatchThreshold" => double.Parse(value),
            _ => value,
        };
        var error = await Client.ErrorAsync("AssociateFaces", request, "InvalidParameterException");
        Assert.Contains(field == "FaceIds" ? "FaceId" : field, error.Message);
    }

    [Fact]
    public async Task A_missing_collection_or_user_is_ResourceNotFoundException()
    {
        await GenerateAsync("c", 1, ("alice", 0));
        await Client.ErrorAsync("AssociateFaces", Request("nobody", [Missing]), "ResourceNotFoundException");
        await Client.ErrorAsync("AssociateFaces", Request("alice", [Missing], "nowhere"), "ResourceNotFoundException");
        await Client.ErrorAsync("DisassociateFaces", Request("nobody", [Missing]), "ResourceNotFoundException");
    }

    [Fact]
    public async Task DisassociateFaces_returns_only_what_it_did_or_could_not_do()
    {
        var g = await GenerateAsync("c", 1, ("alice", 2), ("bob", 1));
        var alices = UserFaceIds(g, "alice");
        var bobs = UserFaceIds(g, "bob")[0];
        var free = FreeFaceIds(g)[0];

        var answer = await Client.OkAsync("DisassociateFaces", Request("alice", [alices[0], bobs, free, Missing]));
        Assert.Equal([alices[0]], answer["DisassociatedFaces"]!.AsArray().Select(f => f!["FaceId"]!.GetValue<string>()));
        var unsuccessful = answer["UnsuccessfulFaceDisassociations"]!.AsArray();
        Assert.Equal(2, unsuccessful.Count); // the free face is ignored
        var toBob = unsuccessful.Single(u => u!["FaceId"]!.GetValue<string>() == bobs)!;
        Assert.Equal("bob", toBob["UserId"]!.GetValue<string>());
        Assert.Equal(["ASSOCIATED_TO_A_DIFFERENT_USER"], EmulatorClient.Strings(toBob["Reasons"]));
        Assert.Equal(["FACE_NOT_FOUND"], EmulatorClient.Strings(unsuccessful.Single(u => u!["FaceId"]!.GetValue<string>() == Missing)!["Reasons"]));
        Assert.Equal("ACTIVE", answer["UserStatus"]!.GetValue<string>());

        // Again: the face is no longer alice's, so it is ignored.
        var again = await Client.OkAsync("DisassociateFaces", Request("alice", [alices[0]]));
        Assert.Empty(again["DisassociatedFaces"]!.AsArray());
        Assert.Empty(again["UnsuccessfulFaceDisassociations"]!.AsArray());

        var owners = await FaceOwnersAsync("c");
        Assert.Null(owners[alices[0]]);
        Assert.Equal("alice", owners[alices[1]]);
        Assert.Equal("bob", owners[bobs]);
    }

    [Fact]
    public async Task CreateUser_and_DeleteUser_manage_users_and_deleting_frees_their_faces()
    {
        var g = await GenerateAsync("c", 0, ("alice", 3));
        await Client.OkAsync("CreateUser", Body(("CollectionId", "c"), ("UserId", "bob")));
        await Client.ErrorAsync("CreateUser", Body(("CollectionId", "c"), ("UserId", "bob")), "ConflictException");
        await Client.ErrorAsync("CreateUser", Body(("CollectionId", "none"), ("UserId", "bob")), "ResourceNotFoundException");
        await Client.ErrorAsync("CreateUser", Body(("CollectionId", "c")), "InvalidParameterException");

        Assert.Equal("{}", (await Client.OkAsync("DeleteUser", Body(("CollectionId", "c"), ("UserId", "alice")))).ToJsonString());
        await Client.ErrorAsync("DeleteUser", Body(("CollectionId", "c"), ("UserId", "alice")), "ResourceNotFoundException");
        var owners = await FaceOwnersAsync("c");
        Assert.All(UserFaceIds(g, "alice"), f => Assert.Null(owners[f]));
        var users = await Client.OkAsync("ListUsers", Body(("CollectionId", "c")));
        Assert.Equal(["bob"], users["Users"]!.AsArray().Select(u => u!["UserId"]!.GetValue<string>()));
        Assert.Equal("CREATED", users["Users"]![0]!["UserStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_new_user_is_CREATED_until_its_first_face_is_associated_then_ACTIVE()
    {
        var g = await GenerateAsync("c", 2);
        await Client.OkAsync("CreateUser", Body(("CollectionId", "c"), ("UserId", "carol")));
        var refused = await Client.OkAsync("AssociateFaces", Body(("CollectionId", "c"), ("UserId", "carol"), ("FaceIds", new JsonArray("00000000-0000-4000-8000-000000000000"))));
        Assert.Equal("CREATED", refused["UserStatus"]!.GetValue<string>());
        var answer = await Client.OkAsync("AssociateFaces", Body(("CollectionId", "c"), ("UserId", "carol"), ("FaceIds", new JsonArray(FreeFaceIds(g)[0]))));
        Assert.Equal("ACTIVE", answer["UserStatus"]!.GetValue<string>());
        var listed = await Client.OkAsync("ListUsers", Body(("CollectionId", "c")));
        Assert.Equal("ACTIVE", listed["Users"]![0]!["UserStatus"]!.GetValue<string>());
    }
}
