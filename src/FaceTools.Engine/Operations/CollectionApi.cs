using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FaceTools.Engine.Protocol;

namespace FaceTools.Engine.Operations
{
    /// <summary>The collection operations: create, describe, delete, index and delete faces, and the user searches.</summary>
    public sealed partial class RekognitionApi
    {
        public async Task<CollectionRecord> CreateCollectionAsync(string collectionId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
        {
            using var response = await CallAsync("CreateCollection", false, w =>
            {
                w.WriteString("CollectionId", collectionId);
                if (tags != null && tags.Count > 0)
                {
                    w.WriteStartObject("Tags");
                    foreach (var tag in tags) w.WriteString(tag.Key, tag.Value ?? "");
                    w.WriteEndObject();
                }
            }, cancellationToken).ConfigureAwait(false);

            return new CollectionRecord
            {
                CollectionId = collectionId,
                CollectionArn = Json.String(response.Body, "CollectionArn"),
                FaceModelVersion = Json.String(response.Body, "FaceModelVersion"),
                RequestId = response.ResponseMetadata?.RequestId,
            };
        }

        public async Task<CollectionRecord> DescribeCollectionAsync(string collectionId, CancellationToken cancellationToken)
        {
            using var response = await CallAsync("DescribeCollection", true, w => w.WriteString("CollectionId", collectionId), cancellationToken).ConfigureAwait(false);
            return ReadCollectionDescription(collectionId, response.Body, response.ResponseMetadata?.RequestId);
        }

        public async Task<string> DeleteCollectionAsync(string collectionId, CancellationToken cancellationToken)
        {
            using var response = await CallAsync("DeleteCollection", false, w => w.WriteString("CollectionId", collectionId), cancellationToken).ConfigureAwait(false);
            return response.ResponseMetadata?.RequestId;
        }

        /// <summary>One IndexFaces request: the faces indexed and the faces the service declined, with its reasons.</summary>
        public async Task<IndexFacesOutcome> IndexFacesAsync(string collectionId, ImageInput image, string externalImageId, int? maxFaces, string qualityFilter, CancellationToken cancellationToken)
        {
            if (image == null) throw new ArgumentNullException(nameof(image));
            using var response = await CallAsync("IndexFaces", false, w =>
            {
                w.WriteString("CollectionId", collectionId);
                WriteImage(w, image);
                if (externalImageId != null) w.WriteString("ExternalImageId", externalImageId);
                if (maxFaces.HasValue) w.WriteNumber("MaxFaces", maxFaces.Value);
                if (qualityFilter != null) w.WriteString("QualityFilter", qualityFilter);
            }, cancellationToken).ConfigureAwait(false);
            return ReadIndexFacesOutcome(response.Body, response.ResponseMetadata?.RequestId, response.Attempts);
        }

        /// <summary>
        /// One DeleteFaces request (at most <see cref="FieldRules.MaxFaceIdsPerDeleteRequest"/> faces), read into the
        /// same outcome shape as the association batches, so every face sent gets exactly one verdict.
        /// </summary>
        public async Task<FaceBatchOutcome> DeleteFacesAsync(string collectionId, IReadOnlyList<string> faceIds, CancellationToken cancellationToken)
        {
            using var response = await CallAsync("DeleteFaces", false, w =>
            {
                w.WriteString("CollectionId", collectionId);
                WriteStrings(w, "FaceIds", faceIds);
            }, cancellationToken).ConfigureAwait(false);
            return ReadFaceBatchOutcome(response.Body, "DeletedFaces", "UnsuccessfulFaceDeletions", response.ResponseMetadata?.RequestId, response.Attempts, faceIds);
        }

        /// <summary>SearchUsers by a face of the collection or by a user of it (exactly one of the two).</summary>
        public async Task<UserSearchOutcome> SearchUsersAsync(string collectionId, string faceId, string userId, double? userMatchThreshold, int? maxUsers, CancellationToken cancellationToken)
        {
            if ((faceId == null) == (userId == null)) throw new ArgumentException("Give exactly one of faceId and userId.");
            using var response = await CallAsync("SearchUsers", true, w =>
            {
                w.WriteString("CollectionId", collectionId);
                if (userId != null) w.WriteString("UserId", userId);
                if (faceId != null) w.WriteString("FaceId", faceId);
                if (userMatchThreshold.HasValue) w.WriteNumber("UserMatchThreshold", userMatchThreshold.Value);
                if (maxUsers.HasValue) w.WriteNumber("MaxUsers", maxUsers.Value);
            }, cancellationToken).ConfigureAwait(false);
            return ReadUserSearchOutcome(response.Body, response.ResponseMetadata?.RequestId);
        }

        /// <summary>SearchUsersByImage: the users whose faces match the largest face in the image.</summary>
        public async Task<UserSearchOutcome> SearchUsersByImageAsync(string collectionId, ImageInput image, double? userMatchThreshold, int? maxUsers, CancellationToken cancellationToken)
        {
            if (image == null) throw new ArgumentNullException(nameof(image));
            using var response = await CallAsync("SearchUsersByImage", true, w =>
            {
                w.WriteString("CollectionId", collectionId);
                WriteImage(w, image);
                if (userMatchThreshold.HasValue) w.WriteNumber("UserMatchThreshold", userMatchThreshold.Value);
                if (maxUsers.HasValue) w.WriteNumber("MaxUsers", maxUsers.Value);
            }, cancellationToken).ConfigureAwait(false);
            return ReadUserSearchOutcome(response.Body, response.ResponseMetadata?.RequestId);
        }

        private static void WriteImage(Utf8JsonWriter w, ImageInput image)
        {
            w.WriteStartObject("Image");
            if (image.Bytes != null)
            {
                // JSON 1.1 carries blobs as base64.
                w.WriteBase64String("Bytes", image.Bytes);
            }
            else
            {
                w.WriteStartObject("S3Object");
                w.WriteString("Bucket", image.S3Bucket);
                w.WriteString("Name", image.S3Key);
                if (image.S3Version != null) w.WriteString("Version", image.S3Version);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        internal static CollectionRecord ReadCollectionDescription(string collectionId, JsonElement body, string requestId) => new CollectionRecord
        {
            CollectionId = collectionId,
            // DescribeCollection spells it CollectionARN; CreateCollection, CollectionArn.
            CollectionArn = Json.String(body, "CollectionARN") ?? Json.String(body, "CollectionArn"),
            FaceModelVersion = Json.String(body, "FaceModelVersion"),
            FaceCount = WholeNumber(body, "FaceCount"),
            UserCount = WholeNumber(body, "UserCount"),
            CreationTimestamp = Timestamp(body, "CreationTimestamp"),
            RequestId = requestId,
        };

        internal static IndexFacesOutcome ReadIndexFacesOutcome(JsonElement body, string requestId, int attempts)
        {
            var indexed = new List<FaceRecord>();
            foreach (JsonElement record in Json.Array(body, "FaceRecords"))
            {
                if (record.ValueKind != JsonValueKind.Object || !record.TryGetProperty("Face", out JsonElement face) || face.ValueKind != JsonValueKind.Object) continue;
                indexed.Add(ReadFace(face));
            }

            var unindexed = new List<UnindexedFaceRecord>();
            foreach (JsonElement record in Json.Array(body, "UnindexedFaces"))
            {
                var reasons = new List<string>();
                foreach (JsonElement reason in Json.Array(record, "Reasons"))
                    if (reason.ValueKind == JsonValueKind.String) reasons.Add(reason.GetString());
                JsonElement detail = record.ValueKind == JsonValueKind.Object && record.TryGetProperty("FaceDetail", out JsonElement d) ? d : default;
                unindexed.Add(new UnindexedFaceRecord
                {
                    Reasons = reasons,
                    Confidence = Json.Number(detail, "Confidence"),
                    BoundingBox = ReadBox(detail),
                });
            }

            return new IndexFacesOutcome
            {
                Indexed = indexed,
                Unindexed = unindexed,
                FaceModelVersion = Json.String(body, "FaceModelVersion"),
                RequestId = requestId,
                Attempts = attempts,
            };
        }

        internal static UserSearchOutcome ReadUserSearchOutcome(JsonElement body, string requestId)
        {
            var matches = new List<UserMatchRecord>();
            foreach (JsonElement match in Json.Array(body, "UserMatches"))
            {
                JsonElement user = match.ValueKind == JsonValueKind.Object && match.TryGetProperty("User", out JsonElement u) ? u : default;
                matches.Add(new UserMatchRecord
                {
                    UserId = Json.String(user, "UserId"),
                    UserStatus = Json.String(user, "UserStatus"),
                    Similarity = Json.Number(match, "Similarity"),
                });
            }

            JsonElement searchedFace = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("SearchedFace", out JsonElement f) ? f : default;
            JsonElement searchedUser = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("SearchedUser", out JsonElement s) ? s : default;
            return new UserSearchOutcome
            {
                // In the service's order: by similarity, best first.
                Matches = matches,
                SearchedFaceId = Json.String(searchedFace, "FaceId"),
                SearchedUserId = Json.String(searchedUser, "UserId"),
                FaceModelVersion = Json.String(body, "FaceModelVersion"),
                RequestId = requestId,
            };
        }

        private static BoundingBoxRecord ReadBox(JsonElement detail)
        {
            if (detail.ValueKind != JsonValueKind.Object || !detail.TryGetProperty("BoundingBox", out JsonElement b) || b.ValueKind != JsonValueKind.Object) return null;
            return new BoundingBoxRecord { Width = Json.Number(b, "Width"), Height = Json.Number(b, "Height"), Left = Json.Number(b, "Left"), Top = Json.Number(b, "Top") };
        }

        private static long? WholeNumber(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number
                ? (value.TryGetInt64(out long whole) ? whole : (long)value.GetDouble())
                : (long?)null;

        /// <summary>The JSON 1.1 protocol's timestamps are epoch seconds (fractions allowed); an ISO 8601 string is read too.</summary>
        internal static DateTime? Timestamp(JsonElement element, string name)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out JsonElement value)) return null;
            if (value.ValueKind == JsonValueKind.Number)
            {
                double seconds = value.GetDouble();
                if (double.IsNaN(seconds) || double.IsInfinity(seconds) || Math.Abs(seconds) > 253402300799) return null;
                return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)).UtcDateTime;
            }

            if (value.ValueKind == JsonValueKind.String &&
                DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
                return parsed.UtcDateTime;
            return null;
        }
    }

    /// <summary>A collection as CreateCollection or DescribeCollection tells it.</summary>
    public sealed class CollectionRecord
    {
        public string CollectionId { get; set; }
        public string CollectionArn { get; set; }
        public string FaceModelVersion { get; set; }
        public long? FaceCount { get; set; }
        public long? UserCount { get; set; }

        /// <summary>UTC.</summary>
        public DateTime? CreationTimestamp { get; set; }

        public string RequestId { get; set; }
    }

    public sealed class IndexFacesOutcome
    {
        public IReadOnlyList<FaceRecord> Indexed { get; set; } = new List<FaceRecord>();
        public IReadOnlyList<UnindexedFaceRecord> Unindexed { get; set; } = new List<UnindexedFaceRecord>();
        public string FaceModelVersion { get; set; }
        public string RequestId { get; set; }
        public int Attempts { get; set; }
    }

    /// <summary>A face the service detected and did not index: EXCEEDS_MAX_FACES, LOW_SHARPNESS, SMALL_BOUNDING_BOX, ...</summary>
    public sealed class UnindexedFaceRecord
    {
        public IReadOnlyList<string> Reasons { get; set; } = new List<string>();
        public double? Confidence { get; set; }
        public BoundingBoxRecord BoundingBox { get; set; }
    }

    public sealed class UserMatchRecord
    {
        public string UserId { get; set; }
        public string UserStatus { get; set; }
        public double? Similarity { get; set; }
    }

    public sealed class UserSearchOutcome
    {
        public IReadOnlyList<UserMatchRecord> Matches { get; set; } = new List<UserMatchRecord>();
        public string SearchedFaceId { get; set; }
        public string SearchedUserId { get; set; }
        public string FaceModelVersion { get; set; }
        public string RequestId { get; set; }
    }

    /// <summary>An image as a request carries it: its bytes, or an S3 object the service reads itself.</summary>
    public sealed class ImageInput
    {
        private ImageInput()
        {
        }

        public byte[] Bytes { get; private set; }
        public string S3Bucket { get; private set; }
        public string S3Key { get; private set; }
        public string S3Version { get; private set; }

        public static ImageInput FromBytes(byte[] bytes) =>
            new ImageInput { Bytes = bytes ?? throw new ArgumentNullException(nameof(bytes)) };

        public static ImageInput FromS3(string bucket, string key, string version = null) =>
            new ImageInput
            {
                S3Bucket = bucket ?? throw new ArgumentNullException(nameof(bucket)),
                S3Key = key ?? throw new ArgumentNullException(nameof(key)),
                S3Version = version,
            };
    }

    public enum LocalImageProblem
    {
        None,

        /// <summary>Over <see cref="FieldRules.MaxImageBytes"/>: the service would refuse it (ImageTooLargeException).</summary>
        TooLarge,

        /// <summary>Neither PNG nor JPEG: the service would refuse it (InvalidImageFormatException).</summary>
        NotPngOrJpeg,
    }

    /// <summary>
    /// An image file checked against the service's rules before any request: at most 5 MB, and PNG or JPEG by its
    /// signature. The size is taken from the file system, so a large file is never read.
    /// </summary>
    public sealed class LocalImage
    {
        private const int SignatureLength = 8;

        public string Path { get; private set; }
        public long Length { get; private set; }

        /// <summary>"PNG" or "JPEG"; null when the file is neither.</summary>
        public string Format { get; private set; }

        /// <summary>The file's bytes; null when <see cref="Problem"/> is not None.</summary>
        public byte[] Bytes { get; private set; }

        public LocalImageProblem Problem { get; private set; }

        /// <summary>What is wrong, naming the file and the rule; null when nothing is.</summary>
        public string Message { get; private set; }

        /// <summary>Reads and checks a file; I/O failures (missing file, no access) are thrown as they are.</summary>
        public static LocalImage Read(string path)
        {
            var image = new LocalImage { Path = path };
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                image.Length = stream.Length;
                var start = new byte[SignatureLength];
                int count = ReadUpTo(stream, start, 0, start.Length);
                image.Format = FieldRules.ImageFormatOf(start, count);
                if (image.Format == null)
                    return image.Fail(LocalImageProblem.NotPngOrJpeg, count == 0
                        ? $"The file '{path}' is empty, not a PNG or JPEG image; Amazon Rekognition accepts PNG and JPEG images only."
                        : $"The file '{path}' is not a PNG or JPEG image (it does not start with either signature); Amazon Rekognition accepts PNG and JPEG images only.");
                if (image.Length > FieldRules.MaxImageBytes)
                    return image.Fail(LocalImageProblem.TooLarge, TooLargeMessage(path, image.Length));

                var bytes = new byte[image.Length];
                Array.Copy(start, bytes, count);
                int total = count + ReadUpTo(stream, bytes, count, bytes.Length - count);
                // The file may have changed under us: check what was read, not what was stat'ed.
                if (total < bytes.Length) Array.Resize(ref bytes, total);
                else if (stream.ReadByte() >= 0) return image.Fail(LocalImageProblem.TooLarge, TooLargeMessage(path, stream.Length));
                image.Bytes = bytes;
            }

            return image;
        }

        private static string TooLargeMessage(string path, long length) =>
            string.Format(CultureInfo.InvariantCulture,
                "The image '{0}' is {1:N0} bytes; Amazon Rekognition accepts at most {2:N0} bytes (5 MB) for an image sent in the request. " +
                "Make it smaller, or upload it to Amazon S3 and use -S3Bucket and -S3Key.", path, length, FieldRules.MaxImageBytes);

        private LocalImage Fail(LocalImageProblem problem, string message)
        {
            Problem = problem;
            Message = message;
            Bytes = null;
            return this;
        }

        private static int ReadUpTo(Stream stream, byte[] buffer, int offset, int count)
        {
            int total = 0;
            while (total < count)
            {
                int read = stream.Read(buffer, offset + total, count - total);
                if (read == 0) break;
                total += read;
            }

            return total;
        }
    }

    public static class ExternalImageIds
    {
        /// <summary>
        /// A name (usually a file name) made valid for ExternalImageId: each character outside [a-zA-Z0-9_.\-:]
        /// becomes '_', and the result is cut to 255 characters. Null or empty in, null out.
        /// </summary>
        public static string From(string name)
        {
            if (string.IsNullOrEmpty(name)) return null;
            var text = new StringBuilder(Math.Min(name.Length, FieldRules.ExternalImageId.MaxLength));
            foreach (char c in name)
            {
                if (text.Length == FieldRules.ExternalImageId.MaxLength) break;
                bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' || c == ':';
                text.Append(allowed ? c : '_');
            }

            return text.ToString();
        }
    }
}
