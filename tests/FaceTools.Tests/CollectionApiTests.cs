using System.Text.Json;
using FaceTools.Engine.Client;
using FaceTools.Engine.Operations;
using FaceTools.Engine.Protocol;

namespace FaceTools.Tests;

/// <summary>
/// The collection operations against a loopback HTTP server (the bodies written, the answers read), the image
/// checks made before any request, and the rules they use. Only 127.0.0.1 is contacted.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class CollectionApiTests : IDisposable
{
    private const string F1 = "11111111-1111-4111-8111-111111111111";
    private const string F2 = "22222222-2222-4222-8222-222222222222";
    private const string F3 = "33333333-3333-4333-8333-333333333333";
    private static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    private readonly AwsEnvironment _env = new();
    private readonly List<string> _files = new();

    public void Dispose()
    {
        _env.Dispose();
        foreach (string file in _files)
        {
            try { File.Delete(file); } catch (IOException) { }
        }
    }

    private static RekognitionApi ApiFor(string url) =>
        RekognitionClients.Get(new ConnectionSettings { AccessKey = "AKIDLOOPBACK0002", SecretKey = "loopbackSECRET/collections", Region = "us-east-1", EndpointUrl = url, TimeoutSec = 20 });

    private static CannedResponse Ok(string body, string requestId = "req-ok") =>
        new() { Body = body, Headers = { ["x-amzn-RequestId"] = requestId } };

    private static JsonElement BodyOf(ReceivedRequest request)
    {
        using var document = JsonDocument.Parse(request.Body);
        return document.RootElement.Clone();
    }

    private static T Run<T>(Task<T> task)
    {
        Assert.True(task.Wait(TimeSpan.FromSeconds(60)) || task.IsCompleted, "the call never finished");
        return task.Result;
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private string TempFile(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), "facetools-tests-image-" + Guid.NewGuid().ToString("N") + ".png");
        File.WriteAllBytes(path, bytes);
        _files.Add(path);
        return path;
    }

    private static byte[] Png(int length)
    {
        var bytes = new byte[length];
        PngSignature.CopyTo(bytes, 0);
        for (int i = PngSignature.Length; i < length; i++) bytes[i] = (byte)i;
        return bytes;
    }

    // ------------------------------------------------------------------ collections

    [Fact]
    public void CreateCollection_WritesIdAndTags_AndReadsArnAndModel()
    {
        using var server = new LoopbackServer(_ => Ok("""{ "StatusCode": 200, "CollectionArn": "aws:rekognition:us-east-1:1:collection/c", "FaceModelVersion": "7.0" }""", "req-create"));
        var created = Run(ApiFor(server.Url).CreateCollectionAsync("c", new Dictionary<string, string> { ["team"] = "hr" }, CancellationToken.None));

        Assert.Equal("c", created.CollectionId);
        Assert.Equal("aws:rekognition:us-east-1:1:collection/c", created.CollectionArn);
        Assert.Equal("7.0", created.FaceModelVersion);
        Assert.Equal("req-create", created.RequestId);
        var request = Assert.Single(server.Requests);
        Assert.Equal("RekognitionService.CreateCollection", request.Headers["X-Amz-Target"]);
        Assert.Equal("""{"CollectionId":"c","Tags":{"team":"hr"}}""", request.BodyText);
    }

    [Fact]
    public void CreateCollection_WithoutTags_OmitsThem()
    {
        using var server = new LoopbackServer(_ => Ok("{}"));
        Run(ApiFor(server.Url).CreateCollectionAsync("c", new Dictionary<string, string>(), CancellationToken.None));
        Assert.Equal("""{"CollectionId":"c"}""", Assert.Single(server.Requests).BodyText);
    }

    [Fact]
    public void DescribeCollection_ReadsCountsArnAndEpochSecondsAsUtc()
    {
        using var server = new LoopbackServer(_ => Ok("""
            { "FaceCount": 4096, "UserCount": 12, "FaceModelVersion": "7.0",
              "CollectionARN": "aws:rekognition:eu-west-1:1:collection/staff", "CreationTimestamp": 1718000000.123 }
            """));
        var described = Run(ApiFor(server.Url).DescribeCollectionAsync("staff", CancellationToken.None));

        Assert.Equal(4096, described.FaceCount);
        Assert.Equal(12, described.UserCount);
        Assert.Equal("aws:rekognition:eu-west-1:1:collection/staff", described.CollectionArn);
        Assert.Equal(new DateTime(2024, 6, 10, 6, 13, 20, 123, DateTimeKind.Utc), described.CreationTimestamp);
        Assert.Equal(DateTimeKind.Utc, described.CreationTimestamp.Value.Kind);
        Assert.Equal("""{"CollectionId":"staff"}""", Assert.Single(server.Requests).BodyText);
    }

    [Theory]
    [InlineData("""{ "CreationTimestamp": 0 }""", "1970-01-01T00:00:00.0000000Z")]
    [InlineData("""{ "CreationTimestamp": "2024-06-10T06:13:20Z" }""", "2024-06-10T06:13:20.0000000Z")]
    [InlineData("""{ "CreationTimestamp": "not a time" }""", null)]
    [InlineData("""{ "CreationTimestamp": 1e300 }""", null)]
    [InlineData("""{ }""", null)]
    public void Timestamp_ReadsEpochSecondsOrIso8601_AndNothingElse(string json, string expected)
    {
        DateTime? read = RekognitionApi.Timestamp(Parse(json), "CreationTimestamp");
        Assert.Equal(expected, read?.ToString("o"));
    }

    [Fact]
    public void DescribeCollection_MissingOrMistypedFields_AreNull()
    {
        var described = RekognitionApi.ReadCollectionDescription("c", Parse("""{ "FaceCount": "many", "CollectionArn": "arn-from-create" }"""), null);
        Assert.Null(described.FaceCount);
        Assert.Null(described.UserCount);
        Assert.Null(described.CreationTimestamp);
        Assert.Equal("arn-from-create", described.CollectionArn);
    }

    [Fact]
    public void DeleteCollection_WritesTheId_AndNotFoundIsARekognitionException()
    {
        using var server = new LoopbackServer(_ => new CannedResponse
        {
            Status = 400,
            Body = """{"__type":"ResourceNotFoundException","Message":"The collection id: gone does not exist"}""",
        });
        var task = Task.Run(() => ApiFor(server.Url).DeleteCollectionAsync("gone", CancellationToken.None));
        var error = Assert.IsType<RekognitionException>(Assert.Throws<AggregateException>(() => task.Wait(TimeSpan.FromSeconds(60))).InnerException);

        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
        Assert.Equal(FailureKind.NotFound, error.Kind);
        Assert.Equal("""{"CollectionId":"gone"}""", Assert.Single(server.Requests).BodyText);
    }

    // ------------------------------------------------------------------ IndexFaces

    [Fact]
    public void IndexFaces_SendsBase64Bytes_AndTheOptions()
    {
        using var server = new LoopbackServer(_ => Ok("""{ "FaceRecords": [], "UnindexedFaces": [] }"""));
        byte[] image = Png(20);
        Run(ApiFor(server.Url).IndexFacesAsync("c", ImageInput.FromBytes(image), "alice_1.png", 3, "HIGH", CancellationToken.None));

        var request = Assert.Single(server.Requests);
        Assert.Equal("RekognitionService.IndexFaces", request.Headers["X-Amz-Target"]);
        var body = BodyOf(request);
        Assert.Equal(new[] { "CollectionId", "Image", "ExternalImageId", "MaxFaces", "QualityFilter" }, body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(image, body.GetProperty("Image").GetProperty("Bytes").GetBytesFromBase64());
        Assert.Equal(Convert.ToBase64String(image), body.GetProperty("Image").GetProperty("Bytes").GetString());
        Assert.Equal("alice_1.png", body.GetProperty("ExternalImageId").GetString());
        Assert.Equal(3, body.GetProperty("MaxFaces").GetInt32());
        Assert.Equal("HIGH", body.GetProperty("QualityFilter").GetString());
    }

    [Fact]
    public void IndexFaces_FromS3_SendsTheObject_AndOmitsUnsetOptions()
    {
        using var server = new LoopbackServer(_ => Ok("{}"));
        Run(ApiFor(server.Url).IndexFacesAsync("c", ImageInput.FromS3("bucket", "staff/a b.jpg", "v2"), null, null, null, CancellationToken.None));
        Assert.Equal("""{"CollectionId":"c","Image":{"S3Object":{"Bucket":"bucket","Name":"staff/a b.jpg","Version":"v2"}}}""", Assert.Single(server.Requests).BodyText);
    }

    [Fact]
    public void IndexFaces_ReadsIndexedAndUnindexedFaces()
    {
        using var server = new LoopbackServer(_ => Ok($$"""
            { "FaceRecords": [
                { "Face": { "FaceId": "{{F1}}", "ImageId": "{{F2}}", "ExternalImageId": "x.png", "Confidence": 99.9,
                            "BoundingBox": { "Width": 0.5, "Height": 0.4, "Left": 0.1, "Top": 0.2 }, "IndexFacesModelVersion": "7.0" },
                  "FaceDetail": { "Confidence": 99.9 } },
                { "FaceDetail": { "Confidence": 1 } },
                7 ],
              "UnindexedFaces": [ { "Reasons": [ "EXCEEDS_MAX_FACES", "LOW_SHARPNESS", 3 ],
                                    "FaceDetail": { "Confidence": 88.5, "BoundingBox": { "Width": 0.1, "Height": 0.1, "Left": 0.7, "Top": 0.7 } } },
                                  { } ],
              "FaceModelVersion": "7.0" }
            """, "req-index"));
        var outcome = Run(ApiFor(server.Url).IndexFacesAsync("c", ImageInput.FromBytes(Png(9)), null, null, null, CancellationToken.None));

        var face = Assert.Single(outcome.Indexed);
        Assert.Equal(F1, face.FaceId);
        Assert.Equal(F2, face.ImageId);
        Assert.Equal("x.png", face.ExternalImageId);
        Assert.Equal(0.4, face.BoundingBox.Height);
        Assert.Equal(2, outcome.Unindexed.Count);
        Assert.Equal(new[] { "EXCEEDS_MAX_FACES", "LOW_SHARPNESS" }, outcome.Unindexed[0].Reasons);
        Assert.Equal(88.5, outcome.Unindexed[0].Confidence);
        Assert.Equal(0.7, outcome.Unindexed[0].BoundingBox.Left);
        Assert.Empty(outcome.Unindexed[1].Reasons);
        Assert.Null(outcome.Unindexed[1].BoundingBox);
        Assert.Equal("7.0", outcome.FaceModelVersion);
        Assert.Equal("req-index", outcome.RequestId);
        Assert.Equal(1, outcome.Attempts);
    }

    // ------------------------------------------------------------------ DeleteFaces

    [Fact]
    public void DeleteFaces_WritesTheIds_AndReadsStringDeletionsAndRefusals()
    {
        using var server = new LoopbackServer(_ => Ok($$"""
            { "DeletedFaces": [ "{{F1}}" ],
              "UnsuccessfulFaceDeletions": [ { "FaceId": "{{F2}}", "UserId": "alice", "Reasons": [ "ASSOCIATED_TO_AN_EXISTING_USER" ] },
                                             { "FaceId": "{{F3}}", "Reasons": [ "FACE_NOT_FOUND" ] } ] }
            """, "req-delete"));
        var outcome = Run(ApiFor(server.Url).DeleteFacesAsync("c", new[] { F1, F2, F3 }, CancellationToken.None));

        Assert.Equal($$"""{"CollectionId":"c","FaceIds":["{{F1}}","{{F2}}","{{F3}}"]}""", Assert.Single(server.Requests).BodyText);
        Assert.Equal(new[] { F1 }, outcome.Succeeded);
        Assert.Equal("alice", outcome.Unsuccessful[0].UserId);
        Assert.Equal(new[] { "FACE_NOT_FOUND" }, outcome.Unsuccessful[1].Reasons);
        Assert.Equal("req-delete", outcome.RequestId);

        var verdicts = FaceVerdicts.For(new[] { F1, F2, F3 }, outcome).ToList();
        Assert.Equal(new[] { FaceVerdictKind.Succeeded, FaceVerdictKind.Refused, FaceVerdictKind.Refused }, verdicts.Select(v => v.Kind));
    }

    // ------------------------------------------------------------------ SearchUsers

    [Fact]
    public void SearchUsers_ByFace_WritesTheFace_AndReadsMatchesInTheServicesOrder()
    {
        using var server = new LoopbackServer(_ => Ok($$"""
            { "UserMatches": [ { "Similarity": 99.5, "User": { "UserId": "alice", "UserStatus": "ACTIVE" } },
                               { "Similarity": 81.25, "User": { "UserId": "bob", "UserStatus": "UPDATING" } },
                               { "Similarity": 90 } ],
              "SearchedFace": { "FaceId": "{{F1}}" }, "FaceModelVersion": "7.0" }
            """, "req-search"));
        var outcome = Run(ApiFor(server.Url).SearchUsersAsync("c", F1, null, 80.5, 10, CancellationToken.None));

        Assert.Equal($$"""{"CollectionId":"c","FaceId":"{{F1}}","UserMatchThreshold":80.5,"MaxUsers":10}""", Assert.Single(server.Requests).BodyText);
        Assert.Equal(new[] { "alice", "bob", null }, outcome.Matches.Select(m => m.UserId));
        Assert.Equal(new double?[] { 99.5, 81.25, 90 }, outcome.Matches.Select(m => m.Similarity));
        Assert.Equal("UPDATING", outcome.Matches[1].UserStatus);
        Assert.Equal(F1, outcome.SearchedFaceId);
        Assert.Null(outcome.SearchedUserId);
        Assert.Equal("req-search", outcome.RequestId);
    }

    [Fact]
    public void SearchUsers_ByUser_WritesTheUserOnly()
    {
        using var server = new LoopbackServer(_ => Ok("""{ "UserMatches": [], "SearchedUser": { "UserId": "bob" } }"""));
        var outcome = Run(ApiFor(server.Url).SearchUsersAsync("c", null, "bob", null, null, CancellationToken.None));

        Assert.Equal("""{"CollectionId":"c","UserId":"bob"}""", Assert.Single(server.Requests).BodyText);
        Assert.Empty(outcome.Matches);
        Assert.Equal("bob", outcome.SearchedUserId);
    }

    [Fact]
    public async Task SearchUsers_NeedsExactlyOneOfFaceAndUser()
    {
        using var server = new LoopbackServer(_ => Ok("{}"));
        var api = ApiFor(server.Url);
        await Assert.ThrowsAsync<ArgumentException>(() => api.SearchUsersAsync("c", null, null, null, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => api.SearchUsersAsync("c", F1, "bob", null, null, CancellationToken.None));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void SearchUsersByImage_SendsTheImage()
    {
        using var server = new LoopbackServer(_ => Ok("""{ "UserMatches": [ { "Similarity": 99.1, "User": { "UserId": "alice", "UserStatus": "ACTIVE" } } ] }"""));
        byte[] image = Png(12);
        var outcome = Run(ApiFor(server.Url).SearchUsersByImageAsync("c", ImageInput.FromBytes(image), 0, 500, CancellationToken.None));

        var request = Assert.Single(server.Requests);
        Assert.Equal("RekognitionService.SearchUsersByImage", request.Headers["X-Amz-Target"]);
        Assert.Equal($$"""{"CollectionId":"c","Image":{"Bytes":"{{Convert.ToBase64String(image)}}"},"UserMatchThreshold":0,"MaxUsers":500}""", request.BodyText);
        Assert.Equal("alice", Assert.Single(outcome.Matches).UserId);
    }

    // ------------------------------------------------------------------ local images and rules

    [Fact]
    public void LocalImage_AcceptsPngAndJpeg_WithTheirBytes()
    {
        byte[] png = Png(100);
        var image = LocalImage.Read(TempFile(png));
        Assert.Equal(LocalImageProblem.None, image.Problem);
        Assert.Equal("PNG", image.Format);
        Assert.Equal(png, image.Bytes);
        Assert.Null(image.Message);

        byte[] jpeg = { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0xFF, 0xD9 };
        var photo = LocalImage.Read(TempFile(jpeg));
        Assert.Equal("JPEG", photo.Format);
        Assert.Equal(jpeg, photo.Bytes);
    }

    [Fact]
    public void LocalImage_AtTheLimit_IsAccepted_OneByteOver_IsRefusedNamingFileAndLimit()
    {
        var atLimit = LocalImage.Read(TempFile(Png(FieldRules.MaxImageBytes)));
        Assert.Equal(LocalImageProblem.None, atLimit.Problem);
        Assert.Equal(5242880, atLimit.Bytes.Length);

        string path = TempFile(Png(FieldRules.MaxImageBytes + 1));
        var over = LocalImage.Read(path);
        Assert.Equal(LocalImageProblem.TooLarge, over.Problem);
        Assert.Null(over.Bytes);
        Assert.Equal(5242881, over.Length);
        Assert.Contains(path, over.Message);
        Assert.Contains("5,242,880 bytes", over.Message);
        Assert.Contains("5,242,881 bytes", over.Message);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 })]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A })]
    [InlineData(new byte[] { 0xFF, 0xD8 })]
    [InlineData(new byte[] { 0x42, 0x4D, 0x00, 0x00 })]
    public void LocalImage_NeitherPngNorJpeg_IsRefused(byte[] bytes)
    {
        string path = TempFile(bytes);
        var image = LocalImage.Read(path);
        Assert.Equal(LocalImageProblem.NotPngOrJpeg, image.Problem);
        Assert.Null(image.Bytes);
        Assert.Contains(path, image.Message);
        Assert.Contains("PNG or JPEG", image.Message);
    }

    [Fact]
    public void LocalImage_MissingFile_Throws()
    {
        Assert.Throws<FileNotFoundException>(() => LocalImage.Read(Path.Combine(Path.GetTempPath(), "facetools-no-such-image-" + Guid.NewGuid() + ".png")));
    }

    [Theory]
    [InlineData("alice_1.png", "alice_1.png")]
    [InlineData("Zoë Smith (2024).JPG", "Zo__Smith__2024_.JPG")]
    [InlineData("a:b-c.d_e", "a:b-c.d_e")]
    [InlineData("名前.png", "__.png")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void ExternalImageIds_ReplaceOtherCharacters(string name, string expected)
    {
        Assert.Equal(expected, ExternalImageIds.From(name));
        if (expected != null) Assert.True(FieldRules.ExternalImageId.IsValid(expected));
    }

    [Fact]
    public void ExternalImageIds_AreCutTo255Characters()
    {
        string id = ExternalImageIds.From(new string('x', 300) + ".png");
        Assert.Equal(new string('x', 255), id);
        Assert.True(FieldRules.ExternalImageId.IsValid(id));
    }

    [Theory]
    [InlineData("team", true)]
    [InlineData("cost center/2024 @hr+ops=x:y", true)]
    [InlineData("aws:team", false)]
    [InlineData("", false)]
    [InlineData("a;b", false)]
    public void TagKeyRule(string key, bool valid) => Assert.Equal(valid, FieldRules.TagKey.IsValid(key));

    [Fact]
    public void TagRules_Lengths()
    {
        Assert.True(FieldRules.TagKey.IsValid(new string('k', 128)));
        Assert.False(FieldRules.TagKey.IsValid(new string('k', 129)));
        Assert.True(FieldRules.TagValue.IsValid(""));
        Assert.True(FieldRules.TagValue.IsValid(new string('v', 256)));
        Assert.False(FieldRules.TagValue.IsValid(new string('v', 257)));
        Assert.Equal(200, FieldRules.MaxTags);
    }

    [Fact]
    public void ImageAndSearchLimits_MatchTheServiceModel()
    {
        Assert.Equal(5 * 1024 * 1024, FieldRules.MaxImageBytes);
        Assert.Equal(100, FieldRules.MaxFacesToIndex);
        Assert.Equal(500, FieldRules.MaxUserResults);
        Assert.Equal(new[] { "NONE", "AUTO", "LOW", "MEDIUM", "HIGH" }, FieldRules.QualityFilters);
        Assert.True(FieldRules.S3Bucket.IsValid("my.photo-bucket_1"));
        Assert.False(FieldRules.S3Bucket.IsValid("ab"));
        Assert.False(FieldRules.S3Bucket.IsValid("a/b"));
        Assert.True(FieldRules.S3ObjectName.IsValid("staff/a b.jpg"));
        Assert.False(FieldRules.S3ObjectName.IsValid(""));
        Assert.False(FieldRules.S3ObjectName.IsValid(new string('k', 1025)));
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, 8, "PNG")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF }, 3, "JPEG")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF }, 2, null)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0B }, 8, null)]
    public void ImageFormatOf_ReadsTheSignature(byte[] start, int count, string expected) =>
        Assert.Equal(expected, FieldRules.ImageFormatOf(start, count));
}
