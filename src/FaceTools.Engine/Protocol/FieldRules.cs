using System.Text.RegularExpressions;

namespace FaceTools.Engine.Protocol
{
    /// <summary>
    /// The service's field rules (from the Rekognition API model), in one place for the
    /// module's parameter validation and the emulator's request validation.
    /// </summary>
    public static class FieldRules
    {
        public const int MaxFacesPerAssociationRequest = 100;
        public const int MaxFaceIdsPerDeleteRequest = 4096;
        public const int MaxFacesPerUser = 100;

        public static readonly FieldRule CollectionId = new FieldRule(
            "CollectionId", 1, 255, @"[a-zA-Z0-9_.\-]+",
            "1 to 255 characters from a-z, A-Z, 0-9, '_', '.' and '-'");

        public static readonly FieldRule UserId = new FieldRule(
            "UserId", 1, 128, @"[a-zA-Z0-9_.\-:]+",
            "1 to 128 characters from a-z, A-Z, 0-9, '_', '.', '-' and ':'");

        public static readonly FieldRule FaceId = new FieldRule(
            "FaceId", 36, 36, @"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "a face ID: 32 lower-case hexadecimal digits grouped 8-4-4-4-12 with hyphens, without braces");

        public static readonly FieldRule ClientRequestToken = new FieldRule(
            "ClientRequestToken", 1, 64, @"[a-zA-Z0-9\-_]+",
            "1 to 64 characters from a-z, A-Z, 0-9, '-' and '_'");

        public static readonly FieldRule ExternalImageId = new FieldRule(
            "ExternalImageId", 1, 255, @"[a-zA-Z0-9_.\-:]+",
            "1 to 255 characters from a-z, A-Z, 0-9, '_', '.', '-' and ':'");

        public static readonly FieldRule NextToken = new FieldRule(
            "NextToken", 0, 255, @"[\s\S]*", "at most 255 characters");

        // Collections, IndexFaces and the user searches.

        /// <summary>The largest image the service takes as bytes in the request (5 MB); S3 objects may be larger.</summary>
        public const int MaxImageBytes = 5242880;

        /// <summary>IndexFaces MaxFaces: the service indexes at most 100 faces of one image.</summary>
        public const int MaxFacesToIndex = 100;

        /// <summary>SearchUsers and SearchUsersByImage MaxUsers (MaxUserResults).</summary>
        public const int MaxUserResults = 500;

        /// <summary>ListCollections MaxResults (PageSize).</summary>
        public const int MaxCollectionsPerPage = 4096;

        /// <summary>CreateCollection Tags: at most 200 per collection.</summary>
        public const int MaxTags = 200;

        /// <summary>IndexFaces and SearchUsersByImage QualityFilter values.</summary>
        public static readonly System.Collections.Generic.IReadOnlyList<string> QualityFilters = new[] { "NONE", "AUTO", "LOW", "MEDIUM", "HIGH" };

        public static readonly FieldRule TagKey = new FieldRule(
            "TagKey", 1, 128, @"(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*",
            "1 to 128 letters, digits, spaces and '_', '.', ':', '/', '=', '+', '-', '@', not starting with 'aws:'");

        public static readonly FieldRule TagValue = new FieldRule(
            "TagValue", 0, 256, @"[\p{L}\p{Z}\p{N}_.:/=+\-@]*",
            "at most 256 letters, digits, spaces and '_', '.', ':', '/', '=', '+', '-', '@'");

        public static readonly FieldRule S3Bucket = new FieldRule(
            "S3Bucket", 3, 255, @"[0-9A-Za-z\.\-_]*",
            "3 to 255 characters from a-z, A-Z, 0-9, '.', '-' and '_'");

        public static readonly FieldRule S3ObjectName = new FieldRule(
            "S3ObjectName", 1, 1024, @"[\s\S]*", "1 to 1024 characters");

        /// <summary>"PNG" or "JPEG" when the first bytes are that format's signature, else null: the only formats the service reads.</summary>
        public static string ImageFormatOf(byte[] start, int count)
        {
            if (start == null) return null;
            if (count > start.Length) count = start.Length;
            if (count >= 8 && start[0] == 0x89 && start[1] == 0x50 && start[2] == 0x4E && start[3] == 0x47 &&
                start[4] == 0x0D && start[5] == 0x0A && start[6] == 0x1A && start[7] == 0x0A)
                return "PNG";
            if (count >= 3 && start[0] == 0xFF && start[1] == 0xD8 && start[2] == 0xFF) return "JPEG";
            return null;
        }
    }

    /// <summary>One string field's length and pattern rule, with the rule in words for error messages.</summary>
    public sealed class FieldRule
    {
        private readonly Regex _pattern;

        public FieldRule(string name, int minLength, int maxLength, string pattern, string description)
        {
            Name = name;
            MinLength = minLength;
            MaxLength = maxLength;
            Pattern = pattern;
            Description = description;
            // Anchored with \z, not $, so a trailing newline never passes.
            _pattern = new Regex(@"\A(?:" + pattern + @")\z", RegexOptions.CultureInvariant);
        }

        public string Name { get; }
        public int MinLength { get; }
        public int MaxLength { get; }
        public string Pattern { get; }
        public string Description { get; }

        public bool IsValid(string value) =>
            value != null && value.Length >= MinLength && value.Length <= MaxLength && _pattern.IsMatch(value);

        /// <summary>Null when valid; otherwise why not, in words, without echoing very long values.</summary>
        public string Explain(string value)
        {
            if (value == null) return $"{Name} must not be null; it must be {Description}.";
            if (IsValid(value)) return null;
            if (value.Length == 0) return $"{Name} must not be empty; it must be {Description}.";
            if (value.Length > MaxLength) return $"{Name} is {value.Length} characters long; it must be {Description}.";
            return $"{Name} '{Abbreviate(value)}' is not valid; it must be {Description}.";
        }

        private static string Abbreviate(string value) =>
            value.Length <= 80 ? value : value.Substring(0, 77) + "...";
    }
}
