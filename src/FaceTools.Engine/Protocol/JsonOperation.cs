using System;
using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Util;
using FaceTools.Engine.Client;

namespace FaceTools.Engine.Protocol
{
    /// <summary>
    /// One Rekognition JSON 1.1 call as AWSSDK.Core's pipeline sees it: the operation name and its
    /// already-serialized body. One generic request type serves every operation, so adding an
    /// operation is a body writer and a response reader, not a marshaller pair.
    /// </summary>
    internal sealed class JsonOperationRequest : AmazonWebServiceRequest
    {
        public JsonOperationRequest(string operation, byte[] body, bool safeToRepeat)
        {
            Operation = operation;
            Body = body;
            SafeToRepeat = safeToRepeat;
        }

        public string Operation { get; }
        public byte[] Body { get; }

        /// <summary>Whether doing the operation twice does no harm (it reads, or carries an idempotency token).</summary>
        public bool SafeToRepeat { get; }
    }

    /// <summary>An answer whose body is read in place: dispose it once read, to give the parser's buffers back.</summary>
    internal sealed class JsonOperationResponse : AmazonWebServiceResponse, IDisposable
    {
        public JsonDocument Document { get; set; }
        public JsonElement Body => Document.RootElement;
        public int Attempts { get; set; } = 1;

        public void Dispose() => Document?.Dispose();
    }

    internal sealed class JsonOperationMarshaller : IMarshaller<IRequest, AmazonWebServiceRequest>
    {
        public const string TargetPrefix = "RekognitionService.";
        public const string ContentType = "application/x-amz-json-1.1";
        public static readonly JsonOperationMarshaller Instance = new JsonOperationMarshaller();

        public IRequest Marshall(AmazonWebServiceRequest input)
        {
            var call = (JsonOperationRequest)input;
            var request = new DefaultRequest(call, "Amazon.Rekognition");
            request.Headers["X-Amz-Target"] = TargetPrefix + call.Operation;
            request.Headers["Content-Type"] = ContentType;
            request.Headers[HeaderKeys.XAmzApiVersion] = "2016-06-27";
            request.HttpMethod = "POST";
            request.ResourcePath = "/";
            request.Content = call.Body;
            return request;
        }
    }

    /// <summary>
    /// Reads every answer defensively: proxies and broken middleboxes send HTML, empty bodies and
    /// truncated JSON, and each of those must become a clear error rather than a parser's exception.
    /// </summary>
    internal sealed class JsonOperationUnmarshaller : JsonResponseUnmarshaller
    {
        public static readonly JsonOperationUnmarshaller Instance = new JsonOperationUnmarshaller();

        public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext context)
        {
            var data = context.ResponseData;
            byte[] body = BodyBuffer.ReadAll(context.Stream, data?.ContentLength ?? -1);
            string requestId = RequestIdOf(data);

            // Redirects are not followed (the client config says so), and AWSSDK.Core then hands a 3xx
            // over as if it had succeeded: it is an error here, whatever its body says.
            HttpStatusCode status = data?.StatusCode ?? HttpStatusCode.OK;
            if (ResponseParser.IsRedirect((int)status))
            {
                throw new UnusableAnswerException(ResponseParser.DescribeRedirect((int)status, data?.GetHeaderValue("Location")),
                    null, ErrorType.Sender, "Http" + (int)status, requestId, status);
            }

            if (!ResponseParser.TryParseObject(body, out JsonDocument document))
            {
                throw new UnusableAnswerException(
                    ResponseParser.DescribeUnreadableBody("a successful", status, data?.ContentType, body),
                    null, ErrorType.Unknown, ErrorCodes.MalformedResponse, requestId, status);
            }

            var response = new JsonOperationResponse { Document = document };
            response.ResponseMetadata = new ResponseMetadata { RequestId = requestId };
            return response;
        }

        public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
        {
            // Read the stream first: the context's cached copy of the body fills only as it is read.
            var data = context.ResponseData;
            byte[] body = BodyBuffer.ReadAll(context.Stream, data?.ContentLength ?? -1);
            if (body.Length == 0)
            {
                try { body = context.GetResponseBodyBytes() ?? body; }
                catch (InvalidOperationException) { }
            }

            var error = ResponseParser.ParseError(body, (int)statusCode, data?.ContentType, data?.GetHeaderValue("x-amzn-ErrorType"));
            var errorType = (int)statusCode >= 500 ? ErrorType.Receiver : ErrorType.Sender;
            return new AmazonServiceException(error.Message, innerException, errorType, error.Code, RequestIdOf(data), statusCode);
        }

        private static readonly string[] RequestIdHeaders = { "x-amzn-RequestId", "x-amz-request-id" };

        private static string RequestIdOf(IWebResponseData data)
        {
            if (data == null) return null;
            foreach (string name in RequestIdHeaders)
                if (data.IsHeaderPresent(name)) return data.GetHeaderValue(name);
            return null;
        }
    }

    /// <summary>
    /// An answer that came back as a success but is none (a redirect, a body that is not Rekognition's):
    /// AWSSDK.Core wraps it, and <see cref="RekognitionException.From"/> unwraps it to keep its message.
    /// </summary>
    internal sealed class UnusableAnswerException : AmazonServiceException
    {
        public UnusableAnswerException(string message, Exception innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
            : base(message, innerException, errorType, errorCode, requestId, statusCode)
        {
        }
    }

    /// <summary>Parsing of response bodies, free of AWSSDK.Core types so it is tested alone.</summary>
    internal static class ResponseParser
    {
        /// <summary>The body as a JSON object, parsed in place (the document reads <paramref name="body"/>, so it must not change); dispose it once read.</summary>
        public static bool TryParseObject(byte[] body, out JsonDocument document)
        {
            document = null;
            if (body == null || body.Length == 0) return false;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                return false;
            }

            if (document.RootElement.ValueKind == JsonValueKind.Object) return true;
            document.Dispose();
            document = null;
            return false;
        }

        public sealed class ServiceError
        {
            public string Code { get; set; }
            public string Message { get; set; }
        }

        /// <summary>The error code and message from a JSON 1.1 error body, whatever shape it came in.</summary>
        public static ServiceError ParseError(byte[] body, int statusCode, string contentType, string errorTypeHeader)
        {
            string code = null, message = null;
            bool isJson = TryParseObject(body, out JsonDocument document);
            if (isJson)
            {
                using (document)
                {
                    JsonElement root = document.RootElement;
                    code = StringProperty(root, "__type") ?? StringProperty(root, "code") ?? StringProperty(root, "Code");
                    message = StringProperty(root, "Message") ?? StringProperty(root, "message") ?? StringProperty(root, "errorMessage");
                }
            }

            code = NormalizeCode(code) ?? NormalizeCode(errorTypeHeader);
            if (string.IsNullOrEmpty(code))
            {
                // No code anywhere: a proxy or load balancer answered, or a service error lost its type.
                code = "Http" + statusCode;
                message = isJson && !string.IsNullOrEmpty(message)
                    ? $"The service endpoint answered HTTP {statusCode} without an error code: {message}"
                    : DescribeUnreadableBody("an error", (HttpStatusCode)statusCode, contentType, body);
            }
            else if (string.IsNullOrEmpty(message))
            {
                message = $"The service answered HTTP {statusCode} with error {code} and no message.";
            }

            return new ServiceError { Code = code, Message = message };
        }

        /// <summary>Takes "com.amazonaws.rekognition#ThrottlingException:http://..." to "ThrottlingException".</summary>
        public static string NormalizeCode(string code)
        {
            if (string.IsNullOrWhiteSpace(code)) return null;
            int hash = code.LastIndexOf('#');
            if (hash >= 0) code = code.Substring(hash + 1);
            int colon = code.IndexOf(':');
            if (colon >= 0) code = code.Substring(0, colon);
            code = code.Trim();
            return code.Length == 0 ? null : code;
        }

        public static bool IsRedirect(int statusCode) => statusCode >= 300 && statusCode < 400;

        public static string DescribeRedirect(int statusCode, string location) =>
            $"The service endpoint answered HTTP {statusCode}, a redirect" +
            (string.IsNullOrEmpty(location) ? "" : $" to '{location}'") +
            ". Rekognition never redirects, so the endpoint (-EndpointUrl or AWS_ENDPOINT_URL) or a proxy on the way is wrong; " +
            "FaceTools does not send a signed request on to another address.";

        public static string DescribeUnreadableBody(string what, HttpStatusCode statusCode, string contentType, byte[] body)
        {
            var text = new StringBuilder();
            text.Append("The service endpoint returned ").Append(what).Append(" response (HTTP ").Append((int)statusCode)
                .Append(") that is not a Rekognition JSON answer: ");
            if (body == null || body.Length == 0)
            {
                text.Append("the body is empty.");
            }
            else
            {
                text.Append(body.Length).Append(" bytes of ").Append(string.IsNullOrEmpty(contentType) ? "unknown content" : contentType);
                text.Append(LooksLikeHtml(body) ? " (an HTML page: a proxy or load balancer may have answered)." : " that do not parse as a JSON object (truncated or corrupt).");
            }

            return text.ToString();
        }

        private static bool LooksLikeHtml(byte[] body)
        {
            string start = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 256)).TrimStart().ToLowerInvariant();
            return start.StartsWith("<!doctype html", StringComparison.Ordinal) || start.StartsWith("<html", StringComparison.Ordinal);
        }

        private static string StringProperty(JsonElement element, string name) =>
            element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
