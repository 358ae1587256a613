using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using FaceTools.Engine.Client;

namespace FaceTools.Tests;

public class RekognitionExceptionTests
{
    public static TheoryData<string, FailureKind> CodeTable() => new()
    {
        { "ResourceNotFoundException", FailureKind.NotFound },
        { "ResourceAlreadyExistsException", FailureKind.AlreadyExists },
        { "AccessDeniedException", FailureKind.PermissionDenied },
        { "UnrecognizedClientException", FailureKind.Authentication },
        { "InvalidSignatureException", FailureKind.Authentication },
        { "IncompleteSignatureException", FailureKind.Authentication },
        { "ExpiredTokenException", FailureKind.Authentication },
        { "InvalidClientTokenId", FailureKind.Authentication },
        { "MissingAuthenticationTokenException", FailureKind.Authentication },
        { "MissingAuthenticationToken", FailureKind.Authentication },
        { "InvalidParameterException", FailureKind.InvalidArgument },
        { "ValidationException", FailureKind.InvalidArgument },
        { "InvalidPaginationTokenException", FailureKind.InvalidArgument },
        { "IdempotentParameterMismatchException", FailureKind.InvalidArgument },
        { "InvalidImageFormatException", FailureKind.InvalidData },
        { "InvalidS3ObjectException", FailureKind.InvalidArgument },
        { "SerializationException", FailureKind.InvalidData },
        { "ConflictException", FailureKind.Conflict },
        { "ResourceInUseException", FailureKind.Conflict },
        { "ThrottlingException", FailureKind.LimitsExceeded },
        { "ProvisionedThroughputExceededException", FailureKind.LimitsExceeded },
        { "LimitExceededException", FailureKind.LimitsExceeded },
        { "ImageTooLargeException", FailureKind.LimitsExceeded },
        { "ServiceQuotaExceededException", FailureKind.QuotaExceeded },
        { "InternalServerError", FailureKind.ServiceUnavailable },
        { "ServiceUnavailableException", FailureKind.ServiceUnavailable },
        { ErrorCodes.MalformedResponse, FailureKind.Protocol },
        { ErrorCodes.ConnectionFailure, FailureKind.Connection },
        { ErrorCodes.RequestTimeout, FailureKind.Timeout },
        { ErrorCodes.NoCredentials, FailureKind.Configuration },
        { ErrorCodes.NoRegion, FailureKind.Configuration },
        { ErrorCodes.ProfileNotFound, FailureKind.Configuration },
        { ErrorCodes.InvalidConfiguration, FailureKind.Configuration },
        { ErrorCodes.OperationCanceled, FailureKind.Canceled },
    };

    [Theory]
    [MemberData(nameof(CodeTable))]
    public void KindOf_EachCodeInTheTable(string code, FailureKind expected)
    {
        Assert.Equal(expected, RekognitionException.KindOf(code, 400));
        // The code decides, whatever the status.
        Assert.Equal(expected, RekognitionException.KindOf(code, 500));
        Assert.Equal(expected, new RekognitionException(code, "m", 400).Kind);
    }

    [Theory]
    [MemberData(nameof(CodeTable))]
    public void IsTerminal_ExactlyForAuthenticationPermissionAndConfiguration(string code, FailureKind kind)
    {
        bool expected = kind is FailureKind.Authentication or FailureKind.PermissionDenied or FailureKind.Configuration;
        Assert.Equal(expected, new RekognitionException(code, "m", 400).IsTerminal);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(599)]
    public void KindOf_UnknownCode_5xx_IsServiceUnavailable(int status)
    {
        Assert.Equal(FailureKind.ServiceUnavailable, RekognitionException.KindOf("SomethingNew", status));
        Assert.Equal(FailureKind.ServiceUnavailable, RekognitionException.KindOf("Http" + status, status));
        Assert.Equal(FailureKind.ServiceUnavailable, RekognitionException.KindOf(null, status));
        Assert.False(new RekognitionException("SomethingNew", "m", status).IsTerminal);
    }

    [Theory]
    [InlineData("ThrottlingException", true)]
    [InlineData("ProvisionedThroughputExceededException", true)]
    [InlineData("LimitExceededException", true)]
    [InlineData("ImageTooLargeException", false)]
    [InlineData("ServiceQuotaExceededException", false)]
    public void IsThrottling_OnlyForTheRequestRate_NotForOtherLimits(string code, bool throttling)
    {
        Assert.Equal(throttling, new RekognitionException(code, "refused").IsThrottling);
    }

    [Fact]
    public void KindOf_UnknownCode_403_IsPermissionDenied_AndTerminal()
    {
        Assert.Equal(FailureKind.PermissionDenied, RekognitionException.KindOf("Http403", 403));
        Assert.True(new RekognitionException("Http403", "m", 403).IsTerminal);
    }

    [Theory]
    [InlineData("SomethingNew", 400)]
    [InlineData("SomethingNew", 0)]
    [InlineData("Http404", 404)]
    [InlineData(null, 0)]
    [InlineData("throttlingexception", 400)] // codes are case-sensitive
    public void KindOf_UnknownCode_Otherwise_IsUnknown(string code, int status)
    {
        Assert.Equal(FailureKind.Unknown, RekognitionException.KindOf(code, status));
    }

    [Fact]
    public void Constructor_EmptyCodeBecomesClientError_AndKeepsItsValues()
    {
        var inner = new InvalidOperationException("inner");
        var e = new RekognitionException(null, "msg", 418, "req-9", 2, inner);
        Assert.Equal(ErrorCodes.ClientError, e.ErrorCode);
        Assert.Equal("msg", e.Message);
        Assert.Equal(418, e.StatusCode);
        Assert.Equal("req-9", e.RequestId);
        Assert.Equal(2, e.Attempts);
        Assert.Same(inner, e.InnerException);
        Assert.Equal(ErrorCodes.ClientError, new RekognitionException("", "m").ErrorCode);
    }

    [Fact]
    public void From_AmazonServiceException_KeepsCodeMessageStatusRequestIdAndAttempts()
    {
        var service = new AmazonServiceException("Rate exceeded", null, ErrorType.Sender, "ThrottlingException", "req-123", HttpStatusCode.BadRequest);
        var e = RekognitionException.From(service, 3);
        Assert.Equal("ThrottlingException", e.ErrorCode);
        Assert.Equal("Rate exceeded", e.Message);
        Assert.Equal(400, e.StatusCode);
        Assert.Equal("req-123", e.RequestId);
        Assert.Equal(3, e.Attempts);
        Assert.Equal(FailureKind.LimitsExceeded, e.Kind);
    }

    [Fact]
    public void From_AmazonServiceException_WithoutCode_UsesTheStatus()
    {
        var service = new AmazonServiceException("bad gateway", null, ErrorType.Receiver, null, "req-5", HttpStatusCode.BadGateway);
        var e = RekognitionException.From(service, 2);
        Assert.Equal("Http502", e.ErrorCode);
        Assert.Equal(502, e.StatusCode);
        Assert.Equal(FailureKind.ServiceUnavailable, e.Kind);
        Assert.Equal(2, e.Attempts);
    }

    [Fact]
    public void From_AmazonServiceException_MalformedResponse_IsProtocol()
    {
        var service = new AmazonServiceException("not JSON", null, ErrorType.Unknown, ErrorCodes.MalformedResponse, "r", HttpStatusCode.OK);
        var e = RekognitionException.From(service, 1);
        Assert.Equal(ErrorCodes.MalformedResponse, e.ErrorCode);
        Assert.Equal(FailureKind.Protocol, e.Kind);
    }

    [Fact]
    public void From_AmazonServiceException_WrappingAConnectionFailureWithoutStatus_IsConnectionFailure()
    {
        var service = new AmazonServiceException("wrapped", new HttpRequestException("outer", new SocketException((int)SocketError.ConnectionRefused)));
        var e = RekognitionException.From(service, 3);
        Assert.Equal(ErrorCodes.ConnectionFailure, e.ErrorCode);
        Assert.Equal(FailureKind.Connection, e.Kind);
        Assert.Equal(3, e.Attempts);
        Assert.Contains("3 attempt", e.Message);
    }

    [Fact]
    public void From_HttpRequestException_IsConnectionFailure_NamingTheRootCause()
    {
        var e = RekognitionException.From(new HttpRequestException("Connection refused (127.0.0.1:9)", new SocketException((int)SocketError.ConnectionRefused)), 2);
        Assert.Equal(ErrorCodes.ConnectionFailure, e.ErrorCode);
        Assert.Equal(FailureKind.Connection, e.Kind);
        Assert.Equal(2, e.Attempts);
        Assert.Contains(new SocketException((int)SocketError.ConnectionRefused).Message, e.Message);
    }

    [Fact]
    public void From_IOException_IsConnectionFailure()
    {
        var e = RekognitionException.From(new IOException("Unable to read data from the transport connection"), 1);
        Assert.Equal(ErrorCodes.ConnectionFailure, e.ErrorCode);
        Assert.Contains("Unable to read data", e.Message);
        Assert.Equal(1, e.Attempts);
    }

    [Fact]
    public void From_SocketException_IsConnectionFailure()
    {
        Assert.Equal(ErrorCodes.ConnectionFailure, RekognitionException.From(new SocketException((int)SocketError.HostNotFound), 1).ErrorCode);
    }

    [Fact]
    public void From_TimeoutException_IsRequestTimeout()
    {
        var e = RekognitionException.From(new TimeoutException("slow"), 3);
        Assert.Equal(ErrorCodes.RequestTimeout, e.ErrorCode);
        Assert.Equal(FailureKind.Timeout, e.Kind);
        Assert.Equal(3, e.Attempts);
        Assert.False(e.IsTerminal);
    }

    [Fact]
    public void From_OperationCanceledWithoutCanceledToken_IsRequestTimeout()
    {
        var e = RekognitionException.From(new OperationCanceledException("A task was canceled."), 2);
        Assert.Equal(ErrorCodes.RequestTimeout, e.ErrorCode);
        Assert.Equal(2, e.Attempts);
        Assert.Equal(ErrorCodes.RequestTimeout, RekognitionException.From(new TaskCanceledException(), 1).ErrorCode);
    }

    [Fact]
    public void From_HttpClientStyleTimeout_WithCanceledTokenAndTimeoutInner_IsRequestTimeout()
    {
        // .NET 5+ HttpClient: TaskCanceledException on its own (canceled) token, with a TimeoutException inside.
        using var internalCts = new CancellationTokenSource();
        internalCts.Cancel();
        var e = RekognitionException.From(new TaskCanceledException("timed out", new TimeoutException("100 seconds"), internalCts.Token), 1);
        Assert.Equal(ErrorCodes.RequestTimeout, e.ErrorCode);
    }

    [Fact]
    public void From_OperationCanceledFromAForeignCanceledToken_IsRequestTimeout()
    {
        // The caller's own cancellation is recognised before From (RekognitionApi checks its token);
        // an OperationCanceledException reaching From came from someone else's token, such as the
        // HttpClient timeout of .NET Framework (Windows PowerShell 5.1), which has no TimeoutException inside.
        using var foreign = new CancellationTokenSource();
        foreign.Cancel();
        var e = RekognitionException.From(new TaskCanceledException("A task was canceled.", null, foreign.Token), 1);
        Assert.Equal(ErrorCodes.RequestTimeout, e.ErrorCode);
    }

    [Fact]
    public void From_AmazonClientException_IsClientError()
    {
        var e = RekognitionException.From(new AmazonClientException("Unable to find credentials"), 1);
        Assert.Equal(ErrorCodes.ClientError, e.ErrorCode);
        Assert.Equal("Unable to find credentials", e.Message);
    }

    [Fact]
    public void From_AnythingElse_IsClientError_KeepingTheInnerException()
    {
        var odd = new InvalidOperationException("odd");
        var e = RekognitionException.From(odd, 1);
        Assert.Equal(ErrorCodes.ClientError, e.ErrorCode);
        Assert.Same(odd, e.InnerException);
        Assert.Equal(FailureKind.Unknown, e.Kind);
    }

    [Fact]
    public void From_OurOwnException_IsReturnedAsIs_FillingInMissingAttempts()
    {
        var ours = new RekognitionException("ConflictException", "m", 400);
        var same = RekognitionException.From(ours, 4);
        Assert.Same(ours, same);
        Assert.Equal(4, same.Attempts);

        var counted = new RekognitionException("ConflictException", "m", 400, attempts: 2);
        Assert.Equal(2, RekognitionException.From(counted, 5).Attempts);
    }
}
