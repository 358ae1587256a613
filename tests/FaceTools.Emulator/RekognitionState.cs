using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace FaceTools.Emulator;

public sealed record BoundingBox(double Width, double Height, double Left, double Top)
{
    public JsonObject ToJson() => new() { ["Width"] = Width, ["Height"] = Height, ["Left"] = Left, ["Top"] = Top };

    /// <summary>A plausible box from four hash bytes: 20–50 % of the image, placed inside it.</summary>
    public static BoundingBox FromHash(ReadOnlySpan<byte> h)
    {
        var width = Math.Round(0.2 + h[0] / 255.0 * 0.3, 6);
        var height = Math.Round(0.2 + h[1] / 255.0 * 0.3, 6);
        return new BoundingBox(width, height, Math.Round(h[2] / 255.0 * (1 - width), 6), Math.Round(h[3] / 255.0 * (1 - height), 6));
    }
}

/// <summary>One indexed face. UserId is null while the face belongs to no user.</summary>
public sealed class FaceRecord
{
    public string FaceId { get; init; }
    public string UserId { get; set; }
    public string ImageId { get; init; }
    public string ExternalImageId { get; init; }
    public double Confidence { get; init; }
    public BoundingBox BoundingBox { get; init; }
    public string IndexFacesModelVersion { get; init; } = RekognitionState.FaceModelVersion;

    public FaceRecord Clone() => (FaceRecord)MemberwiseClone();

    /// <summary>
    /// The face IndexFaces finds in an image: one per image, FaceId = first 16 bytes of SHA-256(image) and
    /// ImageId = first 16 bytes of SHA-256(SHA-256(image)), both as lower-case GUIDs; box and confidence from the hash.
    /// </summary>
    public static FaceRecord FromImage(byte[] image, string externalImageId)
    {
        var h = SHA256.HashData(image);
        return new FaceRecord
        {
            FaceId = DeterministicIds.GuidFromHash(h),
            ImageId = DeterministicIds.GuidFromHash(SHA256.HashData(h)),
            ExternalImageId = externalImageId,
            Confidence = Math.Round(99 + h[20] / 256.0, 4),
            BoundingBox = BoundingBox.FromHash(h.AsSpan(16)),
        };
    }

    /// <summary>Defaults for a seeded face that leaves fields out: ImageId = GUID of SHA-256("image/" + FaceId), box and confidence from SHA-256(FaceId).</summary>
    public static FaceRecord WithDefaults(string faceId, string userId, string imageId, string externalImageId,
        double? confidence, BoundingBox box)
    {
        var h = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(faceId));
        return new FaceRecord
        {
            FaceId = faceId,
            UserId = userId,
            ImageId = imageId ?? DeterministicIds.GuidFromText("image/" + faceId),
            ExternalImageId = externalImageId,
            Confidence = confidence ?? Math.Round(99 + h[20] / 256.0, 4),
            BoundingBox = box ?? BoundingBox.FromHash(h.AsSpan(16)),
        };
    }

    /// <summary>The Face shape of ListFaces (UserId only when associated).</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["FaceId"] = FaceId,
            ["BoundingBox"] = BoundingBox.ToJson(),
            ["ImageId"] = ImageId,
        };
        if (ExternalImageId != null) o["ExternalImageId"] = ExternalImageId;
        o["Confidence"] = Confidence;
        o["IndexFacesModelVersion"] = IndexFacesModelVersion;
        if (UserId != null) o["UserId"] = UserId;
        return o;
    }
}

public sealed class UserRecord
{
    public string UserId { get; init; }
    public string UserStatus { get; set; } = "ACTIVE";
    public UserRecord Clone() => (UserRecord)MemberwiseClone();
}

public sealed class CollectionRecord
{
    public string CollectionId { get; init; }
    public string Region { get; init; } = "us-east-1";
    public DateTimeOffset CreationTime { get; init; }
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    // Sorted by key (ordinal) so list operations page in a stable order.
    public SortedDictionary<string, UserRecord> Users { get; init; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, FaceRecord> Faces { get; init; } = new(StringComparer.Ordinal);

    public string Arn => $"aws:rekognition:{Region}:{RekognitionState.AccountId}:collection/{CollectionId}";

    public IEnumerable<FaceRecord> FacesOf(string userId) => Faces.Values.Where(f => f.UserId == userId);

    public CollectionRecord Clone()
    {
        var copy = new CollectionRecord
        {
            CollectionId = CollectionId,
            Region = Region,
            CreationTime = CreationTime,
            Tags = new Dictionary<string, string>(Tags, StringComparer.Ordinal),
        };
        foreach (var (k, u) in Users) copy.Users[k] = u.Clone();
        foreach (var (k, f) in Faces) copy.Faces[k] = f.Clone();
        return copy;
    }
}

/// <summary>All collections. Not thread-safe by itself: <see cref="RekognitionBackend"/> guards it with one lock.</summary>
public sealed class RekognitionState
{
    public const string FaceModelVersion = "7.0";
    public const string AccountId = "123456789012";

    public SortedDictionary<string, CollectionRecord> Collections { get; } = new(StringComparer.Ordinal);

    /// <summary>A deep copy, so a faulted request can be answered realistically without changing anything.</summary>
    public RekognitionState Clone()
    {
        var copy = new RekognitionState();
        foreach (var (k, c) in Collections) copy.Collections[k] = c.Clone();
        return copy;
    }
}
