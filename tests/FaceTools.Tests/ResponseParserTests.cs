using System.Net;
using System.Text;
using System.Text.Json;
using FaceTools.Engine.Protocol;

namespace FaceTools.Tests;

public class ResponseParserTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void ParseError_PlainType()
    {
        var error = ResponseParser.ParseError(Utf8("{\"__type\":\"ResourceNotFoundException\",\"Message\":\"The user does not exist.\"}"), 400, "application/x-amz-json-1.1", null);
        Assert.Equal("ResourceNotFoundException", error.Code);
        Assert.Equal("The user does not exist.", error.Message);
    }

    [Fact]
    public void ParseError_PrefixedType()
    {
        var error = ResponseParser.ParseError(Utf8("{\"__type\":\"com.amazonaws.rekognition#ThrottlingException\",\"Message\":\"Slow down\"}"), 400, null, null);
        Assert.Equal("ThrottlingException", error.Code);
        Assert.Equal("Slow down", error.Message);
    }

    [Fact]
    public void ParseError_PrefixedTypeWithUrlSuffix()
    {
        var error = ResponseParser.ParseError(
            Utf8("{\"__type\":\"com.amazonaws.rekognition#InvalidParameterException:http://internal.amazon.com/coral/com.amazonaws.rekognition/\",\"Message\":\"bad\"}"),
            400, null, null);
        Assert.Equal("InvalidParameterException", error.Code);
    }

    [Fact]
    public void ParseError_LowerCaseMessage()
    {
        var error = ResponseParser.ParseError(Utf8("{\"__type\":\"AccessDeniedException\",\"message\":\"User is not authorized\"}"), 400, null, null);
        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Equal("User is not authorized", error.Message);
    }

    [Fact]
    public void ParseError_CapitalMessageWinsOverLowerCase()
    {
        var error = ResponseParser.ParseError(Utf8("{\"__type\":\"X\",\"message\":\"lower\",\"Message\":\"upper\"}"), 400, null, null);
        Assert.Equal("upper", error.Message);
    }

    [Fact]
    public void ParseError_MissingType_UsesErrorTypeHeader()
    {
        var error = ResponseParser.ParseError(Utf8("{\"message\":\"Signature expired\"}"), 400, "application/json",
            "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/");
        Assert.Equal("InvalidSignatureException", error.Code);
        Assert.Equal("Signature expired", error.Message);
    }

    [Fact]
    public void ParseError_EmptyBody_UsesErrorTypeHeader_AndSaysThereIsNoMessage()
    {
        var error = ResponseParser.ParseError(Array.Empty<byte>(), 400, null, "UnrecognizedClientException");
        Assert.Equal("UnrecognizedClientException", error.Code);
        Assert.Contains("UnrecognizedClientException", error.Message);
        Assert.Contains("400", error.Message);
    }

    [Fact]
    public void ParseError_TypeInBodyWinsOverHeader()
    {
        var error = ResponseParser.ParseError(Utf8("{\"__type\":\"ConflictException\",\"Message\":\"m\"}"), 400, null, "SomethingElse");
        Assert.Equal("ConflictException", error.Code);
    }

    [Fact]
    public void ParseError_HtmlPage502_WithoutTypeOrHeader()
    {
        byte[] body = Utf8("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>");
        var error = ResponseParser.ParseError(body, 502, "text/html", null);
        Assert.Equal("Http502", error.Code);
        Assert.Contains("not a Rekognition", error.Message);
        Assert.Contains("502", error.Message);
        Assert.Contains("HTML", error.Message);
        Assert.Contains("text/html", error.Message);
    }

    [Fact]
    public void ParseError_HtmlWithLeadingWhitespaceAndUpperCaseTag_IsStillRecognisedAsHtml()
    {
        var error = ResponseParser.ParseError(Utf8("\r\n  <HTML><body>gateway timeout</body></HTML>"), 504, "text/html", null);
        Assert.Equal("Http504", error.Code);
        Assert.Contains("HTML", error.Message);
    }

    [Fact]
    public void ParseError_EmptyBodyWithoutHeader()
    {
        var error = ResponseParser.ParseError(Array.Empty<byte>(), 503, null, null);
        Assert.Equal("Http503", error.Code);
        Assert.Contains("not a Rekognition", error.Message);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void ParseError_NullBodyWithoutHeader()
    {
        var error = ResponseParser.ParseError(null, 400, null, null);
        Assert.Equal("Http400", error.Code);
        Assert.Contains("not a Rekognition", error.Message);
    }

    [Fact]
    public void ParseError_JsonWithoutAnyCode_KeepsItsMessageAndSaysTheCodeIsMissing()
    {
        var error = ResponseParser.ParseError(Utf8("{\"Message\":\"from a proxy\"}"), 403, "application/json", null);
        Assert.Equal("Http403", error.Code);
        Assert.Contains("without an error code", error.Message);
        Assert.Contains("from a proxy", error.Message);
    }

    [Fact]
    public void ParseError_TruncatedJson_SaysSo()
    {
        var error = ResponseParser.ParseError(Utf8("{\"__type\":\"Throttl"), 400, "application/x-amz-json-1.1", null);
        Assert.Equal("Http400", error.Code);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void ParseError_NonStringTypeIsIgnored()
    {
        var error = ResponseParser.ParseError(Utf8("{\"__type\":42,\"Message\":7}"), 500, null, "InternalServerError");
        Assert.Equal("InternalServerError", error.Code);
        Assert.NotNull(error.Message);
    }

    [Fact]
    public void ParseError_AlternativeCodeAndMessageNames()
    {
        var error = ResponseParser.ParseError(Utf8("{\"code\":\"ValidationException\",\"errorMessage\":\"bad input\"}"), 400, null, null);
        Assert.Equal("ValidationException", error.Code);
        Assert.Equal("bad input", error.Message);
    }

    [Fact]
    public void ParseError_BlankTypeFallsBackToTheHeader()
    {
        // A blank __type carries no code; the header's code should be used as when __type is absent.
        var error = ResponseParser.ParseError(Utf8("{\"__type\":\" \",\"Message\":\"m\"}"), 400, null, "ThrottlingException");
        Assert.Equal("ThrottlingException", error.Code);
    }

    [Theory]
    [InlineData("com.amazonaws.rekognition#ThrottlingException", "ThrottlingException")]
    [InlineData("ThrottlingException", "ThrottlingException")]
    [InlineData("ThrottlingException:http://internal.amazon.com/x", "ThrottlingException")]
    [InlineData("a#b#ResourceNotFoundException", "ResourceNotFoundException")]
    [InlineData("  ServiceUnavailableException  ", "ServiceUnavailableException")]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void NormalizeCode(string raw, string expected)
    {
        Assert.Equal(expected, ResponseParser.NormalizeCode(raw));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"a\":1}")]
    [InlineData("  {\"Users\":[]}  ")]
    public void TryParseObject_AcceptsObjects(string text)
    {
        Assert.True(ResponseParser.TryParseObject(Utf8(text), out JsonDocument document));
        using (document) Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
    }

    [Fact]
    public void TryParseObject_ReadsTheBodyInPlace_UntilDisposed()
    {
        byte[] body = Utf8("{\"UserStatus\":\"ACTIVE\"}");
        Assert.True(ResponseParser.TryParseObject(body, out JsonDocument document));
        JsonElement root = document.RootElement;
        GC.Collect();
        Assert.Equal("ACTIVE", root.GetProperty("UserStatus").GetString());

        // In place: the document reads the caller's array, with no copy of its own.
        body[16] = (byte)'N';
        Assert.Equal("ANTIVE", root.GetProperty("UserStatus").GetString());

        document.Dispose();
        Assert.Throws<ObjectDisposedException>(() => root.GetProperty("UserStatus"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"Users\":[{\"UserId\":\"a\"}")]
    [InlineData("{\"Users\":")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("[{\"a\":1}]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("<html></html>")]
    [InlineData("{} {}")]
    public void TryParseObject_RejectsNonObjects(string text)
    {
        Assert.False(ResponseParser.TryParseObject(Utf8(text), out _));
    }

    [Fact]
    public void TryParseObject_RejectsNull()
    {
        Assert.False(ResponseParser.TryParseObject(null, out JsonDocument document));
        Assert.Null(document);
    }

    [Fact]
    public void DescribeUnreadableBody_ForASuccessfulAnswer()
    {
        string text = ResponseParser.DescribeUnreadableBody("a successful", HttpStatusCode.OK, "application/x-amz-json-1.1", Utf8("{\"Faces\":["));
        Assert.Contains("a successful response (HTTP 200)", text);
        Assert.Contains("not a Rekognition JSON answer", text);
        Assert.Contains("10 bytes of application/x-amz-json-1.1", text);
        Assert.Contains("truncated", text);
    }

    [Fact]
    public void DescribeUnreadableBody_UnknownContentType_AndBodyNotEchoed()
    {
        byte[] body = Utf8(new string('z', 5000));
        string text = ResponseParser.DescribeUnreadableBody("an error", HttpStatusCode.BadGateway, null, body);
        Assert.Contains("unknown content", text);
        Assert.Contains("5000 bytes", text);
        Assert.DoesNotContain("zzzz", text);
    }
}
