using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FaceTools.Engine.Protocol;

namespace FaceTools.Emulator;

/// <summary>An error the service answers with: HTTP status, error code (<c>__type</c>) and message.</summary>
public sealed class ApiException(int statusCode, string code, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
    public string Code { get; } = code;

    public static ApiException InvalidParameter(string message) => new(400, "InvalidParameterException", message);
    public static ApiException ResourceNotFound(string message) => new(400, "ResourceNotFoundException", message);
    public static ApiException Serialization(string message) => new(400, "SerializationException", message);
}

/// <summary>What an operation answers before faults touch it: status, error code (null on success) and JSON body.</summary>
public sealed record ApiResult(int StatusCode, string ErrorCode, string Body)
{
    public static ApiResult Ok(JsonNode body) => new(200, null, body.ToJsonString());

    public static ApiResult Error(int status, string code, string message) =>
        new(status, code, new JsonObject { ["__type"] = code, ["Message"] = message }.ToJsonString());

    public static ApiResult Error(ApiException e) => Error(e.StatusCode, e.Code, e.Message);
}

/// <summary>
/// Typed access to a JSON 1.1 request body. Wrong JSON types are SerializationException (as the service's
/// deserializer answers); values that break a field rule are InvalidParameterException.
/// </summary>
public sealed class RequestReader
{
    private readonly JsonElement _root;

    public RequestReader(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw ApiException.Serialization($"The request body must be a JSON object, not {root.ValueKind}.");
        _root = root;
    }

    public JsonElement Root => _root;

    /// <summary>Parses a body; an empty body counts as <c>{}</c>.</summary>
    public static RequestReader Parse(byte[] body)
    {
        if (body.Length == 0 || body.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            return new RequestReader(JsonDocument.Parse("{}").RootElement);
        try
        {
            using var doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            return new RequestReader(doc.RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw ApiException.Serialization($"The request body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>The property, or null when absent or JSON null (the service treats both as "not given").</summary>
    public JsonElement? Element(string name) =>
        _root.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null ? e : null;

    public string String(string name)
    {
        var e = Element(name);
        if (e == null) return null;
        if (e.Value.ValueKind != JsonValueKind.String)
            throw ApiException.Serialization($"Expected a string for '{name}' but found {e.Value.ValueKind}.");
        return e.Value.GetString();
    }

    public string Required(FieldRule rule) => Validate(rule, String(rule.Name));

    public string Optional(FieldRule rule)
    {
        var value = String(rule.Name);
        return value == null ? null : Validate(rule, value);
    }

    public static string Validate(FieldRule rule, string value)
    {
        var why = rule.Explain(value);
        if (why != null) throw ApiException.InvalidParameter(why);
        return value;
    }

    /// <summary>A list of face IDs: each checked against the FaceId rule, the count against min..max; duplicates collapse to one.</summary>
    public List<string> FaceIdList(string name, int min, int max, bool required)
    {
        var e = Element(name);
        if (e == null)
        {
            if (required) throw ApiException.InvalidParameter($"{name} is required: give {min} to {max} face IDs.");
            return null;
        }
        if (e.Value.ValueKind != JsonValueKind.Array)
            throw ApiException.Serialization($"Expected a list for '{name}' but found {e.Value.ValueKind}.");
        var count = e.Value.GetArrayLength();
        if (count < min || count > max)
            throw ApiException.InvalidParameter($"{name} has {count} face IDs; it must have {min} to {max}.");
        var ids = new List<string>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in e.Value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw ApiException.Serialization($"Expected strings in '{name}' but found {item.ValueKind}.");
            var id = Validate(FieldRules.FaceId, item.GetString());
            // The model does not say duplicates are an error; the emulator treats a repeated ID as one.
            if (seen.Add(id)) ids.Add(id);
        }
        return ids;
    }

    public int? Int(string name, int min, int max)
    {
        var e = Element(name);
        if (e == null) return null;
        if (e.Value.ValueKind != JsonValueKind.Number || !e.Value.TryGetInt64(out var n))
            throw ApiException.Serialization($"Expected an integer for '{name}'.");
        if (n < min || n > max)
            throw ApiException.InvalidParameter($"{name} is {n}; it must be from {min} to {max}.");
        return (int)n;
    }

    public double? Double(string name, double min, double max)
    {
        var e = Element(name);
        if (e == null) return null;
        if (e.Value.ValueKind != JsonValueKind.Number)
            throw ApiException.Serialization($"Expected a number for '{name}'.");
        var d = e.Value.GetDouble();
        if (double.IsNaN(d) || d < min || d > max)
            throw ApiException.InvalidParameter($"{name} is {d}; it must be from {min} to {max}.");
        return d;
    }

    public string Enum(string name, params string[] allowed)
    {
        var value = String(name);
        if (value == null) return null;
        if (!allowed.Contains(value, StringComparer.Ordinal))
            throw ApiException.InvalidParameter($"{name} '{value}' is not valid; it must be one of {string.Join(", ", allowed)}.");
        return value;
    }

    public const int MaxImageBytes = 5 * 1024 * 1024;

    /// <summary>
    /// <c>Image.Bytes</c> (base64 in JSON 1.1): at most 5 MB decoded (ImageTooLargeException) and a PNG or JPEG
    /// (InvalidImageFormatException). S3 objects cannot be read by the emulator.
    /// </summary>
    public byte[] ImageBytes()
    {
        var image = Element("Image") ?? throw ApiException.InvalidParameter("Image is required: give Image.Bytes.");
        if (image.ValueKind != JsonValueKind.Object)
            throw ApiException.Serialization($"Expected a structure for 'Image' but found {image.ValueKind}.");
        var hasBytes = image.TryGetProperty("Bytes", out var bytes) && bytes.ValueKind != JsonValueKind.Null;
        var hasS3 = image.TryGetProperty("S3Object", out var s3) && s3.ValueKind != JsonValueKind.Null;
        if (hasBytes && hasS3)
            throw ApiException.InvalidParameter("Image must give either Bytes or S3Object, not both.");
        if (hasS3)
            throw new ApiException(400, "InvalidS3ObjectException",
                "Unable to get object metadata from S3. Check object key, region and/or access permissions.");
        if (!hasBytes) throw ApiException.InvalidParameter("Image must give Bytes or S3Object.");
        if (bytes.ValueKind != JsonValueKind.String)
            throw ApiException.Serialization($"Expected a base64 string for 'Image.Bytes' but found {bytes.ValueKind}.");
        byte[] data;
        try { data = Convert.FromBase64String(bytes.GetString()!); }
        catch (FormatException) { throw ApiException.Serialization("Image.Bytes is not valid base64."); }
        if (data.Length == 0) throw ApiException.InvalidParameter("Image.Bytes must not be empty.");
        if (data.Length > MaxImageBytes)
            throw new ApiException(400, "ImageTooLargeException",
                $"Image size is too large: {data.Length} bytes; the limit is {MaxImageBytes} bytes.");
        if (!IsPng(data) && !IsJpeg(data))
            throw new ApiException(400, "InvalidImageFormatException", "Request has invalid image format");
        return data;
    }

    private static bool IsPng(byte[] d) =>
        d.Length >= 8 && d[0] == 0x89 && d[1] == 0x50 && d[2] == 0x4E && d[3] == 0x47 &&
        d[4] == 0x0D && d[5] == 0x0A && d[6] == 0x1A && d[7] == 0x0A;

    private static bool IsJpeg(byte[] d) => d.Length >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF;

    /// <summary>
    /// A hash of the request without its ClientRequestToken (object keys sorted), so the idempotency store can tell
    /// "same parameters" from "other parameters".
    /// </summary>
    public string ParameterHash()
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            WriteCanonical(writer, _root, skip: "ClientRequestToken");
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static void WriteCanonical(Utf8JsonWriter w, JsonElement e, string skip = null)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var p in e.EnumerateObject().Where(p => p.Name != skip && p.Value.ValueKind != JsonValueKind.Null)
                             .OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    w.WritePropertyName(p.Name);
                    WriteCanonical(w, p.Value);
                }
                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in e.EnumerateArray()) WriteCanonical(w, item);
                w.WriteEndArray();
                break;
            default:
                e.WriteTo(w);
                break;
        }
    }
}

/// <summary>Deterministic IDs and numbers derived from SHA-256, so tests can predict what the emulator creates.</summary>
public static class DeterministicIds
{
    /// <summary>The first 16 bytes of SHA-256(UTF-8 text) as a lower-case GUID string (8-4-4-4-12 hex digits).</summary>
    public static string GuidFromText(string text) => GuidFromHash(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The first 16 bytes of a hash formatted 8-4-4-4-12, lower case, in byte order (no GUID byte swapping).</summary>
    public static string GuidFromHash(ReadOnlySpan<byte> hash)
    {
        var hex = Convert.ToHexStringLower(hash[..16]);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    /// <summary>A number in [min, max) from the first 4 bytes of SHA-256(text), rounded down to 3 decimals.</summary>
    public static double Fraction(string text, double min, double max)
    {
        var h = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var u = BitConverter.ToUInt32(h, 0) / 4294967296.0;
        return Math.Floor((min + (max - min) * u) * 1000) / 1000;
    }
}
