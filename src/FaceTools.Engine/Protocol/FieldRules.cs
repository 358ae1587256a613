using System;
using System.Collections.Generic;
using System.Globalization;
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
        private readonly CharacterPattern _characters;

        public FieldRule(string name, int minLength, int maxLength, string pattern, string description)
        {
            Name = name;
            MinLength = minLength;
            MaxLength = maxLength;
            Pattern = pattern;
            Description = description;
            // Anchored with \z, not $, so a trailing newline never passes.
            _pattern = new Regex(@"\A(?:" + pattern + @")\z", RegexOptions.CultureInvariant);
            _characters = CharacterPattern.TryParse(pattern);
        }

        public string Name { get; }
        public int MinLength { get; }
        public int MaxLength { get; }
        public string Pattern { get; }
        public string Description { get; }

        public bool IsValid(string value) =>
            value != null && value.Length >= MinLength && value.Length <= MaxLength &&
            (_characters != null ? _characters.IsMatch(value) : _pattern.IsMatch(value));

        /// <summary>Whether the rule is checked without the regular expression (see <see cref="CharacterPattern"/>).</summary>
        internal bool IsCheckedWithoutRegex => _characters != null;

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

    /// <summary>
    /// The simple patterns (character classes and literals with fixed counts, the last one possibly
    /// open-ended: "[a-z0-9_.\-]+", "[0-9a-f]{8}-[0-9a-f]{4}") checked character by character. The
    /// rules run for every piped face, and the regular-expression interpreter stood out in profiles of
    /// that path. <see cref="TryParse"/> returns null for anything else, which then goes to the regex.
    /// </summary>
    internal sealed class CharacterPattern
    {
        private sealed class Part
        {
            public bool[] Allowed; // by ASCII code; nothing else is ever allowed
            public int Min;
            public int Max;
        }

        private readonly Part[] _parts;

        private CharacterPattern(Part[] parts)
        {
            _parts = parts;
        }

        public static CharacterPattern TryParse(string pattern)
        {
            var parts = new List<Part>();
            int i = 0;
            while (i < pattern.Length)
            {
                var part = new Part { Allowed = new bool[128] };
                char c = pattern[i];
                if (c == '[')
                {
                    i = ParseClass(pattern, i + 1, part.Allowed);
                    if (i < 0) return null;
                }
                else if (c < 128 && (char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == ':' || c == '/' || c == '=' || c == '@'))
                {
                    part.Allowed[c] = true;
                    i++;
                }
                else
                {
                    return null;
                }

                i = ParseQuantifier(pattern, i, part);
                if (i < 0) return null;
                // Greedy matching is exact only when every part but the last has a fixed count.
                if (parts.Count > 0 && parts[parts.Count - 1].Min != parts[parts.Count - 1].Max) return null;
                parts.Add(part);
            }

            return parts.Count == 0 ? null : new CharacterPattern(parts.ToArray());
        }

        // Reads a class body after '[' into allowed; returns the index after ']', or -1 if unsupported.
        private static int ParseClass(string pattern, int i, bool[] allowed)
        {
            if (i < pattern.Length && pattern[i] == '^') return -1;
            bool any = false;
            while (i < pattern.Length && pattern[i] != ']')
            {
                char first = pattern[i];
                if (first == '\\')
                {
                    // Only escaped punctuation ("\-", "\."): "\s", "\p{L}" and the like are not single characters.
                    if (i + 1 >= pattern.Length || pattern[i + 1] >= 128 || char.IsLetterOrDigit(pattern[i + 1])) return -1;
                    first = pattern[i + 1];
                    i += 2;
                }
                else if (first >= 128 || first == '[')
                {
                    return -1;
                }
                else
                {
                    i++;
                }

                char last = first;
                if (i + 1 < pattern.Length && pattern[i] == '-' && pattern[i + 1] != ']')
                {
                    last = pattern[i + 1];
                    if (last == '\\' || last >= 128 || last < first) return -1;
                    i += 2;
                }

                for (char x = first; x <= last; x++) allowed[x] = true;
                any = true;
            }

            return i < pattern.Length && any ? i + 1 : -1;
        }

        // Reads "+", "*", "{n}" or nothing; returns the index after it, or -1 if unsupported.
        private static int ParseQuantifier(string pattern, int i, Part part)
        {
            part.Min = part.Max = 1;
            if (i >= pattern.Length) return i;
            switch (pattern[i])
            {
                case '+':
                    part.Max = int.MaxValue;
                    return i + 1;
                case '*':
                    part.Min = 0;
                    part.Max = int.MaxValue;
                    return i + 1;
                case '{':
                    int close = pattern.IndexOf('}', i);
                    if (close < 0 || !int.TryParse(pattern.Substring(i + 1, close - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int count)) return -1;
                    part.Min = part.Max = count;
                    return close + 1;
                case '?':
                case '|':
                case '(':
                case ')':
                    return -1;
                default:
                    return i;
            }
        }

        public bool IsMatch(string value)
        {
            int position = 0;
            foreach (Part part in _parts)
            {
                int start = position;
                int limit = part.Max == int.MaxValue ? value.Length : Math.Min(value.Length, position + part.Max);
                while (position < limit && value[position] < 128 && part.Allowed[value[position]]) position++;
                if (position - start < part.Min) return false;
            }

            return position == value.Length;
        }
    }
}
