using System.Text.Json.Nodes;

namespace FaceTools.Emulator.Tests;

public sealed class ListingTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task ListUsers_pages_in_user_id_order_with_an_opaque_token()
    {
        await GenerateAsync("c", 0, ("g", 0), ("b", 0), ("e", 0), ("a", 0), ("f", 0), ("c", 0), ("d", 0));
        var seen = new List<string>();
        var pageSizes = new List<int>();
        string token = null;
        do
        {
            var request = Body(("CollectionId", "c"), ("MaxResults", 3));
            if (token != null) request["NextToken"] = token;
            var page = await Client.OkAsync("ListUsers", request);
            var users = page["Users"]!.AsArray();
            pageSizes.Add(users.Count);
            foreach (var u in users)
            {
                seen.Add(u!["UserId"]!.GetValue<string>());
                Assert.Equal("ACTIVE", u["UserStatus"]!.GetValue<string>());
            }
            token = page["NextToken"]?.GetValue<string>();
            if (token != null) Assert.InRange(token.Length, 1, 255);
        } while (token != null);
        Assert.Equal(["a", "b", "c", "d", "e", "f", "g"], seen);
        Assert.Equal([3, 3, 1], pageSizes);
    }

    [Fact]
    public async Task ListUsers_defaults_to_100_and_checks_MaxResults()
    {
        await GenerateAsync("c", 0, Enumerable.Range(0, 150).Select(i => ($"user{i:D3}", 0)).ToArray());
        var page = await Client.OkAsync("ListUsers", Body(("CollectionId", "c")));
        Assert.Equal(100, page["Users"]!.AsArray().Count);
        Assert.NotNull(page["NextToken"]);
        await Client.ErrorAsync("ListUsers", Body(("CollectionId", "c"), ("MaxResults", 0)), "InvalidParameterException");
        await Client.ErrorAsync("ListUsers", Body(("CollectionId", "c"), ("MaxResults", 501)), "InvalidParameterException");
        await Client.ErrorAsync("ListUsers", Body(("CollectionId", "nope")), "ResourceNotFoundException");
    }

    [Fact]
    public async Task Bad_pagination_tokens_are_InvalidPaginationTokenException()
    {
        await GenerateAsync("c", 0, ("a", 0), ("b", 0));
        await GenerateAsync("other", 0, ("a", 0), ("b", 0));
        var token = (await Client.OkAsync("ListUsers", Body(("CollectionId", "c"), ("MaxResults", 1))))["NextToken"]!.GetValue<string>();

        await Client.ErrorAsync("ListUsers", Body(("CollectionId", "c"), ("NextToken", "not-a-token")), "InvalidPaginationTokenException");
        await Client.ErrorAsync("ListUsers", Body(("CollectionId", "other"), ("NextToken", token)), "InvalidPaginationTokenException");
        await Client.ErrorAsync("ListFaces", Body(("CollectionId", "c"), ("NextToken", token)), "InvalidPaginationTokenException");
        await Client.ErrorAsync("ListUsers", Body(("CollectionId", "c"), ("NextToken", new string('x', 256))), "InvalidParameterException");
        var rest = await Client.OkAsync("ListUsers", Body(("CollectionId", "c"), ("NextToken", token)));
        Assert.Equal("b", rest["Users"]![0]!["UserId"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListFaces_pages_1000_by_default_and_returns_every_field()
    {
        var g = await GenerateAsync("c", 2500, ("alice", 3));
        var pages = new List<JsonArray>();
        string token = null;
        do
        {
            var request = Body(("CollectionId", "c"));
            if (token != null) request["NextToken"] = token;
            var page = await Client.OkAsync("ListFaces", request);
            Assert.Equal("7.0", page["FaceModelVersion"]!.GetValue<string>());
            pages.Add(page["Faces"]!.AsArray());
            token = page["NextToken"]?.GetValue<string>();
        } while (token != null);

        Assert.Equal([1000, 1000, 503], pages.Select(p => p.Count));
        var all = pages.SelectMany(p => p).ToList();
        Assert.Equal(2503, all.Select(f => f!["FaceId"]!.GetValue<string>()).Distinct().Count());

        // The IDs looked for, computed once: not again for each of the 2,503 faces.
        string aliceFaceId = UserFaceIds(g, "alice")[0], freeFaceId = FreeFaceIds(g)[0];
        var aliceFace = all.Single(f => f!["FaceId"]!.GetValue<string>() == aliceFaceId)!;
        Assert.Equal("alice", aliceFace["UserId"]!.GetValue<string>());
        Assert.Equal("alice.0", aliceFace["ExternalImageId"]!.GetValue<string>());
        Assert.Equal("7.0", aliceFace["IndexFacesModelVersion"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", aliceFace["ImageId"]!.GetValue<string>());
        Assert.InRange(aliceFace["Confidence"]!.GetValue<double>(), 99, 100);
        foreach (var side in new[] { "Width", "Height", "Left", "Top" })
            Assert.InRange(aliceFace["BoundingBox"]![side]!.GetValue<double>(), 0, 1);

        var freeFace = all.Single(f => f!["FaceId"]!.GetValue<string>() == freeFaceId)!;
        Assert.Null(freeFace["UserId"]); // not associated: no UserId field
    }

    [Fact]
    public async Task ListFaces_filters_by_user_and_by_face_ids()
    {
        var g = await GenerateAsync("c", 5, ("alice", 3), ("bob", 2));
        var byUser = await Client.OkAsync("ListFaces", Body(("CollectionId", "c"), ("UserId", "bob")));
        Assert.Equal(UserFaceIds(g, "bob").Order(), byUser["Faces"]!.AsArray().Select(f => f!["FaceId"]!.GetValue<string>()).Order());

        var wanted = new[] { FreeFaceIds(g)[0], UserFaceIds(g, "alice")[1], "00000000-0000-0000-0000-000000000000" };
        var byIds = await Client.OkAsync("ListFaces", Body(("CollectionId", "c"), ("FaceIds", EmulatorClient.Ids(wanted))));
        Assert.Equal(wanted.Take(2).Order(), byIds["Faces"]!.AsArray().Select(f => f!["FaceId"]!.GetValue<string>()).Order());

        var both = await Client.OkAsync("ListFaces", Body(("CollectionId", "c"), ("UserId", "alice"), ("FaceIds", EmulatorClient.Ids(wanted))));
        Assert.Single(both["Faces"]!.AsArray());

        await Client.ErrorAsync("ListFaces", Body(("CollectionId", "c"), ("FaceIds", new JsonArray())), "InvalidParameterException");
        var tooMany = Enumerable.Range(0, 4097).Select(i => $"{i:x8}-0000-0000-0000-000000000000").ToArray();
        await Client.ErrorAsync("ListFaces", Body(("CollectionId", "c"), ("FaceIds", EmulatorClient.Ids(tooMany))), "InvalidParameterException");
        await Client.ErrorAsync("ListFaces", Body(("CollectionId", "c"), ("MaxResults", 4097)), "InvalidParameterException");
        var small = await Client.OkAsync("ListFaces", Body(("CollectionId", "c"), ("MaxResults", 4)));
        Assert.Equal(4, small["Faces"]!.AsArray().Count);
    }

    [Fact]
    public async Task ListCollections_pages_and_lists_model_versions()
    {
        foreach (var id in new[] { "c3", "c1", "c2" })
            await Client.OkAsync("CreateCollection", Body(("CollectionId", id)));
        var first = await Client.OkAsync("ListCollections", Body(("MaxResults", 2)));
        Assert.Equal(["c1", "c2"], EmulatorClient.Strings(first["CollectionIds"]));
        Assert.Equal(["7.0", "7.0"], EmulatorClient.Strings(first["FaceModelVersions"]));
        var second = await Client.OkAsync("ListCollections", Body(("NextToken", first["NextToken"]!.GetValue<string>())));
        Assert.Equal(["c3"], EmulatorClient.Strings(second["CollectionIds"]));
        Assert.Null(second["NextToken"]);
    }

    [Fact]
    public async Task ListCollections_tokens_stay_within_255_characters_for_the_longest_IDs()
    {
        var ids = new[] { 'a', 'b', 'c' }.Select(c => new string(c, 255)).ToArray();
        foreach (var id in ids) await Client.OkAsync("CreateCollection", Body(("CollectionId", id)));
        var listed = new List<string>();
        string token = null;
        do
        {
            var request = Body(("MaxResults", 1));
            if (token != null) request["NextToken"] = token;
            var page = await Client.OkAsync("ListCollections", request);
            listed.AddRange(EmulatorClient.Strings(page["CollectionIds"]));
            token = page["NextToken"]?.GetValue<string>();
            Assert.True(token == null || token.Length <= 255, $"a NextToken of {token?.Length} characters");
        }
        while (token != null);
        Assert.Equal(ids, listed);
    }
}
