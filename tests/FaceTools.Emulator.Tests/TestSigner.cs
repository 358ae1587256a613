using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FaceTools.Emulator.Tests;

public sealed record TestCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken = null)
{
    public static readonly TestCredentials Default = new("AKIAFACETOOLSEMULATOR", "FaceToolsEmulatorSecretKey0000000000000000");
}

/// <summary>
/// A small SigV4 signer written from the AWS specification, independent of the emulator's verifier, so the two check
/// each other. Signs content-type, host, x-amz-date, x-amz-target (and x-amz-security-token / x-amz-content-sha256 when used).
/// </summary>
public static class TestSigner
{
    public static void Sign(HttpRequestMessage request, byte[] body, TestCredentials credentials, DateTime utcTime,
        string region = "us-east-1", string service = "rekognition", bool addContentSha256 = false)
    {
        var amzDate = utcTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var payloadHash = Hex(SHA256.HashData(body));

        request.Headers.Host = request.RequestUri!.Authority;
        request.Headers.Remove("X-Amz-Date");
        request.Headers.Add("X-Amz-Date", amzDate);
        if (credentials.SessionToken != null) request.Headers.Add("X-Amz-Security-Token", credentials.SessionToken);
        if (addContentSha256) request.Headers.Add("x-amz-content-sha256", payloadHash);

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = request.Content?.Headers.ContentType?.ToString() ?? "",
            ["host"] = request.RequestUri.Authority,
            ["x-amz-date"] = amzDate,
        };
        if (request.Headers.TryGetValues("X-Amz-Target", out var target)) headers["x-amz-target"] = string.Join(",", target);
        if (credentials.SessionToken != null) headers["x-amz-security-token"] = credentials.SessionToken;
        if (addContentSha256) headers["x-amz-content-sha256"] = payloadHash;

        var signedHeaders = string.Join(";", headers.Keys);
        var canonical = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(request.RequestUri.AbsolutePath).Append('\n')
            .Append('\n') // no query string
            .Append(string.Concat(headers.Select(h => $"{h.Key}:{h.Value.Trim()}\n"))).Append('\n')
            .Append(signedHeaders).Append('\n')
            .Append(payloadHash)
            .ToString();
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var signature = Hex(HMACSHA256.HashData(SigningKey(credentials.SecretAccessKey, date, region, service), Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        byte[] Mac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
        return Mac(Mac(Mac(Mac(Encoding.UTF8.GetBytes("AWS4" + secret), date), region), service), "aws4_request");
    }

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
