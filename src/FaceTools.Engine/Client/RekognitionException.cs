using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using Amazon.Runtime;
using FaceTools.Engine.Protocol;

namespace FaceTools.Engine.Client
{
    /// <summary>What kind of failure an error is: the cmdlets turn it into an ErrorCategory.</summary>
    public enum FailureKind
    {
        Unknown,
        NotFound,
        AlreadyExists,
        PermissionDenied,
        Authentication,
        InvalidArgument,
        InvalidData,
        Conflict,
        LimitsExceeded,
        QuotaExceeded,
        ServiceUnavailable,
        Connection,
        Timeout,
        Protocol,
        Configuration,
        Canceled,
    }

    public static class ErrorCodes
    {
        public const string MalformedResponse = "MalformedResponse";
        public const string ConnectionFailure = "ConnectionFailure";
        public const string RequestTimeout = "RequestTimeout";
        public const string NoCredentials = "NoCredentials";
        public const string NoRegion = "NoRegion";
        public const string ProfileNotFound = "ProfileNotFound";
        public const string InvalidConfiguration = "InvalidConfiguration";
        public const string ClientError = "ClientError";
        public const string OperationCanceled = "OperationCanceled";
    }

    /// <summary>
    /// Every failure the engine reports: the service's error code (or one of ours for failures that
    /// never reached the service), its message, and what the caller needs to decide what to do.
    /// The engine's callers never see AWSSDK.Core's exception types.
    /// </summary>
    [Serializable]
    public sealed class RekognitionException : Exception
    {
        private static readonly Dictionary<string, FailureKind> KindByCode = new Dictionary<string, FailureKind>(StringComparer.Ordinal)
        {
            ["ResourceNotFoundException"] = FailureKind.NotFound,
            ["ResourceAlreadyExistsException"] = FailureKind.AlreadyExists,
            ["AccessDeniedException"] = FailureKind.PermissionDenied,
            ["UnrecognizedClientException"] = FailureKind.Authentication,
            ["InvalidSignatureException"] = FailureKind.Authentication,
            ["IncompleteSignatureException"] = FailureKind.Authentication,
            ["ExpiredTokenException"] = FailureKind.Authentication,
            ["InvalidClientTokenId"] = FailureKind.Authentication,
            ["MissingAuthenticationTokenException"] = FailureKind.Authentication,
            ["MissingAuthenticationToken"] = FailureKind.Authentication,
            ["InvalidParameterException"] = FailureKind.InvalidArgument,
            ["ValidationException"] = FailureKind.InvalidArgument,
            ["InvalidPaginationTokenException"] = FailureKind.InvalidArgument,
            ["IdempotentParameterMismatchException"] = FailureKind.InvalidArgument,
            ["InvalidImageFormatException"] = FailureKind.InvalidData,
            ["InvalidS3ObjectException"] = FailureKind.InvalidArgument,
            ["SerializationException"] = FailureKind.InvalidData,
            ["ConflictException"] = FailureKind.Conflict,
            ["ResourceInUseException"] = FailureKind.Conflict,
            ["ThrottlingException"] = FailureKind.LimitsExceeded,
            ["ProvisionedThroughputExceededException"] = FailureKind.LimitsExceeded,
            ["LimitExceededException"] = FailureKind.LimitsExceeded,
            ["ImageTooLargeException"] = FailureKind.LimitsExceeded,
            ["ServiceQuotaExceededException"] = FailureKind.QuotaExceeded,
            ["InternalServerError"] = FailureKind.ServiceUnavailable,
            ["ServiceUnavailableException"] = FailureKind.ServiceUnavailable,
            [ErrorCodes.MalformedResponse] = FailureKind.Protocol,
            [ErrorCodes.ConnectionFailure] = FailureKind.Connection,
            [ErrorCodes.RequestTimeout] = FailureKind.Timeout,
            [ErrorCodes.NoCredentials] = FailureKind.Configuration,
            [ErrorCodes.NoRegion] = FailureKind.Configuration,
            [ErrorCodes.ProfileNotFound] = FailureKind.Configuration,
            [ErrorCodes.InvalidConfiguration] = FailureKind.Configuration,
            [ErrorCodes.OperationCanceled] = FailureKind.Canceled,
        };

        public RekognitionException(string errorCode, string message, int statusCode = 0, string requestId = null, int attempts = 0, Exception innerException = null)
            : base(message, innerException)
        {
            ErrorCode = string.IsNullOrEmpty(errorCode) ? ErrorCodes.ClientError : errorCode;
            StatusCode = statusCode;
            RequestId = requestId;
            Attempts = attempts;
        }

        public string ErrorCode { get; }
        public int StatusCode { get; }
        public string RequestId { get; }
        public int Attempts { get; internal set; }

        public FailureKind Kind => KindOf(ErrorCode, StatusCode);

        /// <summary>Whether the service refused for the request rate (as opposed to another limit, such as an image's size).</summary>
        public bool IsThrottling =>
            ErrorCode == "ThrottlingException" || ErrorCode == "ProvisionedThroughputExceededException" || ErrorCode == "LimitExceededException";

        /// <summary>
        /// Failures no later request can escape (credentials, signing, permissions, configuration):
        /// the cmdlets stop at the first one instead of repeating it for every batch.
        /// </summary>
        public bool IsTerminal => Kind == FailureKind.Authentication || Kind == FailureKind.PermissionDenied || Kind == FailureKind.Configuration;

        public static FailureKind KindOf(string code, int statusCode)
        {
            if (code != null && KindByCode.TryGetValue(code, out FailureKind kind)) return kind;
            if (statusCode >= 500) return FailureKind.ServiceUnavailable;
            // A redirect: the endpoint or a proxy is wrong, for every request that follows too.
            if (ResponseParser.IsRedirect(statusCode)) return FailureKind.Configuration;
            if (statusCode == 403) return FailureKind.PermissionDenied;
            return FailureKind.Unknown;
        }

        /// <summary>The one place where AWSSDK.Core's and .NET's exceptions become ours.</summary>
        /// <remarks>
        /// The caller handles its own cancellation first, so any other cancellation here is a timeout
        /// (HttpClient's timeout surfaces as a canceled operation, on .NET Framework with a canceled token).
        /// </remarks>
        /// <param name="endpoint">The service address the request went to, for failures to reach it; may be null.</param>
        internal static RekognitionException From(Exception exception, int attempts, string endpoint = null)
        {
            // AWSSDK.Core wraps what an unmarshaller throws: keep our clearer protocol error (the outermost one).
            for (Exception inner = exception; inner != null; inner = inner.InnerException)
                if (inner is UnusableAnswerException wrapped)
                    return new RekognitionException(wrapped.ErrorCode, wrapped.Message, (int)wrapped.StatusCode, wrapped.RequestId, attempts);

            switch (exception)
            {
                case RekognitionException ours:
                    if (ours.Attempts == 0) ours.Attempts = attempts;
                    return ours;
                case AmazonServiceException service when service.ErrorCode != null || (int)service.StatusCode != 0:
                    string code = service.ErrorCode ?? "Http" + (int)service.StatusCode;
                    if (service.InnerException is HttpRequestException || service.InnerException is IOException || service.InnerException is SocketException)
                    {
                        if ((int)service.StatusCode == 0) return Connection(service, attempts, endpoint);
                    }

                    return new RekognitionException(code, service.Message, (int)service.StatusCode, service.RequestId, attempts);
                case OperationCanceledException _:
                case TimeoutException _:
                    return new RekognitionException(ErrorCodes.RequestTimeout,
                        "The request" + (endpoint == null ? "" : " to " + endpoint) + " timed out before the service answered (after " + attempts + " attempt(s)).", 0, null, attempts);
                case AmazonServiceException service:
                    return Connection(service, attempts, endpoint);
                case HttpRequestException _:
                case IOException _:
                case SocketException _:
                    return Connection(exception, attempts, endpoint);
                case AmazonClientException client:
                    return new RekognitionException(ErrorCodes.ClientError, client.Message, 0, null, attempts);
                default:
                    return new RekognitionException(ErrorCodes.ClientError, exception.Message, 0, null, attempts, exception);
            }
        }

        private static RekognitionException Connection(Exception exception, int attempts, string endpoint)
        {
            var root = exception;
            while (root.InnerException != null) root = root.InnerException;
            return new RekognitionException(ErrorCodes.ConnectionFailure,
                "The connection to the service" + (endpoint == null ? "" : " at " + endpoint) + " failed (after " + attempts + " attempt(s)): " + root.Message, 0, null, attempts);
        }
    }
}
