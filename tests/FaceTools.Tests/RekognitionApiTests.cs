using System.Text.Json;
using FaceTools.Engine.Client;
using FaceTools.Engine.Operations;

namespace FaceTools.Tests;

/// <summary>
/// RekognitionApi against a loopback HTTP server: the bodies it writes, the headers AWSSDK.Core's
/// pipeline adds, and how answers and failures come back. Only 127.0.0.1 is contacted. Every test runs over a
/// sequential client's connections (answers read on the connection's own thread) and over a concurrent client's.
/// </summary>
public abstract class RekognitionApiTests : IDisposable
{
    private const string AccessKey = "AKIDLOOPBACK0001";
    private const string Secret = "loopbackSECRETneverOnTheWire/123";
    private const string F1 = "11111111-1111-4111-8111-111111111111";
    private const string F2 = "22222222-2222-4222-8222-222222222222";
    private const string F3 = "33333333-3333-4333-8333-333333333333";

    private readonly AwsEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    protected abstract int MaxConcurrency { get; }

    private RekognitionApi ApiFor(string url) =>
        RekognitionClients.Get(new ConnectionSettings { AccessKey = AccessKey, SecretKey = Secret, Region = "us-east-1", EndpointUrl = url, TimeoutSec = 20, MaxConcurrency = MaxConcurrency });

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

    private static RekognitionException Fails(Func<Task> call)
    {
        var task = Task.Run(call);
        var aggregate = Assert.Throws<AggregateException>(() => task.Wait(TimeSpan.FromSeconds(60)));
        return Assert.IsType<RekognitionException>(aggregate.InnerException);
    }

    [Fact]
    public async Task Answers_AreHandledOnTheConnectionsThread_ForASequentialClient_OnThePoolForAConcurrentOne()
    {
        // The answer comes well after the client has started to wait for it.
        using var server = new LoopbackServer(_ =>
        {
            Thread.Sleep(1000);
            return Ok("{}");
        });

        // A synchronous continuation runs on the thread that completes the call.
        string thread = await ApiFor(server.Url).CreateUserAsync("c", "alice", "tok", CancellationToken.None)
            .ContinueWith(_ => Thread.CurrentThread.Name, TaskContinuationOptions.ExecuteSynchronously).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(MaxConcurrency == 1, thread == ReaderThreadStream.ReaderThreadName);
    }

    [Fact]
    public void AssociateFaces_WritesTheBodyAndHeaders_AndReadsTheAnswer()
    {
        using var server = new LoopbackServer(_ => Ok($$"""
            { "AssociatedFaces": [ { "FaceId": "{{F1}}" } ],
              "UnsuccessfulFaceAssociations": [ { "FaceId": "{{F2}}", "UserId": "bob", "Confidence": 50.5, "Reasons": [ "LOW_MATCH_CONFIDENCE" ] } ],
              "UserStatus": "UPDATING" }
            """, "req-assoc"));
        var api = ApiFor(server.Url);

        var outcome = Run(api.AssociateFacesAsync("coll-1", "alice", new[] { F1, F2 }, "token-abc", 80.5, CancellationToken.None));

        Assert.Equal(new[] { F1 }, outcome.Succeeded);
        Assert.Equal("LOW_MATCH_CONFIDENCE", Assert.Single(Assert.Single(outcome.Unsuccessful).Reasons));
        Assert.Equal("UPDATING", outcome.UserStatus);
        Assert.Equal("req-assoc", outcome.RequestId);
        Assert.Equal(1, outcome.Attempts);

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/", request.Path);
        Assert.Equal("RekognitionService.AssociateFaces", request.Headers["X-Amz-Target"]);
        Assert.StartsWith("application/x-amz-json-1.1", request.Headers["Content-Type"]);
        string authorization = request.Headers["Authorization"];
        Assert.StartsWith("AWS4-HMAC-SHA256", authorization);
        Assert.Contains($"Credential={AccessKey}/", authorization);
        Assert.Contains("/us-east-1/rekognition/aws4_request", authorization);
        Assert.DoesNotContain(Secret, string.Join("\n", request.Headers.Values) + request.BodyText);

        var body = BodyOf(request);
        Assert.Equal("coll-1", body.GetProperty("CollectionId").GetString());
        Assert.Equal("alice", body.GetProperty("UserId").GetString());
        Assert.Equal(new[] { F1, F2 }, body.GetProperty("FaceIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("token-abc", body.GetProperty("ClientRequestToken").GetString());
        Assert.Equal(80.5, body.GetProperty("UserMatchThreshold").GetDouble());
    }

    [Fact]
    public void DisassociateFaces_WithoutToken_OmitsTokenAndThreshold()
    {
        using var server = new LoopbackServer(_ => Ok($$"""{ "DisassociatedFaces": [ { "FaceId": "{{F3}}" } ], "UserStatus": "ACTIVE" }"""));
        var outcome = Run(ApiFor(server.Url).DisassociateFacesAsync("c", "u", new[] { F3 }, null, CancellationToken.None));

        Assert.Equal(new[] { F3 }, outcome.Succeeded);
        var request = Assert.Single(server.Requests);
        Assert.Equal("RekognitionService.DisassociateFaces", request.Headers["X-Amz-Target"]);
        var body = BodyOf(request);
        Assert.False(body.TryGetProperty("ClientRequestToken", out _));
        Assert.False(body.TryGetProperty("UserMatchThreshold", out _));
        Assert.Equal(new[] { "CollectionId", "UserId", "FaceIds" }, body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void CreateAndDeleteUser_WriteTheirBodies_AndReturnTheRequestId()
    {
        using var server = new LoopbackServer(r => Ok("{}", "req-" + r.Headers["X-Amz-Target"]));
        var api = ApiFor(server.Url);

        Assert.Equal("req-RekognitionService.CreateUser", Run(api.CreateUserAsync("c", "user:1", "tok", CancellationToken.None)));
        Assert.Equal("req-RekognitionService.DeleteUser", Run(api.DeleteUserAsync("c", "user:1", null, CancellationToken.None)));

        var requests = server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal("""{"CollectionId":"c","UserId":"user:1","ClientRequestToken":"tok"}""", requests[0].BodyText);
        Assert.Equal("""{"CollectionId":"c","UserId":"user:1"}""", requests[1].BodyText);
    }

    [Fact]
    public void ListUsers_WritesPagingAndReadsThePage()
    {
        using var server = new LoopbackServer(_ => Ok("""
            { "Users": [ { "UserId": "a", "UserStatus": "ACTIVE" }, { "UserId": "b", "UserStatus": "CREATED" }, 7 ], "NextToken": "next-1" }
            """, "req-list"));
        var page = Run(ApiFor(server.Url).ListUsersAsync("c", 50, "prev-token", CancellationToken.None));

        Assert.Equal(new[] { "a", "b", null }, page.Items.Select(u => u.UserId));
        Assert.Equal(new[] { "ACTIVE", "CREATED", null }, page.Items.Select(u => u.UserStatus));
        Assert.Equal("next-1", page.NextToken);
        Assert.Equal("req-list", page.RequestId);
        Assert.Equal("""{"CollectionId":"c","MaxResults":50,"NextToken":"prev-token"}""", Assert.Single(server.Requests).BodyText);
    }

    [Fact]
    public void ListUsers_LastPage_HasNoNextToken_AndOptionalFieldsAreOmitted()
    {
        using var server = new LoopbackServer(_ => Ok("""{ "Users": [] }"""));
        var page = Run(ApiFor(server.Url).ListUsersAsync("c", null, null, CancellationToken.None));
        Assert.Empty(page.Items);
        Assert.Null(page.NextToken);
        Assert.Equal("""{"CollectionId":"c"}""", Assert.Single(server.Requests).BodyText);
    }

    [Fact]
    public void ListFaces_WritesFiltersAndReadsFaces()
    {
        using var server = new LoopbackServer(_ => Ok($$"""
            { "Faces": [ { "FaceId": "{{F1}}", "UserId": "u", "Confidence": 99.5, "BoundingBox": { "Width": 0.5, "Height": 0.25, "Left": 0.1, "Top": 0.2 } } ],
              "FaceModelVersion": "7.0" }
            """));
        var api = ApiFor(server.Url);
        var page = Run(api.ListFacesAsync("c", "u", new[] { F1, F2 }, 10, "t", CancellationToken.None));

        var face = Assert.Single(page.Items);
        Assert.Equal(F1, face.FaceId);
        Assert.Equal(0.25, face.BoundingBox.Height);
        Assert.Null(page.NextToken);
        Assert.Equal($$"""{"CollectionId":"c","UserId":"u","FaceIds":["{{F1}}","{{F2}}"],"MaxResults":10,"NextToken":"t"}""", Assert.Single(server.Requests).BodyText);

        Run(api.ListFacesAsync("c", null, Array.Empty<string>(), null, null, CancellationToken.None));
        Assert.Equal("""{"CollectionId":"c"}""", server.Requests.Last().BodyText);
    }

    [Fact]
    public void ServiceError_WithPrefixedType_BecomesRekognitionException_WithoutRetry()
    {
        using var server = new LoopbackServer(_ => new CannedResponse
        {
            Status = 400,
            Body = """{"__type":"com.amazonaws.rekognition#ResourceNotFoundException","Message":"The collection id: c does not exist"}""",
            Headers = { ["x-amzn-RequestId"] = "req-404" },
        });
        var e = Fails(() => ApiFor(server.Url).CreateUserAsync("c", "u", null, CancellationToken.None));

        Assert.Equal("ResourceNotFoundException", e.ErrorCode);
        Assert.Equal("The collection id: c does not exist", e.Message);
        Assert.Equal(400, e.StatusCode);
        Assert.Equal("req-404", e.RequestId);
        Assert.Equal(FailureKind.NotFound, e.Kind);
        Assert.Equal(1, e.Attempts);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void ServiceError_CodeOnlyInHeader_AndLowerCaseMessage()
    {
        using var server = new LoopbackServer(_ => new CannedResponse
        {
            Status = 400,
            Body = """{"message":"The security token included in the request is invalid."}""",
            ContentType = "application/json",
            Headers = { ["x-amzn-ErrorType"] = "UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/" },
        });
        var e = Fails(() => ApiFor(server.Url).DeleteUserAsync("c", "u", null, CancellationToken.None));
        Assert.Equal("UnrecognizedClientException", e.ErrorCode);
        Assert.Equal("The security token included in the request is invalid.", e.Message);
        Assert.True(e.IsTerminal);
        Assert.DoesNotContain(Secret, e.ToString());
    }

    [Theory]
    [InlineData(301)]
    [InlineData(307)]
    [InlineData(308)]
    public void ARedirect_IsNeitherFollowedNorTakenForSuccess_ButAConfigurationError(int status)
    {
        // A signed request is never sent on elsewhere, and a 3xx with a JSON body is not an answer.
        LoopbackServer server = null;
        using var created = server = new LoopbackServer(request => request.Path == "/"
            ? new CannedResponse { Status = status, Body = "{}", Headers = { ["Location"] = server.Url.TrimEnd('/') + "/elsewhere" } }
            : Ok("{}"));
        var e = Fails(() => ApiFor(server.Url).DeleteUserAsync("c", "u", null, CancellationToken.None));

        Assert.Equal("Http" + status, e.ErrorCode);
        Assert.Equal(status, e.StatusCode);
        Assert.Equal(FailureKind.Configuration, e.Kind);
        Assert.True(e.IsTerminal);
        Assert.Contains("/elsewhere", e.Message);
        Assert.Contains("never redirects", e.Message);
        Assert.Equal("/", Assert.Single(server.Requests).Path);
    }

    [Fact]
    public void HtmlBadGateway_BecomesHttp502_SayingItIsNotTheService_AfterTheSdksRetries()
    {
        using var server = new LoopbackServer(_ => new CannedResponse
        {
            Status = 502,
            ContentType = "text/html",
            Body = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
        });
        var e = Fails(() => ApiFor(server.Url).DeleteUserAsync("c", "u", null, CancellationToken.None));

        Assert.Equal("Http502", e.ErrorCode);
        Assert.Equal(502, e.StatusCode);
        Assert.Equal(FailureKind.ServiceUnavailable, e.Kind);
        Assert.Contains("not a Rekognition", e.Message);
        Assert.Contains("HTML", e.Message);
        Assert.True(server.Requests.Count > 1, "a 502 should be retried");
        Assert.Equal(server.Requests.Count, e.Attempts);
    }

    [Fact]
    public void TruncatedSuccessfulAnswer_IsMalformedResponse()
    {
        using var server = new LoopbackServer(_ => Ok("""{"AssociatedFaces":[{"FaceId":"""));
        var e = Fails(() => ApiFor(server.Url).AssociateFacesAsync("c", "u", new[] { F1 }, null, null, CancellationToken.None));
        Assert.Equal(ErrorCodes.MalformedResponse, e.ErrorCode);
        Assert.Equal(FailureKind.Protocol, e.Kind);
        Assert.Contains("truncated", e.Message);
        Assert.Equal(server.Requests.Count, e.Attempts);
    }

    [Fact]
    public void UnreadableSuccess_OfAnOperationUnsafeToRepeat_IsNotSentAgain()
    {
        using var server = new LoopbackServer(_ => Ok("""{"DeletedFaces":["""));
        var api = ApiFor(server.Url);

        var deleted = Fails(() => api.DeleteFacesAsync("c", new[] { F1 }, CancellationToken.None));
        Assert.Single(server.Requests);
        Assert.Equal(ErrorCodes.MalformedResponse, deleted.ErrorCode);
        Assert.Equal(FailureKind.Protocol, deleted.Kind);
        Assert.Equal(1, deleted.Attempts);
        Assert.Contains("truncated", deleted.Message);
        Assert.Contains("DeleteFaces was not sent again", deleted.Message);

        var created = Fails(() => api.CreateUserAsync("c", "u", null, CancellationToken.None));
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains("CreateUser was not sent again", created.Message);
    }

    [Theory]
    [InlineData("with a token")]
    [InlineData("a read")]
    public void UnreadableSuccess_OfAnOperationSafeToRepeat_IsRetried(string kind)
    {
        int calls = 0;
        using var server = new LoopbackServer(_ => Interlocked.Increment(ref calls) == 1
            ? Ok("""{"Users":[""")
            : Ok("""{ "Users": [], "AssociatedFaces": [] }"""));
        var api = ApiFor(server.Url);

        if (kind == "a read") Run(api.ListUsersAsync("c", null, null, CancellationToken.None));
        else Run(api.AssociateFacesAsync("c", "u", new[] { F1 }, "token-1", null, CancellationToken.None));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public void AnswersWithoutContentLength_AreReadWhole()
    {
        string faces = string.Join(", ", Enumerable.Range(0, 100).Select(i => $$"""{ "FaceId": "{{Guid.NewGuid()}}" }"""));
        using var server = new LoopbackServer(request => request.BodyText.Contains("\"fails\"")
            ? new CannedResponse { Status = 400, Chunked = true, Body = """{ "__type": "InvalidParameterException", "Message": "chunked error" }""" }
            : new CannedResponse { Chunked = true, Body = $$"""{ "DisassociatedFaces": [ {{faces}} ], "UserStatus": "ACTIVE" }""" });
        var api = ApiFor(server.Url);

        var outcome = Run(api.DisassociateFacesAsync("coll-1", "alice", new[] { F1 }, null, CancellationToken.None));
        Assert.Equal(100, outcome.Succeeded.Count);
        Assert.Equal("ACTIVE", outcome.UserStatus);
        var error = Fails(() => api.DisassociateFacesAsync("coll-1", "fails", new[] { F1 }, null, CancellationToken.None));
        Assert.Equal("InvalidParameterException", error.ErrorCode);
        Assert.Equal("chunked error", error.Message);
    }

    [Fact]
    public void EmptySuccessfulAnswer_IsMalformedResponse()
    {
        using var server = new LoopbackServer(_ => Ok(""));
        var e = Fails(() => ApiFor(server.Url).ListUsersAsync("c", null, null, CancellationToken.None));
        Assert.Equal(ErrorCodes.MalformedResponse, e.ErrorCode);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void Retries_SendTheSameBody_AndCountAttempts()
    {
        int calls = 0;
        using var server = new LoopbackServer(_ => Interlocked.Increment(ref calls) == 1
            ? new CannedResponse { Status = 500, Body = """{"__type":"InternalServerError","Message":"oops"}""" }
            : Ok($$"""{ "AssociatedFaces": [ { "FaceId": "{{F1}}" } ] }"""));
        var outcome = Run(ApiFor(server.Url).AssociateFacesAsync("c", "u", new[] { F1 }, "same-token", null, CancellationToken.None));

        Assert.Equal(2, outcome.Attempts);
        var requests = server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal(requests[0].BodyText, requests[1].BodyText);
        Assert.Contains("\"ClientRequestToken\":\"same-token\"", requests[1].BodyText);
    }

    [Fact]
    public void NothingListening_IsConnectionFailure()
    {
        string url = "http://127.0.0.1:" + LoopbackServer.FreePort();
        var e = Fails(() => ApiFor(url).ListUsersAsync("c", null, null, CancellationToken.None));
        Assert.Equal(ErrorCodes.ConnectionFailure, e.ErrorCode);
        Assert.Equal(FailureKind.Connection, e.Kind);
        Assert.True(e.Attempts >= 1);
        Assert.Contains("The connection to the service at " + url, e.Message);
        Assert.DoesNotContain(Secret, e.ToString());
    }

    [Fact]
    public void CanceledByTheCaller_IsOperationCanceled()
    {
        using var server = new LoopbackServer(_ => Ok("{}"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var e = Fails(() => ApiFor(server.Url).CreateUserAsync("c", "u", null, cts.Token));
        Assert.Equal(ErrorCodes.OperationCanceled, e.ErrorCode);
        Assert.Equal(FailureKind.Canceled, e.Kind);
        Assert.False(e.IsTerminal);
    }
}

[Collection(EnvironmentCollection.Name)]
public sealed class SequentialClientApiTests : RekognitionApiTests
{
    protected override int MaxConcurrency => 1;
}

[Collection(EnvironmentCollection.Name)]
public sealed class ConcurrentClientApiTests : RekognitionApiTests
{
    protected override int MaxConcurrency => 4;
}
