using System.Text.Json;
using FaceTools.Engine.Operations;

namespace FaceTools.Tests;

/// <summary>RekognitionApi's readers of successful answers: full shapes, missing and mistyped fields.</summary>
public class ResponseReadingTests
{
    private const string F1 = "11111111-1111-4111-8111-111111111111";
    private const string F2 = "22222222-2222-4222-8222-222222222222";
    private const string F3 = "33333333-3333-4333-8333-333333333333";

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static FaceBatchOutcome Associate(string json, string requestId = "req-1", int attempts = 1) =>
        RekognitionApi.ReadFaceBatchOutcome(Parse(json), "AssociatedFaces", "UnsuccessfulFaceAssociations", requestId, attempts, new[] { F1, F2, F3 });

    [Fact]
    public void AssociateFaces_FullShape()
    {
        var outcome = Associate($$"""
            {
              "AssociatedFaces": [ { "FaceId": "{{F1}}" }, { "FaceId": "{{F2}}" } ],
              "UnsuccessfulFaceAssociations": [
                { "FaceId": "{{F3}}", "UserId": "other-user", "Confidence": 12.5,
                  "Reasons": [ "ASSOCIATED_TO_A_DIFFERENT_USER", "LOW_MATCH_CONFIDENCE" ] }
              ],
              "UserStatus": "UPDATING"
            }
            """, "req-abc", 3);

        Assert.Equal(new[] { F1, F2 }, outcome.Succeeded);
        var failed = Assert.Single(outcome.Unsuccessful);
        Assert.Equal(F3, failed.FaceId);
        Assert.Equal("other-user", failed.UserId);
        Assert.Equal(12.5, failed.Confidence);
        Assert.Equal(new[] { "ASSOCIATED_TO_A_DIFFERENT_USER", "LOW_MATCH_CONFIDENCE" }, failed.Reasons);
        Assert.Equal("UPDATING", outcome.UserStatus);
        Assert.Equal("req-abc", outcome.RequestId);
        Assert.Equal(3, outcome.Attempts);
    }

    [Fact]
    public void DisassociateFaces_FullShape_ReadsItsOwnFieldNames()
    {
        string json = $$"""
            {
              "DisassociatedFaces": [ { "FaceId": "{{F1}}" } ],
              "UnsuccessfulFaceDisassociations": [ { "FaceId": "{{F2}}", "Reasons": [ "FACE_NOT_FOUND" ] } ],
              "AssociatedFaces": [ { "FaceId": "{{F3}}" } ],
              "UserStatus": "ACTIVE"
            }
            """;
        var outcome = RekognitionApi.ReadFaceBatchOutcome(Parse(json), "DisassociatedFaces", "UnsuccessfulFaceDisassociations", null, 1, new[] { F1, F2 });
        Assert.Equal(new[] { F1 }, outcome.Succeeded);
        var failed = Assert.Single(outcome.Unsuccessful);
        Assert.Equal(F2, failed.FaceId);
        Assert.Null(failed.UserId);
        Assert.Null(failed.Confidence);
        Assert.Equal(new[] { "FACE_NOT_FOUND" }, failed.Reasons);
        Assert.Equal("ACTIVE", outcome.UserStatus);
        Assert.Null(outcome.RequestId);
    }

    [Fact]
    public void SucceededAsBareStrings_AreRead()
    {
        var outcome = Associate($$"""{ "AssociatedFaces": [ "{{F1}}", { "FaceId": "{{F2}}" } ] }""");
        Assert.Equal(new[] { F1, F2 }, outcome.Succeeded);
    }

    [Fact]
    public void SucceededFacesNamedInTheOrderSent_AreTheSentStringsThemselves()
    {
        // Escaped in the answer, still the same face: compared unescaped.
        string[] sent = { new string(F1.ToCharArray()), new string(F2.ToCharArray()), new string(F3.ToCharArray()) };
        string escapedF2 = "\\u0032" + F2.Substring(1);
        var outcome = RekognitionApi.ReadFaceBatchOutcome(Parse($$"""
            { "AssociatedFaces": [ { "FaceId": "{{F1}}" }, { "FaceId": "{{escapedF2}}" }, { "FaceId": "{{F3}}" } ] }
            """), "AssociatedFaces", "UnsuccessfulFaceAssociations", null, 1, sent);

        Assert.Equal(sent, outcome.Succeeded);
        for (int i = 0; i < sent.Length; i++) Assert.Same(sent[i], outcome.Succeeded[i]);
    }

    [Fact]
    public void SucceededFacesOutOfOrderOrNeverSent_AreReadAsTheAnswerSpellsThem()
    {
        string[] sent = { F1, F2 };
        var outcome = RekognitionApi.ReadFaceBatchOutcome(Parse($$"""
            { "AssociatedFaces": [ { "FaceId": "{{F2}}" }, { "FaceId": "{{F3}}" }, { "FaceId": "{{F1}}" }, { "FaceId": "{{F2}}" } ] }
            """), "AssociatedFaces", "UnsuccessfulFaceAssociations", null, 1, sent);

        Assert.Equal(new[] { F2, F3, F1, F2 }, outcome.Succeeded);
        Assert.Same(sent[0], outcome.Succeeded[2]);
        Assert.Same(sent[1], outcome.Succeeded[3]);
    }

    [Fact]
    public void EmptyObject_GivesEmptyListsAndNulls()
    {
        var outcome = Associate("{}");
        Assert.Empty(outcome.Succeeded);
        Assert.Empty(outcome.Unsuccessful);
        Assert.Null(outcome.UserStatus);
        Assert.Equal("req-1", outcome.RequestId);
        Assert.Equal(1, outcome.Attempts);
    }

    [Fact]
    public void UnknownFields_AreIgnored()
    {
        var outcome = Associate($$"""
            {
              "Surprise": { "nested": [1, 2, 3] },
              "AssociatedFaces": [ { "FaceId": "{{F1}}", "Extra": true, "Similarity": 99.1 } ],
              "UnsuccessfulFaceAssociations": [ { "FaceId": "{{F2}}", "Reasons": [], "NewField": "x" } ],
              "UserStatus": "ACTIVE",
              "FaceModelVersion": "7.0"
            }
            """);
        Assert.Equal(new[] { F1 }, outcome.Succeeded);
        Assert.Equal(F2, Assert.Single(outcome.Unsuccessful).FaceId);
        Assert.Empty(outcome.Unsuccessful[0].Reasons);
        Assert.Equal("ACTIVE", outcome.UserStatus);
    }

    [Theory]
    [InlineData("""{ "AssociatedFaces": "not a list", "UnsuccessfulFaceAssociations": 5, "UserStatus": 1 }""")]
    [InlineData("""{ "AssociatedFaces": null, "UnsuccessfulFaceAssociations": null, "UserStatus": null }""")]
    [InlineData("""{ "AssociatedFaces": {}, "UnsuccessfulFaceAssociations": {}, "UserStatus": ["ACTIVE"] }""")]
    [InlineData("""[ { "FaceId": "x" } ]""")]
    [InlineData("\"AssociatedFaces\"")]
    [InlineData("null")]
    public void WrongTypesAtTheTop_AreToleratedAsEmpty(string json)
    {
        var outcome = Associate(json);
        Assert.Empty(outcome.Succeeded);
        Assert.Empty(outcome.Unsuccessful);
        Assert.Null(outcome.UserStatus);
    }

    [Fact]
    public void WrongTypesInsideItems_AreToleratedAsNull()
    {
        var outcome = Associate($$"""
            {
              "AssociatedFaces": [ 42, null, { "FaceId": 7 }, { }, [ "{{F3}}" ], "{{F1}}" ],
              "UnsuccessfulFaceAssociations": [
                { "FaceId": 1, "UserId": false, "Confidence": "80", "Reasons": "FACE_NOT_FOUND" },
                { "FaceId": "{{F2}}", "Reasons": [ 3, null, "FACE_NOT_FOUND", { "r": 1 } ] }
              ]
            }
            """);
        Assert.Equal(new[] { F1 }, outcome.Succeeded);
        Assert.Equal(2, outcome.Unsuccessful.Count);
        var first = outcome.Unsuccessful[0];
        Assert.Null(first.FaceId);
        Assert.Null(first.UserId);
        Assert.Null(first.Confidence);
        Assert.Empty(first.Reasons);
        Assert.Equal(F2, outcome.Unsuccessful[1].FaceId);
        Assert.Equal(new[] { "FACE_NOT_FOUND" }, outcome.Unsuccessful[1].Reasons);
    }

    [Fact]
    public void UnsuccessfulItemThatIsNotAnObject_DoesNotThrow()
    {
        var outcome = Associate($$"""{ "UnsuccessfulFaceAssociations": [ "{{F1}}", 3, null ] }""");
        Assert.All(outcome.Unsuccessful, u =>
        {
            Assert.Null(u.UserId);
            Assert.Empty(u.Reasons);
        });
    }

    [Fact]
    public void ReadFace_FullShape()
    {
        var face = RekognitionApi.ReadFace(Parse($$"""
            {
              "FaceId": "{{F1}}",
              "BoundingBox": { "Width": 0.25, "Height": 0.5, "Left": 0.125, "Top": 0.0625 },
              "ImageId": "{{F2}}",
              "ExternalImageId": "photo.jpg",
              "Confidence": 99.99,
              "IndexFacesModelVersion": "7.0",
              "UserId": "user-1"
            }
            """));
        Assert.Equal(F1, face.FaceId);
        Assert.Equal(F2, face.ImageId);
        Assert.Equal("photo.jpg", face.ExternalImageId);
        Assert.Equal(99.99, face.Confidence);
        Assert.Equal("7.0", face.IndexFacesModelVersion);
        Assert.Equal("user-1", face.UserId);
        Assert.NotNull(face.BoundingBox);
        Assert.Equal(0.25, face.BoundingBox.Width);
        Assert.Equal(0.5, face.BoundingBox.Height);
        Assert.Equal(0.125, face.BoundingBox.Left);
        Assert.Equal(0.0625, face.BoundingBox.Top);
    }

    [Fact]
    public void ReadFace_MissingFields_AreNull()
    {
        var face = RekognitionApi.ReadFace(Parse($$"""{ "FaceId": "{{F1}}" }"""));
        Assert.Equal(F1, face.FaceId);
        Assert.Null(face.UserId);
        Assert.Null(face.ImageId);
        Assert.Null(face.ExternalImageId);
        Assert.Null(face.Confidence);
        Assert.Null(face.BoundingBox);
        Assert.Null(face.IndexFacesModelVersion);
    }

    [Fact]
    public void ReadFace_PartialBoundingBox()
    {
        var face = RekognitionApi.ReadFace(Parse("""{ "BoundingBox": { "Width": 1 } }"""));
        Assert.Equal(1.0, face.BoundingBox.Width);
        Assert.Null(face.BoundingBox.Height);
        Assert.Null(face.BoundingBox.Left);
        Assert.Null(face.BoundingBox.Top);
    }

    [Fact]
    public void ReadFace_UnknownFieldsIgnored()
    {
        var face = RekognitionApi.ReadFace(Parse($$"""{ "FaceId": "{{F1}}", "Landmarks": [ { "Type": "eyeLeft" } ], "Pose": { "Roll": 1 }, "Future": null }"""));
        Assert.Equal(F1, face.FaceId);
    }

    [Fact]
    public void ReadFace_WrongTypes_AreNull()
    {
        var face = RekognitionApi.ReadFace(Parse("""
            {
              "FaceId": 12345,
              "BoundingBox": [ 0.1, 0.2 ],
              "ImageId": { "id": "x" },
              "ExternalImageId": true,
              "Confidence": "99.5",
              "IndexFacesModelVersion": 7.0,
              "UserId": null
            }
            """));
        Assert.Null(face.FaceId);
        Assert.Null(face.BoundingBox);
        Assert.Null(face.ImageId);
        Assert.Null(face.ExternalImageId);
        Assert.Null(face.Confidence);
        Assert.Null(face.IndexFacesModelVersion);
        Assert.Null(face.UserId);
    }

    [Fact]
    public void ReadFace_BoundingBoxWithWrongTypes_HasNullMembers()
    {
        var face = RekognitionApi.ReadFace(Parse("""{ "BoundingBox": { "Width": "0.5", "Height": null, "Left": [], "Top": {} } }"""));
        Assert.NotNull(face.BoundingBox);
        Assert.Null(face.BoundingBox.Width);
        Assert.Null(face.BoundingBox.Height);
        Assert.Null(face.BoundingBox.Left);
        Assert.Null(face.BoundingBox.Top);
    }

    [Theory]
    [InlineData("\"11111111-1111-4111-8111-111111111111\"")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("[]")]
    public void ReadFace_ItemThatIsNotAnObject_IsToleratedNotThrown(string json)
    {
        // ListFaces reads each element of "Faces" with ReadFace; a mistyped element must not throw.
        var face = RekognitionApi.ReadFace(Parse(json));
        Assert.Null(face.FaceId);
        Assert.Null(face.BoundingBox);
    }

    [Fact]
    public void ReadFace_NumberOutOfDoubleRange_IsToleratedNotThrown()
    {
        var face = RekognitionApi.ReadFace(Parse("""{ "FaceId": "x", "Confidence": 1e400 }"""));
        Assert.Equal("x", face.FaceId);
        Assert.True(face.Confidence == null || double.IsInfinity(face.Confidence.Value));
    }
}
