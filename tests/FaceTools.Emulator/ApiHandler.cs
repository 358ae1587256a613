using System.Text;
using System.Text.Json.Nodes;

namespace FaceTools.Emulator;

/// <summary>
/// The JSON 1.1 front end: request ID and Date headers, simulated latency, SigV4, operation routing, fault injection,
/// the request log, and writing answers the way the service does.
/// </summary>
public sealed class ApiHandler(
    EmulatorSettings settings,
    SigV4Verifier verifier,
    RekognitionBackend backend,
    FaultInjector faults,
    RequestLog log,
    CancellationToken stopping)
{
    public const string JsonContentType = "application/x-amz-json-1.1";
    private const string TargetPrefix = "RekognitionService.";
    private static readonly TimeSpan HangLimit = TimeSpan.FromMinutes(10);
    public const string RedirectTarget = "https://rekognition.elsewhere.invalid/";

    private int _inFlight;

    /// <summary>API requests being handled now (held ones included).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public async Task HandleAsync(HttpContext http, byte[] body)
    {
        int inFlight = Interlocked.Increment(ref _inFlight);
        // Counted out as its answer starts, not after it has gone: a client that read the answer could otherwise send
        // its next request before this one is counted out. Once only, whichever comes first.
        int countedOut = 0;
        void CountOut()
        {
            if (Interlocked.Exchange(ref countedOut, 1) == 0) Interlocked.Decrement(ref _inFlight);
        }

        http.Response.OnStarting(() =>
        {
            CountOut();
            return Task.CompletedTask;
        });
        try
        {
            await HandleCoreAsync(http, body, inFlight);
        }
        finally
        {
            CountOut();
        }
    }

    private async Task HandleCoreAsync(HttpContext http, byte[] body, int inFlight)
    {
        var requestId = Guid.NewGuid().ToString();
        var entry = log.Begin(requestId);
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        var operation = target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : target;
        log.Update(entry, e =>
        {
            e.Operation = operation.Length > 0 ? operation : null;
            e.InFlight = inFlight;
            e.TakeFieldsFrom(body);
        });

        if (settings.LatencyMs > 0) await Task.Delay(settings.LatencyMs, http.RequestAborted);

        var check = verifier.Verify(http.Request, body, settings.Now);
        log.Update(entry, e => e.AccessKeyId = check.AccessKeyId);
        if (!check.Ok)
        {
            await WriteResultAsync(http, entry, ApiResult.Error(check.Error));
            return;
        }

        if (!HttpMethods.IsPost(http.Request.Method) || !target.StartsWith(TargetPrefix, StringComparison.Ordinal) ||
            !RekognitionOperations.Names.Contains(operation))
        {
            await WriteResultAsync(http, entry, ApiResult.Error(400, "UnknownOperationException",
                target.Length == 0 ? "Missing X-Amz-Target header." : "The operation is not known to the service."));
            return;
        }

        var fault = faults.Decide(operation);
        if (fault != null) log.Update(entry, e => e.Fault = fault.Kind.ToString());

        switch (fault?.Kind)
        {
            case null:
                await WriteResultAsync(http, entry, Execute(operation, body, check.Region, apply: true, entry));
                return;

            // Answered by the (simulated) service without touching the state.
            case FaultKind.Throttle:
                await WriteResultAsync(http, entry, ApiResult.Error(400, "ThrottlingException", "Rate exceeded"));
                return;
            case FaultKind.ProvisionedThroughput:
                await WriteResultAsync(http, entry, ApiResult.Error(400, "ProvisionedThroughputExceededException",
                    "The number of requests exceeded your throughput limit."));
                return;
            case FaultKind.InternalError:
                await WriteResultAsync(http, entry, ApiResult.Error(500, "InternalServerError", "Internal server error"));
                return;

            // A gateway's generic answers: JSON without an error code.
            case FaultKind.Http500:
                await WriteRawAsync(http, entry, 500, "application/json", "{\"message\":\"Internal Server Error\"}", null);
                return;
            case FaultKind.Http503:
                await WriteRawAsync(http, entry, 503, "application/json", "{\"message\":\"Service Unavailable\"}", null);
                return;
            case FaultKind.HtmlBadGateway:
                await WriteRawAsync(http, entry, 502, "text/html",
                    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n" +
                    "<hr><center>awselb/2.0</center>\r\n</body>\r\n</html>\r\n", null);
                return;
            case FaultKind.Redirect:
                // As a misconfigured proxy or endpoint might: elsewhere, with a body that parses.
                http.Response.Headers.Location = RedirectTarget;
                await WriteRawAsync(http, entry, 307, JsonContentType, "{}", null);
                return;
            case FaultKind.Missing__type:
                await WriteRawAsync(http, entry, 400, JsonContentType, "{\"Message\":\"Something went wrong, but the error has no type.\"}", null);
                return;
            case FaultKind.Conflict:
                await WriteResultAsync(http, entry, ApiResult.Error(400, "ConflictException",
                    "A request to change this user is in progress; try again later."));
                return;

            // Done, and then the answer is lost on the way: a 200 says the service did the work.
            case FaultKind.EmptyOk:
                Execute(operation, body, check.Region, apply: true, entry);
                await WriteRawAsync(http, entry, 200, JsonContentType, "", null);
                return;
            case FaultKind.TruncatedJson:
            {
                // The real answer cut in half: never valid JSON.
                var real = Execute(operation, body, check.Region, apply: true, entry);
                await WriteRawAsync(http, entry, 200, JsonContentType, real.Body[..(real.Body.Length / 2)], null);
                return;
            }

            // No answer at all.
            case FaultKind.Drop:
                http.Abort();
                return;
            case FaultKind.Hang:
            {
                // Until the client gives up (or the emulator stops), at most 10 minutes, then drop the connection.
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
                try { await Task.Delay(HangLimit, linked.Token); }
                catch (OperationCanceledException) { }
                http.Abort();
                return;
            }

            // Processed normally, but answered late or oddly.
            case FaultKind.Delay:
                await Task.Delay(fault.DelayMs, http.RequestAborted);
                await WriteResultAsync(http, entry, Execute(operation, body, check.Region, apply: true, entry));
                return;
            case FaultKind.ExtraFields:
            {
                var real = Execute(operation, body, check.Region, apply: true, entry);
                await WriteRawAsync(http, entry, real.StatusCode, JsonContentType, AddUnknownFields(real.Body), real.ErrorCode);
                return;
            }
            case FaultKind.WrongContentType:
            {
                var real = Execute(operation, body, check.Region, apply: true, entry);
                await WriteRawAsync(http, entry, real.StatusCode, "text/plain", real.Body, real.ErrorCode);
                return;
            }
        }
    }

    private ApiResult Execute(string operation, byte[] body, string region, bool apply, RequestLogEntry entry)
    {
        RequestReader reader;
        try { reader = RequestReader.Parse(body); }
        catch (ApiException e) { return ApiResult.Error(e); }
        var (result, replayed) = backend.Execute(operation, reader, new OperationContext(region, settings.Now), apply);
        if (replayed) log.Update(entry, e => e.Replayed = true);
        return result;
    }

    private Task WriteResultAsync(HttpContext http, RequestLogEntry entry, ApiResult result) =>
        WriteRawAsync(http, entry, result.StatusCode, JsonContentType, result.Body, result.ErrorCode);

    /// <summary>Writes an answer; an error code also goes into x-amzn-ErrorType, as the service sends it.</summary>
    private async Task WriteRawAsync(HttpContext http, RequestLogEntry entry, int status, string contentType, string body, string errorType)
    {
        log.Update(entry, e =>
        {
            e.StatusCode = status;
            e.ErrorCode = errorType;
        });
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        if (errorType != null) http.Response.Headers["x-amzn-ErrorType"] = errorType;
        var bytes = Encoding.UTF8.GetBytes(body);
        http.Response.ContentLength = bytes.Length;
        if (bytes.Length > 0) await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    /// <summary>The answer plus fields a newer service version might send: top level and inside every nested object.</summary>
    public static string AddUnknownFields(string json)
    {
        if (JsonNode.Parse(json) is not JsonObject root) return json;
        foreach (var nested in Descendants(root).ToList()) nested["EmulatorUnknownNestedField"] = "ignore me";
        root["EmulatorUnknownField"] = "ignore me";
        root["EmulatorUnknownStructure"] = new JsonObject { ["Items"] = new JsonArray(1, 2, 3), ["Flag"] = true };
        return root.ToJsonString();
    }

    private static IEnumerable<JsonObject> Descendants(JsonNode node)
    {
        IEnumerable<JsonNode> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children.Where(c => c != null))
        {
            if (child is JsonObject o) yield return o;
            foreach (var d in Descendants(child)) yield return d;
        }
    }
}
