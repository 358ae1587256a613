using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FaceTools.Emulator.Tests;

public sealed class SignatureTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    private const string MismatchMessage =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    [Fact]
    public void Signing_key_derivation_matches_the_AWS_documented_example()
    {
        // AWS documentation, "Deriving the signing key": secret wJalr..., 20120215, us-east-1, iam.
        const string expected = "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d";
        var secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        Assert.Equal(expected, TestSigner.Hex(SigV4Verifier.SigningKey(secret, "20120215", "us-east-1", "iam")));
        Assert.Equal(expected, TestSigner.Hex(TestSigner.SigningKey(secret, "20120215", "us-east-1", "iam")));
    }

    [Fact]
    public async Task A_correctly_signed_request_succeeds_with_the_service_headers()
    {
        var response = await Client.CallAsync("ListCollections");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/x-amz-json-1.1", response.ContentType);
        Assert.True(Guid.TryParse(response.RequestId, out _));
        Assert.Null(response.ErrorTypeHeader);
        Assert.NotNull(response.Date);
        Assert.InRange((response.Date.Value - DateTimeOffset.UtcNow).Duration().TotalSeconds, 0, 5);
        Assert.Empty(response.Json!["CollectionIds"]!.AsArray());
    }

    [Fact]
    public async Task Every_request_gets_a_new_request_id()
    {
        var a = await Client.CallAsync("ListCollections");
        var b = await Client.CallAsync("ListCollections");
        var c = await Client.CallAsync("ListCollections", credentials: TestCredentials.Default with { SecretAccessKey = "wrong" });
        Assert.Equal(3, new[] { a.RequestId, b.RequestId, c.RequestId }.Distinct().Count());
        Assert.NotNull(c.Date);
    }

    [Fact]
    public async Task A_wrong_secret_is_InvalidSignatureException()
    {
        var response = await Client.CallAsync("ListCollections", credentials: TestCredentials.Default with { SecretAccessKey = "not-the-secret" });
        EmulatorClient.AssertError(response, "InvalidSignatureException");
        Assert.Equal(MismatchMessage, response.Message);
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_InvalidSignatureException()
    {
        var signed = Encoding.UTF8.GetBytes("{\"CollectionId\":\"a\"}");
        var response = await Client.CallRawAsync("CreateCollection", signed, afterSigning: r =>
        {
            r.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"CollectionId\":\"b\"}"));
            r.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        });
        EmulatorClient.AssertError(response, "InvalidSignatureException");
        Assert.Empty((await Client.StateAsync())["Collections"]!.AsArray());
    }

    [Fact]
    public async Task A_changed_signed_header_is_InvalidSignatureException()
    {
        var response = await Client.CallAsync("ListCollections", afterSigning: r =>
        {
            r.Headers.Remove("X-Amz-Target");
            r.Headers.Add("X-Amz-Target", "RekognitionService.ListUsers");
        });
        EmulatorClient.AssertError(response, "InvalidSignatureException");
    }

    [Fact]
    public async Task X_amz_content_sha256_is_honoured_and_must_match_the_body()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.CallAsync("ListCollections", addContentSha256: true)).Status);

        var forged = await Client.CallAsync("ListCollections", addContentSha256: true, afterSigning: r =>
        {
            r.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"MaxResults\":1}"));
            r.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        });
        EmulatorClient.AssertError(forged, "InvalidSignatureException");
    }

    [Fact]
    public async Task An_unknown_access_key_is_UnrecognizedClientException()
    {
        var response = await Client.CallAsync("ListCollections", credentials: new TestCredentials("AKIAUNKNOWN000000000", "whatever"));
        EmulatorClient.AssertError(response, "UnrecognizedClientException");
        Assert.Equal("The security token included in the request is invalid.", response.Message);
    }

    [Fact]
    public async Task No_authorization_is_MissingAuthenticationTokenException()
    {
        var response = await Client.CallRawAsync("ListCollections", "{}"u8.ToArray(), sign: false);
        EmulatorClient.AssertError(response, "MissingAuthenticationTokenException");
        Assert.Equal("Missing Authentication Token", response.Message);
    }

    [Fact]
    public async Task A_signature_that_leaves_out_the_host_is_IncompleteSignatureException()
    {
        var response = await Client.CallAsync("ListCollections", afterSigning: r =>
        {
            var signed = string.Join(",", r.Headers.GetValues("Authorization"));
            r.Headers.Remove("Authorization");
            r.Headers.TryAddWithoutValidation("Authorization", signed.Replace("host;", "", StringComparison.Ordinal));
        });
        EmulatorClient.AssertError(response, "IncompleteSignatureException");
        Assert.Contains("'Host' or ':authority' must be a 'SignedHeader'", response.Message);
    }

    [Fact]
    public async Task A_malformed_authorization_header_is_IncompleteSignatureException()
    {
        var response = await Client.CallAsync("ListCollections", afterSigning: r =>
        {
            r.Headers.Remove("Authorization");
            r.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAFACETOOLSEMULATOR/20250101/us-east-1/rekognition/aws4_request");
        });
        EmulatorClient.AssertError(response, "IncompleteSignatureException");
    }

    [Fact]
    public async Task The_service_in_the_scope_must_be_rekognition_but_any_region_is_accepted()
    {
        EmulatorClient.AssertError(await Client.CallAsync("ListCollections", service: "s3"), "InvalidSignatureException");

        var created = await Client.CallAsync("CreateCollection", Body(("CollectionId", "eu")), region: "eu-west-1");
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal("aws:rekognition:eu-west-1:123456789012:collection/eu", created.Json!["CollectionArn"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_session_token_must_match_the_configured_one()
    {
        var token = EmulatorFixture.TokenCredentials;
        Assert.Equal(HttpStatusCode.OK, (await Client.CallAsync("ListCollections", credentials: token)).Status);

        var wrong = await Client.CallAsync("ListCollections", credentials: token with { SessionToken = "other-token" });
        EmulatorClient.AssertError(wrong, "UnrecognizedClientException");

        var missing = await Client.CallAsync("ListCollections", credentials: token with { SessionToken = null });
        EmulatorClient.AssertError(missing, "UnrecognizedClientException");

        var unexpected = await Client.CallAsync("ListCollections", credentials: TestCredentials.Default with { SessionToken = "some-token" });
        EmulatorClient.AssertError(unexpected, "UnrecognizedClientException");
    }

    [Fact]
    public async Task A_request_signed_20_minutes_behind_the_emulator_is_Signature_expired_and_the_Date_header_tells_the_right_time()
    {
        await Client.ConfigAsync(new JsonObject { ["ClockSkewSeconds"] = 1200 });
        var response = await Client.CallAsync("ListCollections");
        EmulatorClient.AssertError(response, "InvalidSignatureException");

        var m = Regex.Match(response.Message!, @"^Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) - 5 min\.\)$");
        Assert.True(m.Success, response.Message);
        DateTime Parse(string s) => DateTime.ParseExact(s, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var now = Parse(m.Groups[3].Value);
        Assert.Equal(now.AddMinutes(-5), Parse(m.Groups[2].Value));
        Assert.InRange((now - DateTime.UtcNow).TotalSeconds, 1195, 1205);
        Assert.InRange((response.Date!.Value.UtcDateTime - now).Duration().TotalSeconds, 0, 2);

        // An SDK corrects its clock from the Date header and signs again: accepted.
        var corrected = await Client.CallAsync("ListCollections", signTime: response.Date.Value.UtcDateTime);
        Assert.Equal(HttpStatusCode.OK, corrected.Status);
    }

    [Fact]
    public async Task A_request_signed_20_minutes_ahead_of_the_emulator_is_not_yet_current()
    {
        await Client.ConfigAsync(new JsonObject { ["ClockSkewSeconds"] = -1200 });
        var response = await Client.CallAsync("ListCollections");
        EmulatorClient.AssertError(response, "InvalidSignatureException");
        Assert.Matches(@"^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$", response.Message);
    }

    [Fact]
    public async Task Clock_differences_within_five_minutes_are_accepted_and_skew_can_be_set_back()
    {
        await Client.ConfigAsync(new JsonObject { ["ClockSkewSeconds"] = 240 });
        Assert.Equal(HttpStatusCode.OK, (await Client.CallAsync("ListCollections")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Client.CallAsync("ListCollections", signTime: DateTime.UtcNow.AddSeconds(480))).Status);

        await Client.ConfigAsync(new JsonObject { ["ClockSkewSeconds"] = 0 });
        EmulatorClient.AssertError(await Client.CallAsync("ListCollections", signTime: DateTime.UtcNow.AddMinutes(-6)), "InvalidSignatureException");
    }

    [Fact]
    public async Task No_answer_or_log_ever_contains_a_secret_signature_or_session_token()
    {
        var token = EmulatorFixture.TokenCredentials;
        var answers = new List<string>
        {
            (await Client.CallAsync("ListCollections", credentials: TestCredentials.Default with { SecretAccessKey = "SuperSecretValue123" })).Body,
            (await Client.CallAsync("ListCollections", credentials: token with { SessionToken = "WrongTokenValue987" })).Body,
            (await Client.CallAsync("ListCollections", credentials: token)).Body,
        };
        string signature = null;
        var captured = await Client.CallAsync("ListCollections", afterSigning: r =>
            signature = Regex.Match(r.Headers.GetValues("Authorization").Single(), "Signature=([0-9a-f]+)").Groups[1].Value);
        answers.Add(captured.Body);
        answers.Add((await Client.ControlAsync(HttpMethod.Get, "log")).ToJsonString());

        foreach (var text in answers)
        {
            Assert.DoesNotContain("SuperSecretValue123", text);
            Assert.DoesNotContain("WrongTokenValue987", text);
            Assert.DoesNotContain(token.SessionToken, text);
            Assert.DoesNotContain(token.SecretAccessKey, text);
            Assert.DoesNotContain(TestCredentials.Default.SecretAccessKey, text);
            Assert.DoesNotContain(signature!, text);
        }
    }

    [Fact]
    public async Task Unknown_targets_and_malformed_json_are_answered_like_the_service()
    {
        EmulatorClient.AssertError(await Client.CallAsync("DetectEverything"), "UnknownOperationException");
        EmulatorClient.AssertError(await Client.CallAsync(null), "UnknownOperationException");
        EmulatorClient.AssertError(await Client.CallRawAsync("ListCollections", "{\"MaxResults\":"u8.ToArray()), "SerializationException");
        EmulatorClient.AssertError(await Client.CallRawAsync("ListCollections", "[1,2]"u8.ToArray()), "SerializationException");
        EmulatorClient.AssertError(await Client.CallAsync("ListUsers", Body(("CollectionId", 12))), "SerializationException");
        // The control routes are not operations.
        EmulatorClient.AssertError(await Client.CallAsync("_emulator/reset"), "UnknownOperationException");
    }
}
