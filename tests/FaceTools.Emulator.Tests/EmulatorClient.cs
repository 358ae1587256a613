using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FaceTools.Emulator.Tests;

/// <summary>One raw answer: status, the service's headers and the body (parsed when it is JSON).</summary>
public sealed class ApiResponse
{
    public HttpStatusCode Status { get; init; }
    public string RequestId { get; init; }
    public string ErrorTypeHeader { get; init; }
    public string ContentType { get; init; }
    public string Location { get; init; }
    public DateTimeOffset? Date { get; init; }
    public string Body { get; init; }
    public TimeSpan Elapsed { get; init; }

    public JsonNode Json
    {
        get
        {
            try { return JsonNode.Parse(Body); }
            catch (JsonException) { return null; }
        }
    }

    public string Code => Json?["__type"]?.GetValue<string>();
    public string Message => Json?["Message"]?.GetValue<string>();
}

/// <summary>Signed Rekognition calls and control-route calls against one emulator.</summary>
public sealed class EmulatorClient(Uri baseAddress, HttpClient http)
{
    public Uri BaseAddress { get; } = baseAddress;
    public HttpClient Http { get; } = http;

    public Task<ApiResponse> CallAsync(string operation, JsonNode body = null, TestCredentials credentials = null,
        DateTime? signTime = null, string region = "us-east-1", Action<HttpRequestMessage> afterSigning = null,
        CancellationToken cancellationToken = default, string service = "rekognition", bool addContentSha256 = false) =>
        CallRawAsync(operation, Encoding.UTF8.GetBytes((body ?? new JsonObject()).ToJsonString()), credentials, signTime,
            region, afterSigning, cancellationToken, service, addContentSha256);

    public async Task<ApiResponse> CallRawAsync(string operation, byte[] body, TestCredentials credentials = null,
        DateTime? signTime = null, string region = "us-east-1", Action<HttpRequestMessage> afterSigning = null,
        CancellationToken cancellationToken = default, string service = "rekognition", bool addContentSha256 = false,
        bool sign = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, "/"));
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        if (operation != null) request.Headers.Add("X-Amz-Target", "RekognitionService." + operation);
        if (sign)
            TestSigner.Sign(request, body, credentials ?? TestCredentials.Default, signTime ?? DateTime.UtcNow, region, service, addContentSha256);
        afterSigning?.Invoke(request);

        var started = System.Diagnostics.Stopwatch.StartNew();
        using var response = await Http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new ApiResponse
        {
            Status = response.StatusCode,
            RequestId = response.Headers.TryGetValues("x-amzn-RequestId", out var id) ? id.Single() : null,
            ErrorTypeHeader = response.Headers.TryGetValues("x-amzn-ErrorType", out var et) ? et.Single() : null,
            ContentType = response.Content.Headers.ContentType?.ToString(),
            Location = response.Headers.Location?.OriginalString,
            Date = response.Headers.Date,
            Body = text,
            Elapsed = started.Elapsed,
        };
    }

    /// <summary>Calls an operation and asserts HTTP 200 with a JSON body.</summary>
    public async Task<JsonNode> OkAsync(string operation, JsonNode body = null)
    {
        var response = await CallAsync(operation, body);
        Assert.True(response.Status == HttpStatusCode.OK, $"{operation}: expected 200, got {(int)response.Status} {response.Body}");
        Assert.Equal("application/x-amz-json-1.1", response.ContentType);
        return response.Json ?? throw new Xunit.Sdk.XunitException($"{operation}: body is not JSON: {response.Body}");
    }

    /// <summary>Calls an operation and asserts the service's error shape: status, __type, x-amzn-ErrorType, Message.</summary>
    public async Task<ApiResponse> ErrorAsync(string operation, JsonNode body, string code, int status = 400)
    {
        var response = await CallAsync(operation, body);
        AssertError(response, code, status);
        return response;
    }

    public static void AssertError(ApiResponse response, string code, int status = 400)
    {
        Assert.True((int)response.Status == status && response.Code == code,
            $"expected {status} {code}, got {(int)response.Status} {response.Body}");
        Assert.Equal(code, response.ErrorTypeHeader);
        Assert.Equal("application/x-amz-json-1.1", response.ContentType);
        Assert.False(string.IsNullOrEmpty(response.Message));
        Assert.True(Guid.TryParse(response.RequestId, out _));
    }

    // ------------------------------------------------------------------ control routes

    public async Task<JsonNode> ControlAsync(HttpMethod method, string route, JsonNode body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseAddress, "/_emulator/" + route));
        if (body != null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {route}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text);
    }

    public Task<JsonNode> ResetAsync() => ControlAsync(HttpMethod.Post, "reset");
    public Task<JsonNode> SeedAsync(JsonNode body) => ControlAsync(HttpMethod.Post, "seed", body);
    public Task<JsonNode> StateAsync() => ControlAsync(HttpMethod.Get, "state");
    public Task<JsonNode> ConfigAsync(JsonNode body) => ControlAsync(HttpMethod.Post, "config", body);
    public Task<JsonNode> FaultsAsync(JsonNode body) => ControlAsync(HttpMethod.Post, "faults", body);

    public async Task<JsonArray> LogAsync(string operation = null) =>
        (await ControlAsync(HttpMethod.Get, "log" + (operation == null ? "" : "?operation=" + operation)))!["Requests"]!.AsArray();

    /// <summary>The Generate formula, computed independently: first 16 bytes of SHA-256 as 8-4-4-4-12 lower-case hex.</summary>
    public static string GuidOf(string text) => GuidOfHash(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string GuidOfHash(byte[] hash)
    {
        var hex = Convert.ToHexStringLower(hash)[..32];
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    public static JsonArray Ids(params string[] ids) => new(ids.Select(i => (JsonNode)JsonValue.Create(i)).ToArray());

    public static List<string> Strings(JsonNode array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToList();
}
