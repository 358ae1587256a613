using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FaceTools.Engine.Protocol;

namespace FaceTools.Emulator;

/// <summary>Per-request facts an operation may need: the signing region (for ARNs) and the emulator's clock.</summary>
public sealed record OperationContext(string Region, DateTimeOffset Now);

/// <summary>
/// The Rekognition operations with the documented semantics. Each validates all fields first (InvalidParameterException
/// with the shared FieldRules messages), then looks up resources (ResourceNotFoundException), then changes the state.
/// Callers hold the state lock.
/// </summary>
public static class RekognitionOperations
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "AssociateFaces", "DisassociateFaces", "CreateUser", "DeleteUser", "ListUsers", "ListFaces",
        "CreateCollection", "DeleteCollection", "ListCollections", "DescribeCollection", "DeleteFaces",
        "IndexFaces", "SearchUsers", "SearchUsersByImage",
    };

    /// <summary>Operations whose ClientRequestToken makes them idempotent.</summary>
    public static readonly IReadOnlySet<string> Idempotent = new HashSet<string>(StringComparer.Ordinal)
    {
        "AssociateFaces", "DisassociateFaces", "CreateUser", "DeleteUser",
    };

    public const double DefaultAssociateThreshold = 75;
    public const double DefaultSearchThreshold = 80;
    private const int DefaultListUsersPage = 100;
    private const int DefaultListPage = 1000;

    public static JsonObject Execute(string operation, RequestReader req, OperationContext ctx, RekognitionState state) =>
        operation switch
        {
            "AssociateFaces" => AssociateFaces(req, state),
            "DisassociateFaces" => DisassociateFaces(req, state),
            "CreateUser" => CreateUser(req, state),
            "DeleteUser" => DeleteUser(req, state),
            "ListUsers" => ListUsers(req, state),
            "ListFaces" => ListFaces(req, state),
            "CreateCollection" => CreateCollection(req, ctx, state),
            "DeleteCollection" => DeleteCollection(req, state),
            "ListCollections" => ListCollections(req, state),
            "DescribeCollection" => DescribeCollection(req, state),
            "DeleteFaces" => DeleteFaces(req, state),
            "IndexFaces" => IndexFaces(req, state),
            "SearchUsers" => SearchUsers(req, state),
            "SearchUsersByImage" => SearchUsersByImage(req, state),
            _ => throw new ApiException(400, "UnknownOperationException", $"The emulator does not implement operation {operation}."),
        };

    // ---------------------------------------------------------------- users and faces

    private static JsonObject AssociateFaces(RequestReader req, RekognitionState state)
    {
        var collectionId = req.Required(FieldRules.CollectionId);
        var userId = req.Required(FieldRules.UserId);
        var faceIds = req.FaceIdList("FaceIds", 1, FieldRules.MaxFacesPerAssociationRequest, required: true);
        var threshold = req.Double("UserMatchThreshold", 0, 100) ?? DefaultAssociateThreshold;
        req.Optional(FieldRules.ClientRequestToken);

        var collection = FindCollection(state, collectionId);
        var user = FindUser(collection, userId);
        var held = collection.FacesOf(userId).Count();

        var toAssociate = new List<FaceRecord>();
        var unsuccessful = new JsonArray();
        foreach (var faceId in faceIds)
        {
            if (!collection.Faces.TryGetValue(faceId, out var face))
            {
                unsuccessful.Add(new JsonObject { ["FaceId"] = faceId, ["Reasons"] = new JsonArray("FACE_NOT_FOUND") });
                continue;
            }
            if (face.UserId == userId) continue; // already this user's: ignored, not returned
            if (face.UserId != null)
            {
                unsuccessful.Add(new JsonObject
                {
                    ["FaceId"] = faceId, ["UserId"] = face.UserId, ["Reasons"] = new JsonArray("ASSOCIATED_TO_A_DIFFERENT_USER"),
                });
                continue;
            }
            // A user with no faces yet accepts any face; otherwise the face must match the user well enough.
            var confidence = MatchConfidence(faceId, userId);
            if (held > 0 && confidence < threshold)
            {
                unsuccessful.Add(new JsonObject
                {
                    ["FaceId"] = faceId, ["Confidence"] = confidence, ["Reasons"] = new JsonArray("LOW_MATCH_CONFIDENCE"),
                });
                continue;
            }
            toAssociate.Add(face);
        }

        // The 100-faces-per-user limit: the documented reasons have none for it, so (like other quota limits of the
        // service) the whole request is refused with ServiceQuotaExceededException and nothing is associated.
        if (held + toAssociate.Count > FieldRules.MaxFacesPerUser)
            throw new ApiException(400, "ServiceQuotaExceededException",
                $"The user has reached the maximum of {FieldRules.MaxFacesPerUser} faces: user '{userId}' has {held} " +
                $"and this request would associate {toAssociate.Count} more.");

        var associated = new JsonArray();
        foreach (var face in toAssociate)
        {
            face.UserId = userId;
            associated.Add(new JsonObject { ["FaceId"] = face.FaceId });
        }
        if (toAssociate.Count > 0) user.UserStatus = "ACTIVE";
        return new JsonObject
        {
            ["AssociatedFaces"] = associated,
            ["UnsuccessfulFaceAssociations"] = unsuccessful,
            ["UserStatus"] = user.UserStatus,
        };
    }

    /// <summary>How well a face matches a user: 80.000–99.999, from SHA-256("match/" + FaceId + "/" + UserId).</summary>
    public static double MatchConfidence(string faceId, string userId) =>
        DeterministicIds.Fraction($"match/{faceId}/{userId}", 80, 100);

    private static JsonObject DisassociateFaces(RequestReader req, RekognitionState state)
    {
        var collectionId = req.Required(FieldRules.CollectionId);
        var userId = req.Required(FieldRules.UserId);
        var faceIds = req.FaceIdList("FaceIds", 1, FieldRules.MaxFacesPerAssociationRequest, required: true);
        req.Optional(FieldRules.ClientRequestToken);

        var collection = FindCollection(state, collectionId);
        var user = FindUser(collection, userId);

        var disassociated = new JsonArray();
        var unsuccessful = new JsonArray();
        foreach (var faceId in faceIds)
        {
            if (!collection.Faces.TryGetValue(faceId, out var face))
                unsuccessful.Add(new JsonObject { ["FaceId"] = faceId, ["Reasons"] = new JsonArray("FACE_NOT_FOUND") });
            else if (face.UserId == userId)
            {
                face.UserId = null;
                disassociated.Add(new JsonObject { ["FaceId"] = faceId });
            }
            else if (face.UserId != null)
                unsuccessful.Add(new JsonObject
                {
                    ["FaceId"] = faceId, ["UserId"] = face.UserId, ["Reasons"] = new JsonArray("ASSOCIATED_TO_A_DIFFERENT_USER"),
                });
            // else: the face belongs to no user, so it is already "not with this user": ignored, not returned.
        }
        return new JsonObject
        {
            ["DisassociatedFaces"] = disassociated,
            ["UnsuccessfulFaceDisassociations"] = unsuccessful,
            ["UserStatus"] = user.UserStatus,
        };
    }

    private static JsonObject CreateUser(RequestReader req, RekognitionState state)
    {
        var collectionId = req.Required(FieldRules.CollectionId);
        var userId = req.Required(FieldRules.UserId);
        req.Optional(FieldRules.ClientRequestToken);
        var collection = FindCollection(state, collectionId);
        if (collection.Users.ContainsKey(userId))
            throw new ApiException(400, "ConflictException", $"The user id: {userId} already exists in the collection {collectionId}.");
        // As the service: a new user, with no face yet, is CREATED; its first associated face makes it ACTIVE.
        collection.Users[userId] = new UserRecord { UserId = userId, UserStatus = "CREATED" };
        return new JsonObject();
    }

    private static JsonObject DeleteUser(RequestReader req, RekognitionState state)
    {
        var collectionId = req.Required(FieldRules.CollectionId);
        var userId = req.Required(FieldRules.UserId);
        req.Optional(FieldRules.ClientRequestToken);
        var collection = FindCollection(state, collectionId);
        FindUser(collection, userId);
        foreach (var face in collection.FacesOf(userId).ToList()) face.UserId = null;
        collection.Users.Remove(userId);
        return new JsonObject();
    }

    private static JsonObject ListUsers(RequestReader req, RekognitionState state)
    {
        var collectionId = req.Required(FieldRules.CollectionId);
        var max = req.Int("MaxResults", 1, 500) ?? DefaultListUsersPage;
        var after = PageToken.Read(req, "ListUsers", collectionId);
        var collection = FindCollection(state, collectionId);

        var page = PageToken.Page(collection.Users.Values, u => u.UserId, after, max, out var last);
        var result = new JsonObject
        {
            ["Users"] = new JsonArray(page.Select(u => (JsonNode)new JsonObject { ["UserId"] = u.UserId, ["UserStatus"] = u.UserStatus }).ToArray()),
        };
        if (last != null) result["NextToken"] = PageToken.Make("ListUsers", collectionId, last);
        return result;
    }

    private static JsonObject ListFaces(RequestReader req, RekognitionState state)
    {
        var collectionId = req.Required(FieldRules.CollectionId);
        // The model allows 0; a page of 0 faces with a NextToken would never end, so 0 means "the default".
        var max = req.Int("MaxResults", 0, 4096) is int m and > 0 ? m : DefaultListPage;
        var userId = req.Optional(FieldRules.UserId);
        var faceIds = req.FaceIdList("FaceIds", 1, FieldRules.MaxFaceIdsPerDeleteRequest, required: false);
        var after = PageToken.Read(req, "ListFaces", collectionId);
        var collection = FindCollection(state, collectionId);

        IEnumerable<FaceRecord> faces = collection.Faces.Values;
        if (userId != null) faces = faces.Where(f => f.UserId == userId);
        if (faceIds != null)
        {
            var wanted = faceIds.ToHashSet(StringComparer.Ordinal);
            faces = faces.Where(f => wanted.Contains(f.FaceId));
        }
        var page = PageToken.Page(faces, f => f.FaceId, after, max, out var last);
        var result = new JsonObject
        {
            ["Faces"] = new JsonArray(page.Select(f => (JsonNode)f.ToJson()).ToArray()),
        };
        if (last != null) result["NextToken"] = PageToken.Make("ListFaces", collectionId, last);
        result["FaceModelVersion"] = RekognitionState.FaceModelVersion;
        return result;
    }

    private static JsonObject DeleteFaces(RequestReader req, RekognitionState state)
    {
        var collectionId = req.Required(FieldRules.CollectionId);
        var faceIds = req.FaceIdList("FaceIds", 1, FieldRules.MaxFaceIdsPerDeleteRequest, required: true);
        var collection = FindCollection(state, collectionId);

        var deleted = new JsonArray();
        var unsuccessful = new JsonArray();
        foreach (var faceId in faceIds)
        {
            if (!collection.Faces.TryGetValue(faceId, out var face))
                unsuccessful.Add(new JsonObject { ["FaceId"] = faceId, ["Reasons"] = new JsonArray("FACE_NOT_FOUND") });
            else if (face.UserId != null)
                unsuccessful.Add(new JsonObject
                {
                    ["FaceId"] = faceId, ["UserId"] = face.UserId, ["Reasons"] = new JsonArray("ASSOCIATED_TO_AN_EXISTING_USER"),
                });
            else
            {
                collection.Faces.Remove(faceId);
                deleted.Add(faceId);
            }
        }
        return new JsonObject { ["DeletedFaces"] = deleted, ["UnsuccessfulFaceDeletions"] = unsuccessful };
    }

    private static readonly string[] QualityFilters = ["NONE", "AUTO", "LOW", "MEDIUM", "HIGH"];

    /// <summary>Bytes that make an image one without a face, for IndexFaces.</summary>
    public static readonly byte[] NoFaceMarker = "NOFACE"u8.ToArray();

    private static JsonObject IndexFaces(RequestReader req, RekognitionState state)
    {
        var collectionId = req.Required(FieldRules.CollectionId);
        var externalImageId = req.Optional(FieldRules.ExternalImageId);
        req.Int("MaxFaces", 1, int.MaxValue);
        req.Enum("QualityFilter", QualityFilters);
        if (req.Element("DetectionAttributes") is { } attrs &&
            (attrs.ValueKind != JsonValueKind.Array || attrs.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String)))
            throw ApiException.Serialization("Expected a list of strings for 'DetectionAttributes'.");
        var image = req.ImageBytes();
        var collection = FindCollection(state, collectionId);

        // An image in which the service finds no face: both lists empty. Here, an image whose bytes contain NoFaceMarker.
        if (image.AsSpan().IndexOf(NoFaceMarker) >= 0)
            return new JsonObject
            {
                ["FaceRecords"] = new JsonArray(),
                ["UnindexedFaces"] = new JsonArray(),
                ["FaceModelVersion"] = RekognitionState.FaceModelVersion,
            };

        // One face per image; the same bytes give the same face, which is returned again, not duplicated.
        var candidate = FaceRecord.FromImage(image, externalImageId);
        if (!collection.Faces.TryGetValue(candidate.FaceId, out var face))
            collection.Faces[candidate.FaceId] = face = candidate;

        var faceJson = new JsonObject
        {
            ["FaceId"] = face.FaceId,
            ["BoundingBox"] = face.BoundingBox.ToJson(),
            ["ImageId"] = face.ImageId,
        };
        if (face.ExternalImageId != null) faceJson["ExternalImageId"] = face.ExternalImageId;
        faceJson["Confidence"] = face.Confidence;
        faceJson["IndexFacesModelVersion"] = face.IndexFacesModelVersion;
        return new JsonObject
        {
            ["FaceRecords"] = new JsonArray(new JsonObject
            {
                ["Face"] = faceJson,
                ["FaceDetail"] = FaceDetail(face),
            }),
            ["UnindexedFaces"] = new JsonArray(),
            ["FaceModelVersion"] = RekognitionState.FaceModelVersion,
        };
    }

    private static JsonObject FaceDetail(FaceRecord face) =>
        new() { ["BoundingBox"] = face.BoundingBox.ToJson(), ["Confidence"] = face.Confidence };

    // ---------------------------------------------------------------- search

    private static JsonObject SearchUsers(RequestReader req, RekognitionState state)
    {
        var collectionId = req.Required(FieldRules.CollectionId);
        var userId = req.Optional(FieldRules.UserId);
        var faceId = req.Optional(FieldRules.FaceId);
        var threshold = req.Double("UserMatchThreshold", 0, 100) ?? DefaultSearchThreshold;
        var maxUsers = req.Int("MaxUsers", 1, 500) ?? 500;
        if ((userId == null) == (faceId == null))
            throw ApiException.InvalidParameter("SearchUsers needs exactly one of UserId and FaceId.");
        var collection = FindCollection(state, collectionId);

        var result = new JsonObject();
        string ownerId;
        string key;
        if (userId != null)
        {
            FindUser(collection, userId);
            ownerId = userId;
            key = "user:" + userId;
        }
        else
        {
            if (!collection.Faces.TryGetValue(faceId!, out var face))
                throw ApiException.ResourceNotFound($"The face id: {faceId} does not exist in the collection {collectionId}.");
            ownerId = face.UserId;
            key = "face:" + faceId;
        }
        result["UserMatches"] = UserMatches(collection, key, ownerId, threshold, maxUsers);
        result["FaceModelVersion"] = RekognitionState.FaceModelVersion;
        if (faceId != null) result["SearchedFace"] = new JsonObject { ["FaceId"] = faceId };
        else result["SearchedUser"] = new JsonObject { ["UserId"] = userId };
        return result;
    }

    private static JsonObject SearchUsersByImage(RequestReader req, RekognitionState state)
    {
        var collectionId = req.Required(FieldRules.CollectionId);
        var threshold = req.Double("UserMatchThreshold", 0, 100) ?? DefaultSearchThreshold;
        var maxUsers = req.Int("MaxUsers", 1, 500) ?? 500;
        req.Enum("QualityFilter", QualityFilters);
        var image = req.ImageBytes();
        var collection = FindCollection(state, collectionId);

        // The face in the image is the one IndexFaces would create; if it is indexed, its user is the match.
        var probe = FaceRecord.FromImage(image, null);
        var owner = collection.Faces.TryGetValue(probe.FaceId, out var indexed) ? indexed.UserId : null;
        return new JsonObject
        {
            ["UserMatches"] = UserMatches(collection, "face:" + probe.FaceId, owner, threshold, maxUsers),
            ["FaceModelVersion"] = RekognitionState.FaceModelVersion,
            ["SearchedFace"] = new JsonObject { ["FaceDetail"] = FaceDetail(probe) },
            ["UnsearchedFaces"] = new JsonArray(),
        };
    }

    /// <summary>
    /// Deterministic similarities: the owning user scores 99.000–99.999 (SHA-256("owner/" + key + "/" + user)), every
    /// other user with faces 0–79.999 (SHA-256("other/" + key + "/" + user)), so the default threshold 80 keeps only the owner.
    /// Users without faces have nothing to match and never appear.
    /// </summary>
    private static JsonArray UserMatches(CollectionRecord collection, string key, string ownerId, double threshold, int max)
    {
        var withFaces = collection.Faces.Values.Where(f => f.UserId != null).Select(f => f.UserId).ToHashSet(StringComparer.Ordinal);
        var matches = collection.Users.Values
            .Where(u => withFaces.Contains(u.UserId))
            .Select(u => (User: u, Similarity: u.UserId == ownerId
                ? DeterministicIds.Fraction($"owner/{key}/{u.UserId}", 99, 100)
                : DeterministicIds.Fraction($"other/{key}/{u.UserId}", 0, 80)))
            .Where(m => m.Similarity >= threshold)
            .OrderByDescending(m => m.Similarity).ThenBy(m => m.User.UserId, StringComparer.Ordinal)
            .Take(max);
        return new JsonArray(matches.Select(m => (JsonNode)new JsonObject
        {
            ["Similarity"] = m.Similarity,
            ["User"] = new JsonObject { ["UserId"] = m.User.UserId, ["UserStatus"] = m.User.UserStatus },
        }).ToArray());
    }

    // ---------------------------------------------------------------- collections

    private static JsonObject CreateCollection(RequestReader req, OperationContext ctx, RekognitionState state)
    {
        var collectionId = req.Required(FieldRules.CollectionId);
        var tags = ReadTags(req);
        if (state.Collections.ContainsKey(collectionId))
            throw new ApiException(400, "ResourceAlreadyExistsException", $"The collection id: {collectionId} already exists");
        var collection = new CollectionRecord
        {
            CollectionId = collectionId,
            Region = ctx.Region ?? "us-east-1",
            CreationTime = ctx.Now,
            Tags = tags,
        };
        state.Collections[collectionId] = collection;
        return new JsonObject
        {
            ["StatusCode"] = 200,
            ["CollectionArn"] = collection.Arn,
            ["FaceModelVersion"] = RekognitionState.FaceModelVersion,
        };
    }

    private static Dictionary<string, string> ReadTags(RequestReader req)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (req.Element("Tags") is not { } e) return tags;
        if (e.ValueKind != JsonValueKind.Object) throw ApiException.Serialization("Expected a map for 'Tags'.");
        foreach (var p in e.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String) throw ApiException.Serialization("Expected string values in 'Tags'.");
            tags[RequestReader.Validate(FieldRules.TagKey, p.Name)] = RequestReader.Validate(FieldRules.TagValue, p.Value.GetString());
        }
        if (tags.Count > 200) throw ApiException.InvalidParameter($"Tags has {tags.Count} entries; at most 200 are allowed.");
        return tags;
    }

    private static JsonObject DeleteCollection(RequestReader req, RekognitionState state)
    {
        var collectionId = req.Required(FieldRules.CollectionId);
        FindCollection(state, collectionId);
        state.Collections.Remove(collectionId);
        return new JsonObject { ["StatusCode"] = 200 };
    }

    private static JsonObject ListCollections(RequestReader req, RekognitionState state)
    {
        var max = req.Int("MaxResults", 0, 4096) is int m and > 0 ? m : DefaultListPage;
        var after = PageToken.Read(req, "ListCollections", "");
        var page = PageToken.Page(state.Collections.Values, c => c.CollectionId, after, max, out var last);
        var result = new JsonObject
        {
            ["CollectionIds"] = new JsonArray(page.Select(c => (JsonNode)JsonValue.Create(c.CollectionId)).ToArray()),
        };
        if (last != null) result["NextToken"] = PageToken.Make("ListCollections", "", last);
        result["FaceModelVersions"] = new JsonArray(page.Select(_ => (JsonNode)JsonValue.Create(RekognitionState.FaceModelVersion)).ToArray());
        return result;
    }

    private static JsonObject DescribeCollection(RequestReader req, RekognitionState state)
    {
        var collectionId = req.Required(FieldRules.CollectionId);
        var c = FindCollection(state, collectionId);
        return new JsonObject
        {
            ["FaceCount"] = c.Faces.Count,
            ["FaceModelVersion"] = RekognitionState.FaceModelVersion,
            ["CollectionARN"] = c.Arn,
            ["CreationTimestamp"] = Math.Round(c.CreationTime.ToUnixTimeMilliseconds() / 1000.0, 3),
            ["UserCount"] = c.Users.Count,
        };
    }

    // ---------------------------------------------------------------- helpers

    private static CollectionRecord FindCollection(RekognitionState state, string collectionId) =>
        state.Collections.TryGetValue(collectionId, out var c)
            ? c
            : throw ApiException.ResourceNotFound($"The collection id: {collectionId} does not exist");

    private static UserRecord FindUser(CollectionRecord collection, string userId) =>
        collection.Users.TryGetValue(userId, out var u)
            ? u
            : throw ApiException.ResourceNotFound($"The user id: {userId} does not exist in the collection {collection.CollectionId}.");
}

/// <summary>
/// Opaque pagination tokens: base64url of "v1|operation|hash of collection|last key returned". Keyset paging, so a
/// token stays valid while items are added or removed. A token from another operation or collection is refused.
/// </summary>
public static class PageToken
{
    // A token that carried the last key itself would outgrow the service's 255 characters for long collection IDs:
    // tokens are short names for what they stand for, kept here (the same page always gets the same token).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Issued = new();

    public static string Make(string operation, string collectionId, string lastKey)
    {
        string meaning = $"v1|{operation}|{Scope(collectionId)}|{lastKey}";
        string token = "v2" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(meaning)))[..40];
        Issued[token] = meaning;
        return token;
    }

    /// <summary>The last key of the previous page, or null without a token.</summary>
    public static string Read(RequestReader req, string operation, string collectionId)
    {
        var token = req.Optional(FieldRules.NextToken);
        if (string.IsNullOrEmpty(token)) return null;
        if (Issued.TryGetValue(token, out string meaning))
        {
            var parts = meaning.Split('|', 4);
            if (parts[1] == operation && parts[2] == Scope(collectionId) && parts[3].Length > 0) return parts[3];
        }
        throw new ApiException(400, "InvalidPaginationTokenException", "Invalid pagination token");
    }

    /// <summary>Up to max items after the key; lastKey is set when more items follow.</summary>
    public static List<T> Page<T>(IEnumerable<T> sortedItems, Func<T, string> key, string after, int max, out string lastKey)
    {
        var rest = after == null ? sortedItems : sortedItems.Where(i => string.CompareOrdinal(key(i), after) > 0);
        var page = rest.Take(max + 1).ToList();
        lastKey = null;
        if (page.Count > max)
        {
            page.RemoveAt(max);
            lastKey = key(page[^1]);
        }
        return page;
    }

    private static string Scope(string collectionId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(collectionId)))[..8];
}
