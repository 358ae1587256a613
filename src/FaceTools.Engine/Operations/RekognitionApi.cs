using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using FaceTools.Engine.Client;
using FaceTools.Engine.Protocol;

namespace FaceTools.Engine.Operations
{
    /// <summary>
    /// The Rekognition operations FaceTools uses, with plain inputs and outputs. Every failure comes
    /// out as a <see cref="RekognitionException"/>.
    /// </summary>
    public sealed partial class RekognitionApi
    {
        private readonly RekognitionServiceClient _client;

        internal RekognitionApi(RekognitionServiceClient client)
        {
            _client = client;
        }

        /// <summary>The service address requests go to, as errors name it: the explicit endpoint, else the Region's.</summary>
        public string Endpoint => _endpoint ??= EndpointOf(_client);

        private string _endpoint;

        private static string EndpointOf(RekognitionServiceClient client)
        {
            try
            {
                return RekognitionClients.Redacted(client.Config.DetermineServiceOperationEndpoint(null)?.URL);
            }
            catch (Exception exception) when (!(exception is OutOfMemoryException))
            {
                return null;
            }
        }

        public Task<FaceBatchOutcome> DisassociateFacesAsync(string collectionId, string userId, IReadOnlyList<string> faceIds, string clientRequestToken, CancellationToken cancellationToken) =>
            FaceBatchAsync("DisassociateFaces", "DisassociatedFaces", "UnsuccessfulFaceDisassociations", collectionId, userId, faceIds, clientRequestToken, null, cancellationToken);

        public Task<FaceBatchOutcome> AssociateFacesAsync(string collectionId, string userId, IReadOnlyList<string> faceIds, string clientRequestToken, double? userMatchThreshold, CancellationToken cancellationToken) =>
            FaceBatchAsync("AssociateFaces", "AssociatedFaces", "UnsuccessfulFaceAssociations", collectionId, userId, faceIds, clientRequestToken, userMatchThreshold, cancellationToken);

        public async Task<string> CreateUserAsync(string collectionId, string userId, string clientRequestToken, CancellationToken cancellationToken)
        {
            using var response = await CallAsync("CreateUser", clientRequestToken != null, w =>
            {
                w.WriteString("CollectionId", collectionId);
                w.WriteString("UserId", userId);
                if (clientRequestToken != null) w.WriteString("ClientRequestToken", clientRequestToken);
            }, cancellationToken).ConfigureAwait(false);
            return response.ResponseMetadata?.RequestId;
        }

        public async Task<string> DeleteUserAsync(string collectionId, string userId, string clientRequestToken, CancellationToken cancellationToken)
        {
            using var response = await CallAsync("DeleteUser", clientRequestToken != null, w =>
            {
                w.WriteString("CollectionId", collectionId);
                w.WriteString("UserId", userId);
                if (clientRequestToken != null) w.WriteString("ClientRequestToken", clientRequestToken);
            }, cancellationToken).ConfigureAwait(false);
            return response.ResponseMetadata?.RequestId;
        }

        public async Task<Page<UserRecord>> ListUsersAsync(string collectionId, int? maxResults, string nextToken, CancellationToken cancellationToken)
        {
            using var response = await CallAsync("ListUsers", true, w =>
            {
                w.WriteString("CollectionId", collectionId);
                if (maxResults.HasValue) w.WriteNumber("MaxResults", maxResults.Value);
                if (nextToken != null) w.WriteString("NextToken", nextToken);
            }, cancellationToken).ConfigureAwait(false);

            var users = new List<UserRecord>();
            foreach (JsonElement user in Json.Array(response.Body, "Users"))
                users.Add(new UserRecord { UserId = Json.String(user, "UserId"), UserStatus = Json.String(user, "UserStatus") });
            return new Page<UserRecord> { Items = users, NextToken = Json.String(response.Body, "NextToken"), RequestId = response.ResponseMetadata?.RequestId };
        }

        public async Task<Page<FaceRecord>> ListFacesAsync(string collectionId, string userId, IReadOnlyList<string> faceIds, int? maxResults, string nextToken, CancellationToken cancellationToken)
        {
            using var response = await CallAsync("ListFaces", true, w =>
            {
                w.WriteString("CollectionId", collectionId);
                if (userId != null) w.WriteString("UserId", userId);
                if (faceIds != null && faceIds.Count > 0) WriteStrings(w, "FaceIds", faceIds);
                if (maxResults.HasValue) w.WriteNumber("MaxResults", maxResults.Value);
                if (nextToken != null) w.WriteString("NextToken", nextToken);
            }, cancellationToken).ConfigureAwait(false);

            var faces = new List<FaceRecord>();
            foreach (JsonElement face in Json.Array(response.Body, "Faces"))
                faces.Add(ReadFace(face));
            return new Page<FaceRecord> { Items = faces, NextToken = Json.String(response.Body, "NextToken"), RequestId = response.ResponseMetadata?.RequestId };
        }

        public async Task<Page<string>> ListCollectionsAsync(int? maxResults, string nextToken, CancellationToken cancellationToken)
        {
            using var response = await CallAsync("ListCollections", true, w =>
            {
                if (maxResults.HasValue) w.WriteNumber("MaxResults", maxResults.Value);
                if (nextToken != null) w.WriteString("NextToken", nextToken);
            }, cancellationToken).ConfigureAwait(false);

            var ids = new List<string>();
            foreach (JsonElement id in Json.Array(response.Body, "CollectionIds"))
                if (id.ValueKind == JsonValueKind.String) ids.Add(id.GetString());
            return new Page<string> { Items = ids, NextToken = Json.String(response.Body, "NextToken"), RequestId = response.ResponseMetadata?.RequestId };
        }

        internal static FaceRecord ReadFace(JsonElement face)
        {
            BoundingBoxRecord box = null;
            if (face.ValueKind == JsonValueKind.Object && face.TryGetProperty("BoundingBox", out JsonElement b) && b.ValueKind == JsonValueKind.Object)
                box = new BoundingBoxRecord { Width = Json.Number(b, "Width"), Height = Json.Number(b, "Height"), Left = Json.Number(b, "Left"), Top = Json.Number(b, "Top") };
            return new FaceRecord
            {
                FaceId = Json.String(face, "FaceId"),
                UserId = Json.String(face, "UserId"),
                ImageId = Json.String(face, "ImageId"),
                ExternalImageId = Json.String(face, "ExternalImageId"),
                Confidence = Json.Number(face, "Confidence"),
                BoundingBox = box,
                IndexFacesModelVersion = Json.String(face, "IndexFacesModelVersion"),
            };
        }

        private async Task<FaceBatchOutcome> FaceBatchAsync(string operation, string succeededName, string unsuccessfulName,
            string collectionId, string userId, IReadOnlyList<string> faceIds, string clientRequestToken, double? userMatchThreshold, CancellationToken cancellationToken)
        {
            using var response = await CallAsync(operation, clientRequestToken != null, w =>
            {
                w.WriteString("CollectionId", collectionId);
                w.WriteString("UserId", userId);
                WriteStrings(w, "FaceIds", faceIds);
                if (clientRequestToken != null) w.WriteString("ClientRequestToken", clientRequestToken);
                if (userMatchThreshold.HasValue) w.WriteNumber("UserMatchThreshold", userMatchThreshold.Value);
            }, cancellationToken).ConfigureAwait(false);
            return ReadFaceBatchOutcome(response.Body, succeededName, unsuccessfulName, response.ResponseMetadata?.RequestId, response.Attempts, faceIds);
        }

        /// <param name="sent">The face IDs sent: a face the answer names in the order sent is that same string, not a copy.</param>
        internal static FaceBatchOutcome ReadFaceBatchOutcome(JsonElement body, string succeededName, string unsuccessfulName, string requestId, int attempts,
            IReadOnlyList<string> sent)
        {
            var succeeded = new List<string>(sent?.Count ?? 0);
            int inStep = 0;
            foreach (JsonElement face in Json.Array(body, succeededName))
            {
                // { "FaceId": "..." } as the model says, or a bare string.
                JsonElement id = face;
                if (face.ValueKind == JsonValueKind.Object && !face.TryGetProperty("FaceId", out id)) continue;
                if (id.ValueKind != JsonValueKind.String) continue;
                succeeded.Add(inStep < sent.Count && id.ValueEquals(sent[inStep]) ? sent[inStep++] : id.GetString());
            }

            var unsuccessful = new List<UnsuccessfulFace>();
            foreach (JsonElement face in Json.Array(body, unsuccessfulName))
            {
                var reasons = new List<string>();
                foreach (JsonElement reason in Json.Array(face, "Reasons"))
                    if (reason.ValueKind == JsonValueKind.String) reasons.Add(reason.GetString());
                unsuccessful.Add(new UnsuccessfulFace
                {
                    FaceId = Json.String(face, "FaceId"),
                    UserId = Json.String(face, "UserId"),
                    Confidence = Json.Number(face, "Confidence"),
                    Reasons = reasons,
                });
            }

            return new FaceBatchOutcome
            {
                Succeeded = succeeded,
                Unsuccessful = unsuccessful,
                UserStatus = Json.String(body, "UserStatus"),
                RequestId = requestId,
                Attempts = attempts,
            };
        }

        private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
        {
            w.WriteStartArray(name);
            foreach (string value in values) w.WriteStringValue(value);
            w.WriteEndArray();
        }

        private static bool IsClockSkew(AmazonServiceException exception) =>
            exception.Message != null &&
            (exception.ErrorCode == "InvalidSignatureException" || exception.ErrorCode == "RequestExpired" || exception.ErrorCode == "SignatureDoesNotMatch") &&
            (exception.Message.StartsWith("Signature expired", StringComparison.Ordinal) || exception.Message.StartsWith("Signature not yet current", StringComparison.Ordinal));

        /// <param name="safeToRepeat">Whether doing the operation twice does no harm: it only reads, or carries an idempotency token.</param>
        private async Task<JsonOperationResponse> CallAsync(string operation, bool safeToRepeat, Action<Utf8JsonWriter> writeBody, CancellationToken cancellationToken)
        {
            byte[] body = BodyBuffer.Write(output =>
            {
                using (var writer = new Utf8JsonWriter(output))
                {
                    writer.WriteStartObject();
                    writeBody(writer);
                    writer.WriteEndObject();
                }
            });

            try
            {
                try
                {
                    return await _client.CallAsync(operation, body, safeToRepeat, cancellationToken).ConfigureAwait(false);
                }
                catch (AmazonServiceException exception) when (IsClockSkew(exception))
                {
                    // AWSSDK.Core has just corrected its clock offset from this answer, but does not
                    // always retry when the server's clock moved back; one more attempt, same body and
                    // token, signs with the corrected time.
                    return await _client.CallAsync(operation, body, safeToRepeat, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception exception)
            {
                int attempts = exception.Data[AttemptCountingHandler.AttemptsKey] is int n ? n : 1;
                if (cancellationToken.IsCancellationRequested && exception is OperationCanceledException)
                    throw new RekognitionException(ErrorCodes.OperationCanceled, "The operation was canceled.", 0, null, attempts, exception);
                throw RekognitionException.From(exception, attempts, Endpoint);
            }
        }
    }

    /// <summary>Tolerant readers: a missing or mistyped field is null, never an exception.</summary>
    internal static class Json
    {
        public static string String(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;

        public static double? Number(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number
                ? value.GetDouble()
                : (double?)null;

        public static IEnumerable<JsonElement> Array(JsonElement element, string name)
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Array)
                return value.EnumerateArray();
            return System.Array.Empty<JsonElement>();
        }
    }
}
