using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace FaceTools.Emulator.Tests;

public sealed class CollectionAndFaceTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Bytes that start like a PNG (or JPEG) and differ by seed; the emulator only checks the signature.</summary>
    public static byte[] FakeImage(int seed, bool jpeg = false, int size = 64)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        if (jpeg) { bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF; }
        else PngSignature.CopyTo(bytes, 0);
        return bytes;
    }

    private static JsonObject Image(byte[] bytes) => new() { ["Bytes"] = Convert.ToBase64String(bytes) };

    [Theory]
    [InlineData("aws:owner", "x")]
    [InlineData("bad#key", "v")]
    [InlineData("team", "value!")]
    public async Task Tags_follow_the_service_rules(string key, string value)
    {
        var response = await Client.CallAsync("CreateCollection", Body(("CollectionId", "tagged"), ("Tags", new JsonObject { [key] = value })));
        EmulatorClient.AssertError(response, "InvalidParameterException");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.CallAsync("DescribeCollection", Body(("CollectionId", "tagged")))).Status);
    }

    [Fact]
    public async Task Collections_are_created_described_listed_and_deleted()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var created = await Client.OkAsync("CreateCollection", Body(("CollectionId", "faces.v1"), ("Tags", new JsonObject { ["team"] = "qa" })));
        Assert.Equal(200, created["StatusCode"]!.GetValue<int>());
        Assert.Equal("aws:rekognition:us-east-1:123456789012:collection/faces.v1", created["CollectionArn"]!.GetValue<string>());
        Assert.Equal("7.0", created["FaceModelVersion"]!.GetValue<string>());
        await Client.ErrorAsync("CreateCollection", Body(("CollectionId", "faces.v1")), "ResourceAlreadyExistsException");
        await Client.ErrorAsync("CreateCollection", Body(("CollectionId", "")), "InvalidParameterException");

        await GenerateAsync("faces.v1", 4, ("alice", 2), ("bob", 0));
        var described = await Client.OkAsync("DescribeCollection", Body(("CollectionId", "faces.v1")));
        Assert.Equal(6, described["FaceCount"]!.GetValue<int>());
        Assert.Equal(2, described["UserCount"]!.GetValue<int>());
        Assert.Equal("7.0", described["FaceModelVersion"]!.GetValue<string>());
        Assert.Equal(created["CollectionArn"]!.GetValue<string>(), described["CollectionARN"]!.GetValue<string>());
        Assert.InRange(described["CreationTimestamp"]!.GetValue<double>(), before - 1, before + 5);

        var deleted = await Client.OkAsync("DeleteCollection", Body(("CollectionId", "faces.v1")));
        Assert.Equal(200, deleted["StatusCode"]!.GetValue<int>());
        await Client.ErrorAsync("DescribeCollection", Body(("CollectionId", "faces.v1")), "ResourceNotFoundException");
        await Client.ErrorAsync("DeleteCollection", Body(("CollectionId", "faces.v1")), "ResourceNotFoundException");
    }

    [Fact]
    public async Task DeleteFaces_deletes_free_faces_and_reports_the_rest()
    {
        var g = await GenerateAsync("c", 2, ("alice", 1));
        var free = FreeFaceIds(g);
        var alices = UserFaceIds(g, "alice")[0];
        const string missing = "11111111-2222-3333-4444-555555555555";

        var answer = await Client.OkAsync("DeleteFaces", Body(("CollectionId", "c"), ("FaceIds", EmulatorClient.Ids(free[0], alices, missing))));
        Assert.Equal([free[0]], EmulatorClient.Strings(answer["DeletedFaces"]));
        var unsuccessful = answer["UnsuccessfulFaceDeletions"]!.AsArray();
        var associated = unsuccessful.Single(u => u!["FaceId"]!.GetValue<string>() == alices)!;
        Assert.Equal("alice", associated["UserId"]!.GetValue<string>());
        Assert.Equal(["ASSOCIATED_TO_AN_EXISTING_USER"], EmulatorClient.Strings(associated["Reasons"]));
        Assert.Equal(["FACE_NOT_FOUND"], EmulatorClient.Strings(unsuccessful.Single(u => u!["FaceId"]!.GetValue<string>() == missing)!["Reasons"]));

        var owners = await FaceOwnersAsync("c");
        Assert.Equal(2, owners.Count);
        Assert.False(owners.ContainsKey(free[0]));

        var tooMany = Enumerable.Range(0, 4097).Select(i => $"{i:x8}-0000-0000-0000-000000000000").ToArray();
        await Client.ErrorAsync("DeleteFaces", Body(("CollectionId", "c"), ("FaceIds", EmulatorClient.Ids(tooMany))), "InvalidParameterException");
        await Client.ErrorAsync("DeleteFaces", Body(("CollectionId", "c"), ("FaceIds", new JsonArray())), "InvalidParameterException");
    }

    [Fact]
    public async Task IndexFaces_is_deterministic_and_does_not_duplicate_a_face()
    {
        await Client.OkAsync("CreateCollection", Body(("CollectionId", "c")));
        var image = FakeImage(1);
        var answer = await Client.OkAsync("IndexFaces", Body(("CollectionId", "c"), ("Image", Image(image)),
            ("ExternalImageId", "photo-1.png"), ("MaxFaces", 1), ("QualityFilter", "AUTO"), ("DetectionAttributes", new JsonArray("DEFAULT"))));

        var record = answer["FaceRecords"]!.AsArray().Single()!;
        var face = record["Face"]!;
        var hash = SHA256.HashData(image);
        Assert.Equal(EmulatorClient.GuidOfHash(hash), face["FaceId"]!.GetValue<string>());
        Assert.Equal("photo-1.png", face["ExternalImageId"]!.GetValue<string>());
        Assert.Equal("7.0", face["IndexFacesModelVersion"]!.GetValue<string>());
        Assert.InRange(face["Confidence"]!.GetValue<double>(), 99, 100);
        Assert.NotNull(face["ImageId"]);
        Assert.Equal(face["BoundingBox"]!.ToJsonString(), record["FaceDetail"]!["BoundingBox"]!.ToJsonString());
        Assert.Empty(answer["UnindexedFaces"]!.AsArray());
        Assert.Equal("7.0", answer["FaceModelVersion"]!.GetValue<string>());

        var again = await Client.OkAsync("IndexFaces", Body(("CollectionId", "c"), ("Image", Image(image)), ("ExternalImageId", "photo-1.png")));
        Assert.Equal(face.ToJsonString(), again["FaceRecords"]![0]!["Face"]!.ToJsonString());
        var jpeg = await Client.OkAsync("IndexFaces", Body(("CollectionId", "c"), ("Image", Image(FakeImage(2, jpeg: true)))));
        Assert.Null(jpeg["FaceRecords"]![0]!["Face"]!["ExternalImageId"]);
        Assert.Equal(2, (await Client.OkAsync("DescribeCollection", Body(("CollectionId", "c"))))["FaceCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task IndexFaces_finds_no_face_in_an_image_marked_NOFACE_and_adds_none()
    {
        await Client.OkAsync("CreateCollection", Body(("CollectionId", "c")));
        var image = FakeImage(3);
        "NOFACE"u8.CopyTo(image.AsSpan(20));

        var answer = await Client.OkAsync("IndexFaces", Body(("CollectionId", "c"), ("Image", Image(image))));

        Assert.Empty(answer["FaceRecords"]!.AsArray());
        Assert.Empty(answer["UnindexedFaces"]!.AsArray());
        Assert.Equal("7.0", answer["FaceModelVersion"]!.GetValue<string>());
        Assert.Equal(0, (await Client.OkAsync("DescribeCollection", Body(("CollectionId", "c"))))["FaceCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task IndexFaces_checks_the_image_and_its_other_fields()
    {
        await Client.OkAsync("CreateCollection", Body(("CollectionId", "c")));
        await Client.ErrorAsync("IndexFaces", Body(("CollectionId", "c"), ("Image", Image("GIF89a-not-supported"u8.ToArray()))), "InvalidImageFormatException");
        await Client.ErrorAsync("IndexFaces", Body(("CollectionId", "c"), ("Image", Image(FakeImage(3, size: 5 * 1024 * 1024 + 1)))), "ImageTooLargeException");
        Assert.Equal(200, (int)(await Client.CallAsync("IndexFaces", Body(("CollectionId", "c"), ("Image", Image(FakeImage(3, size: 5 * 1024 * 1024)))))).Status);
        await Client.ErrorAsync("IndexFaces", Body(("CollectionId", "c"), ("Image", new JsonObject { ["Bytes"] = "***" })), "SerializationException");
        await Client.ErrorAsync("IndexFaces", Body(("CollectionId", "c"), ("Image", Image(FakeImage(4))), ("QualityFilter", "BEST")), "InvalidParameterException");
        await Client.ErrorAsync("IndexFaces", Body(("CollectionId", "c"), ("Image", Image(FakeImage(4))), ("MaxFaces", 0)), "InvalidParameterException");
        await Client.ErrorAsync("IndexFaces", Body(("CollectionId", "c"), ("Image", Image(FakeImage(4))), ("ExternalImageId", "has space")), "InvalidParameterException");
        await Client.ErrorAsync("IndexFaces", Body(("CollectionId", "missing"), ("Image", Image(FakeImage(4)))), "ResourceNotFoundException");
    }

    [Fact]
    public async Task SearchUsers_finds_the_owner_of_a_face_and_ranks_others_below_the_default_threshold()
    {
        var g = await GenerateAsync("c", 1, ("alice", 2), ("bob", 1), ("carol", 1), ("nofaces", 0));
        var aliceFace = UserFaceIds(g, "alice")[0];

        var byFace = await Client.OkAsync("SearchUsers", Body(("CollectionId", "c"), ("FaceId", aliceFace)));
        var match = byFace["UserMatches"]!.AsArray().Single()!;
        Assert.Equal("alice", match["User"]!["UserId"]!.GetValue<string>());
        Assert.Equal("ACTIVE", match["User"]!["UserStatus"]!.GetValue<string>());
        Assert.InRange(match["Similarity"]!.GetValue<double>(), 99, 100);
        Assert.Equal(aliceFace, byFace["SearchedFace"]!["FaceId"]!.GetValue<string>());
        Assert.Equal("7.0", byFace["FaceModelVersion"]!.GetValue<string>());

        var everyone = await Client.OkAsync("SearchUsers", Body(("CollectionId", "c"), ("FaceId", aliceFace), ("UserMatchThreshold", 0)));
        var ranked = everyone["UserMatches"]!.AsArray();
        Assert.Equal(3, ranked.Count); // users without faces never match
        Assert.Equal("alice", ranked[0]!["User"]!["UserId"]!.GetValue<string>());
        var similarities = ranked.Select(m => m!["Similarity"]!.GetValue<double>()).ToList();
        Assert.Equal(similarities.OrderDescending(), similarities);
        Assert.All(similarities.Skip(1), s => Assert.InRange(s, 0, 80));

        var limited = await Client.OkAsync("SearchUsers", Body(("CollectionId", "c"), ("FaceId", aliceFace), ("UserMatchThreshold", 0), ("MaxUsers", 2)));
        Assert.Equal(2, limited["UserMatches"]!.AsArray().Count);

        var byUser = await Client.OkAsync("SearchUsers", Body(("CollectionId", "c"), ("UserId", "bob")));
        Assert.Equal("bob", byUser["SearchedUser"]!["UserId"]!.GetValue<string>());
        Assert.Equal("bob", byUser["UserMatches"]![0]!["User"]!["UserId"]!.GetValue<string>());

        var freeFace = await Client.OkAsync("SearchUsers", Body(("CollectionId", "c"), ("FaceId", FreeFaceIds(g)[0])));
        Assert.Empty(freeFace["UserMatches"]!.AsArray());

        await Client.ErrorAsync("SearchUsers", Body(("CollectionId", "c")), "InvalidParameterException");
        await Client.ErrorAsync("SearchUsers", Body(("CollectionId", "c"), ("UserId", "bob"), ("FaceId", aliceFace)), "InvalidParameterException");
        await Client.ErrorAsync("SearchUsers", Body(("CollectionId", "c"), ("UserId", "bob"), ("MaxUsers", 501)), "InvalidParameterException");
        await Client.ErrorAsync("SearchUsers", Body(("CollectionId", "c"), ("UserId", "ghost")), "ResourceNotFoundException");
    }

    [Fact]
    public async Task SearchUsersByImage_matches_the_user_of_the_indexed_face()
    {
        await GenerateAsync("c", 0, ("alice", 1), ("bob", 1));
        var image = FakeImage(7);
        var indexed = await Client.OkAsync("IndexFaces", Body(("CollectionId", "c"), ("Image", Image(image))));
        var faceId = indexed["FaceRecords"]![0]!["Face"]!["FaceId"]!.GetValue<string>();
        await Client.OkAsync("AssociateFaces", Body(("CollectionId", "c"), ("UserId", "alice"), ("FaceIds", EmulatorClient.Ids(faceId))));

        var found = await Client.OkAsync("SearchUsersByImage", Body(("CollectionId", "c"), ("Image", Image(image)), ("QualityFilter", "NONE")));
        Assert.Equal("alice", found["UserMatches"]!.AsArray().Single()!["User"]!["UserId"]!.GetValue<string>());
        Assert.Equal(indexed["FaceRecords"]![0]!["FaceDetail"]!.ToJsonString(), found["SearchedFace"]!["FaceDetail"]!.ToJsonString());
        Assert.Empty(found["UnsearchedFaces"]!.AsArray());
        Assert.Equal("7.0", found["FaceModelVersion"]!.GetValue<string>());

        var stranger = await Client.OkAsync("SearchUsersByImage", Body(("CollectionId", "c"), ("Image", Image(FakeImage(8)))));
        Assert.Empty(stranger["UserMatches"]!.AsArray());
        await Client.ErrorAsync("SearchUsersByImage", Body(("CollectionId", "c"), ("Image", Image("nope"u8.ToArray()))), "InvalidImageFormatException");
    }
}
