using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace FaceTools.Emulator;

/// <summary>Who signed a request (never the secret), or why it was refused.</summary>
public sealed record SignatureCheck(string AccessKeyId, string Region, ApiException Error)
{
    public bool Ok => Error == null;
}

/// <summary>
/// Verifies AWS Signature Version 4 (header form) the way the service's front end does: rebuilds the canonical
/// request from the signed headers and the payload hash, derives the signing key from the known secret and compares
/// signatures in constant time. Messages never contain a secret or a signature.
/// </summary>
public sealed class SigV4Verifier
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string ServiceName = "rekognition";
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);
    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    private readonly Dictionary<string, EmulatorCredential> _credentials;

    public SigV4Verifier(IEnumerable<EmulatorCredential> credentials)
    {
        _credentials = new Dictionary<string, EmulatorCredential>(StringComparer.Ordinal);
        foreach (var c in credentials) _credentials[c.AccessKeyId] = c;
    }

    public SignatureCheck Verify(HttpRequest request, byte[] body, DateTimeOffset now)
    {
        string accessKeyId = null;
        try
        {
            var auth = request.Headers.Authorization.ToString();
            if (string.IsNullOrWhiteSpace(auth))
                throw new ApiException(400, "MissingAuthenticationTokenException", "Missing Authentication Token");

            var header = ParseAuthorization(auth);
            if (!header.SignedHeaders.Contains("host", StringComparer.Ordinal))
                throw Incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
            var scope = header.Credential.Split('/');
            if (scope.Length != 5)
                throw Incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.");
            accessKeyId = scope[0];
            string date = scope[1], region = scope[2], service = scope[3], terminator = scope[4];

            if (!_credentials.TryGetValue(accessKeyId, out var credential))
                throw UnrecognizedClient();
            CheckSessionToken(credential, request.Headers["X-Amz-Security-Token"].ToString());

            var amzDate = RequestDate(request);
            CheckClock(amzDate, now);

            if (date != amzDate[..8])
                throw InvalidSignature(
                    $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{date}' != '{amzDate[..8]}', from '{amzDate}'.");
            if (region.Length == 0)
                throw InvalidSignature("Credential should be scoped to a valid region.");
            if (service != ServiceName)
                throw InvalidSignature($"Credential should be scoped to correct service: '{ServiceName}'.");
            if (terminator != "aws4_request")
                throw InvalidSignature("Credential should be scoped with a valid terminator: 'aws4_request'.");

            var canonicalRequest = CanonicalRequest(request, header.SignedHeaders, PayloadHash(request, body));
            var stringToSign = $"{Algorithm}\n{amzDate}\n{date}/{region}/{service}/{terminator}\n{Hex(SHA256.HashData(Utf8(canonicalRequest)))}";
            var key = SigningKey(credential.SecretAccessKey, date, region, service);
            var expected = Hex(HMACSHA256.HashData(key, Utf8(stringToSign)));

            if (!CryptographicOperations.FixedTimeEquals(Utf8(expected), Utf8(header.Signature.ToLowerInvariant())))
                throw InvalidSignature(
                    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");

            return new SignatureCheck(accessKeyId, region, null);
        }
        catch (ApiException e)
        {
            return new SignatureCheck(accessKeyId, null, e);
        }
    }

    /// <summary>The signing key: HMAC chain over date, region, service and "aws4_request".</summary>
    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var kDate = HMACSHA256.HashData(Utf8("AWS4" + secret), Utf8(date));
        var kRegion = HMACSHA256.HashData(kDate, Utf8(region));
        var kService = HMACSHA256.HashData(kRegion, Utf8(service));
        return HMACSHA256.HashData(kService, Utf8("aws4_request"));
    }

    private sealed record AuthorizationHeader(string Credential, string[] SignedHeaders, string Signature);

    private static AuthorizationHeader ParseAuthorization(string auth)
    {
        if (!auth.StartsWith(Algorithm + " ", StringComparison.Ordinal))
            throw Incomplete($"Unsupported Authorization header: only {Algorithm} is accepted.");
        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var piece in auth[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = piece.IndexOf('=');
            if (eq > 0) parts[piece[..eq].Trim()] = piece[(eq + 1)..].Trim();
        }
        foreach (var required in new[] { "Credential", "SignedHeaders", "Signature" })
            if (!parts.TryGetValue(required, out var v) || v.Length == 0)
                throw Incomplete($"Authorization header requires '{required}' parameter.");
        return new AuthorizationHeader(parts["Credential"], parts["SignedHeaders"].Split(';'), parts["Signature"]);
    }

    private static void CheckSessionToken(EmulatorCredential credential, string token)
    {
        if (credential.SessionToken == null)
        {
            // A token sent with long-term keys is as invalid as a wrong one.
            if (token.Length > 0) throw UnrecognizedClient();
            return;
        }
        if (!CryptographicOperations.FixedTimeEquals(Utf8(token), Utf8(credential.SessionToken)))
            throw UnrecognizedClient();
    }

    /// <summary>The request time in ISO-8601 basic format, from X-Amz-Date or else the Date header.</summary>
    private static string RequestDate(HttpRequest request)
    {
        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (amzDate.Length > 0)
        {
            if (!DateTime.TryParseExact(amzDate, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                throw Incomplete($"Date must be in ISO-8601 'basic format'. Got '{amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601");
            return amzDate;
        }
        var date = request.Headers.Date.ToString();
        if (date.Length > 0 && DateTimeOffset.TryParseExact(date, "r", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
            return parsed.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);
        throw Incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }

    /// <summary>More than 5 minutes off the emulator's clock: the service's "Signature expired" answer, whose
    /// "(now - 5 min.)" part SDKs parse to correct their clock.</summary>
    private static void CheckClock(string amzDate, DateTimeOffset now)
    {
        var requestTime = new DateTimeOffset(DateTime.ParseExact(amzDate, AmzDateFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);
        string Fmt(DateTimeOffset t) => t.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);
        if (requestTime < now - AllowedSkew)
            throw InvalidSignature($"Signature expired: {amzDate} is now earlier than {Fmt(now - AllowedSkew)} ({Fmt(now)} - 5 min.)");
        if (requestTime > now + AllowedSkew)
            throw InvalidSignature($"Signature not yet current: {amzDate} is still later than {Fmt(now + AllowedSkew)} ({Fmt(now)} + 5 min.)");
    }

    /// <summary>x-amz-content-sha256 when present (it must then match the body unless it is a non-hex marker), else SHA-256 of the body.</summary>
    private static string PayloadHash(HttpRequest request, byte[] body)
    {
        var actual = Hex(SHA256.HashData(body));
        var declared = request.Headers["x-amz-content-sha256"].ToString();
        if (declared.Length == 0) return actual;
        if (declared.Length == 64 && declared.All(Uri.IsHexDigit) && !string.Equals(declared, actual, StringComparison.OrdinalIgnoreCase))
            throw InvalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.");
        return declared;
    }

    private static string CanonicalRequest(HttpRequest request, string[] signedHeaders, string payloadHash)
    {
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        var q = rawTarget.IndexOf('?');
        var path = q >= 0 ? rawTarget[..q] : rawTarget;
        var query = q >= 0 ? rawTarget[(q + 1)..] : "";
        if (path.Length == 0) path = "/";

        var sb = new StringBuilder();
        sb.Append(request.Method).Append('\n');
        sb.Append(path).Append('\n');
        sb.Append(CanonicalQuery(query)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = request.Headers[name].Select(v => CollapseSpaces((v ?? "").Trim()));
            sb.Append(name.ToLowerInvariant()).Append(':').Append(string.Join(",", values)).Append('\n');
        }
        sb.Append('\n');
        sb.Append(string.Join(";", signedHeaders)).Append('\n');
        sb.Append(payloadHash);
        return sb.ToString();
    }

    private static string CanonicalQuery(string query)
    {
        if (query.Length == 0) return "";
        return string.Join("&", query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=');
                var k = Uri.UnescapeDataString(eq >= 0 ? pair[..eq] : pair);
                var v = eq >= 0 ? Uri.UnescapeDataString(pair[(eq + 1)..]) : "";
                return (K: Uri.EscapeDataString(k), V: Uri.EscapeDataString(v));
            })
            .OrderBy(p => p.K, StringComparer.Ordinal).ThenBy(p => p.V, StringComparer.Ordinal)
            .Select(p => p.K + "=" + p.V));
    }

    private static string CollapseSpaces(string s)
    {
        if (!s.Contains("  ", StringComparison.Ordinal)) return s;
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
            if (c != ' ' || sb.Length == 0 || sb[^1] != ' ') sb.Append(c);
        return sb.ToString();
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
    private static string Hex(byte[] b) => Convert.ToHexStringLower(b);

    private static ApiException Incomplete(string message) => new(400, "IncompleteSignatureException", message);
    private static ApiException InvalidSignature(string message) => new(400, "InvalidSignatureException", message);
    private static ApiException UnrecognizedClient() =>
        new(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
}
