using System.Text.RegularExpressions;
using FaceTools.Engine.Protocol;

namespace FaceTools.Tests;

public class FieldRulesTests
{
    private const string GoodFaceId = "0b683aed-a0f1-48b2-9b5e-139e9cc2a757";

    public static TheoryData<string> LengthRuledFields() => new() { "CollectionId", "UserId", "ClientRequestToken", "ExternalImageId" };

    private static FieldRule RuleNamed(string name) => name switch
    {
        "CollectionId" => FieldRules.CollectionId,
        "UserId" => FieldRules.UserId,
        "FaceId" => FieldRules.FaceId,
        "ClientRequestToken" => FieldRules.ClientRequestToken,
        "ExternalImageId" => FieldRules.ExternalImageId,
        "NextToken" => FieldRules.NextToken,
        _ => throw new ArgumentException(name),
    };

    [Fact]
    public void Limits_MatchTheServiceModel()
    {
        Assert.Equal((1, 255), (FieldRules.CollectionId.MinLength, FieldRules.CollectionId.MaxLength));
        Assert.Equal((1, 128), (FieldRules.UserId.MinLength, FieldRules.UserId.MaxLength));
        Assert.Equal((36, 36), (FieldRules.FaceId.MinLength, FieldRules.FaceId.MaxLength));
        Assert.Equal((1, 64), (FieldRules.ClientRequestToken.MinLength, FieldRules.ClientRequestToken.MaxLength));
        Assert.Equal((1, 255), (FieldRules.ExternalImageId.MinLength, FieldRules.ExternalImageId.MaxLength));
        Assert.Equal((0, 255), (FieldRules.NextToken.MinLength, FieldRules.NextToken.MaxLength));
        Assert.Equal(100, FieldRules.MaxFacesPerAssociationRequest);
        Assert.Equal(4096, FieldRules.MaxFaceIdsPerDeleteRequest);
        Assert.Equal(100, FieldRules.MaxFacesPerUser);
    }

    [Theory]
    [MemberData(nameof(LengthRuledFields))]
    public void LengthBoundaries_ZeroOneMaxAndMaxPlusOne(string field)
    {
        FieldRule rule = RuleNamed(field);
        Assert.False(rule.IsValid(""));
        Assert.True(rule.IsValid("a"));
        Assert.True(rule.IsValid(new string('a', rule.MaxLength)));
        Assert.False(rule.IsValid(new string('a', rule.MaxLength + 1)));
        Assert.False(rule.IsValid(null));
    }

    [Theory]
    [InlineData("CollectionId", "aZ09_.-", true)]
    [InlineData("CollectionId", "a:b", false)]
    [InlineData("CollectionId", "a b", false)]
    [InlineData("CollectionId", "a/b", false)]
    [InlineData("UserId", "aZ09_.-:", true)]
    [InlineData("UserId", "a b", false)]
    [InlineData("UserId", "a@b", false)]
    [InlineData("UserId", "a+b", false)]
    [InlineData("ExternalImageId", "aZ09_.-:", true)]
    [InlineData("ExternalImageId", "a/b", false)]
    [InlineData("ExternalImageId", "a b", false)]
    [InlineData("ClientRequestToken", "aZ09-_", true)]
    [InlineData("ClientRequestToken", "a.b", false)]
    [InlineData("ClientRequestToken", "a:b", false)]
    [InlineData("ClientRequestToken", "a b", false)]
    public void AllowedAndForbiddenCharacters(string field, string value, bool valid)
    {
        Assert.Equal(valid, RuleNamed(field).IsValid(value));
    }

    [Theory]
    [InlineData("CollectionId")]
    [InlineData("UserId")]
    [InlineData("ClientRequestToken")]
    [InlineData("ExternalImageId")]
    [InlineData("FaceId")]
    public void TrailingOrLeadingNewline_NeverPasses(string field)
    {
        string good = field == "FaceId" ? GoodFaceId : "abc";
        FieldRule rule = RuleNamed(field);
        Assert.True(rule.IsValid(good));
        Assert.False(rule.IsValid(good + "\n"));
        Assert.False(rule.IsValid("\n" + good));
        Assert.False(rule.IsValid(good + "\r\n"));
        Assert.False(rule.IsValid(good + " "));
    }

    [Fact]
    public void TrailingNewline_FaceIdOfMaxLengthMinusOne_DoesNotPass()
    {
        // 35 valid characters and a newline: right length, and '$' would have matched before the newline.
        string value = GoodFaceId.Substring(0, 35) + "\n";
        Assert.Equal(36, value.Length);
        Assert.False(FieldRules.FaceId.IsValid(value));
    }

    [Theory]
    [InlineData("CollectionId", "coll\u0430")]          // Cyrillic small a
    [InlineData("CollectionId", "coll\uFF11")]          // full-width digit one
    [InlineData("UserId", "user\u0410")]                // Cyrillic capital A
    [InlineData("UserId", "user\uFF10")]                // full-width digit zero
    [InlineData("UserId", "user\u0661")]                // Arabic-Indic digit one
    [InlineData("ClientRequestToken", "tok\u2010en")]   // Unicode hyphen
    [InlineData("ClientRequestToken", "tok\u00e9")]     // e acute
    [InlineData("ExternalImageId", "img\u0131")]        // dotless i
    [InlineData("ExternalImageId", "img\u212A")]        // Kelvin sign (folds to 'k' case-insensitively)
    public void UnicodeLookAlikes_AreRejected(string field, string value)
    {
        Assert.False(RuleNamed(field).IsValid(value));
        Assert.NotNull(RuleNamed(field).Explain(value));
    }

    [Fact]
    public void FaceId_AcceptsLowerCaseGuid()
    {
        Assert.True(FieldRules.FaceId.IsValid(GoodFaceId));
        Assert.True(FieldRules.FaceId.IsValid(Guid.NewGuid().ToString("D")));
        Assert.Null(FieldRules.FaceId.Explain(GoodFaceId));
    }

    [Theory]
    [InlineData("0B683AED-A0F1-48B2-9B5E-139E9CC2A757")]   // upper case
    [InlineData("0b683aed-a0f1-48b2-9b5e-139e9cc2a75A")]   // one upper-case digit
    [InlineData("{0b683aed-a0f1-48b2-9b5e-139e9cc2a757}")] // braces
    [InlineData("(0b683aed-a0f1-48b2-9b5e-139e9cc2a757)")] // parentheses
    [InlineData("0b683aeda0f148b29b5e139e9cc2a757")]       // no hyphens
    [InlineData("0b683aed-a0f1-48b2-9b5e-139e9cc2a75")]    // 35 characters
    [InlineData("0b683aed-a0f1-48b2-9b5e-139e9cc2a7570")]  // 37 characters
    [InlineData("0b683aed-a0f148b2-9b5e-139e9cc2a757-")]   // right length, wrong grouping
    [InlineData("0b683aed-a0f1-48b2-9b5e-139e9cc2a75g")]   // not hexadecimal
    [InlineData("0b683aed-a0f1-48b2-9b5e-139e9cc2a75\uFF17")] // full-width 7
    [InlineData("0b683aed-a0f1-48b2-9b5e-139e9cc2a75\u0430")] // Cyrillic a
    [InlineData("")]
    public void FaceId_RejectsAnythingButTheCanonicalForm(string value)
    {
        Assert.False(FieldRules.FaceId.IsValid(value));
        Assert.NotNull(FieldRules.FaceId.Explain(value));
    }

    [Fact]
    public void NextToken_AcceptsAnythingUpTo255Characters()
    {
        Assert.True(FieldRules.NextToken.IsValid(""));
        Assert.True(FieldRules.NextToken.IsValid("a b/c+d=\n\u00e9"));
        Assert.True(FieldRules.NextToken.IsValid(new string('x', 255)));
        Assert.False(FieldRules.NextToken.IsValid(new string('x', 256)));
        Assert.False(FieldRules.NextToken.IsValid(null));
    }

    [Fact]
    public void Explain_IsNullExactlyWhenValid_ForNextTokenEmpty()
    {
        // NextToken's minimum length is 0, so "" is valid and Explain must agree ("null when valid").
        Assert.True(FieldRules.NextToken.IsValid(""));
        Assert.Null(FieldRules.NextToken.Explain(""));
    }

    [Theory]
    [InlineData("CollectionId", "my-collection")]
    [InlineData("UserId", "user:1")]
    [InlineData("ClientRequestToken", "tok_1-2")]
    [InlineData("ExternalImageId", "image.jpg")]
    [InlineData("NextToken", "anything at all")]
    public void Explain_IsNullForValidValues(string field, string value)
    {
        Assert.True(RuleNamed(field).IsValid(value));
        Assert.Null(RuleNamed(field).Explain(value));
    }

    [Theory]
    [InlineData("CollectionId", "bad value!")]
    [InlineData("UserId", "bad value!")]
    [InlineData("FaceId", "not-a-face")]
    [InlineData("ClientRequestToken", "bad.token")]
    [InlineData("ExternalImageId", "bad/value")]
    public void Explain_NamesTheFieldAndTheRuleAndTheValue(string field, string value)
    {
        FieldRule rule = RuleNamed(field);
        string message = rule.Explain(value);
        Assert.NotNull(message);
        Assert.Contains(field, message);
        Assert.Contains(rule.Description, message);
        Assert.Contains(value, message);
    }

    [Theory]
    [InlineData("CollectionId")]
    [InlineData("UserId")]
    [InlineData("FaceId")]
    [InlineData("ClientRequestToken")]
    [InlineData("ExternalImageId")]
    [InlineData("NextToken")]
    public void Explain_NullAndEmpty_NameTheField(string field)
    {
        FieldRule rule = RuleNamed(field);
        string forNull = rule.Explain(null);
        Assert.Contains(field, forNull);
        Assert.Contains("null", forNull);
        Assert.Contains(rule.Description, forNull);
        if (rule.MinLength > 0)
        {
            string forEmpty = rule.Explain("");
            Assert.Contains(field, forEmpty);
            Assert.Contains("empty", forEmpty);
        }
    }

    [Theory]
    [InlineData("CollectionId")]
    [InlineData("UserId")]
    [InlineData("FaceId")]
    [InlineData("ClientRequestToken")]
    [InlineData("ExternalImageId")]
    [InlineData("NextToken")]
    public void Explain_DoesNotEchoA10000CharacterValue(string field)
    {
        FieldRule rule = RuleNamed(field);
        string huge = new string('q', 10_000);
        string message = rule.Explain(huge);
        Assert.NotNull(message);
        Assert.Contains(field, message);
        Assert.Contains(rule.Description, message);
        Assert.Contains("10000", message);
        Assert.DoesNotContain(new string('q', 100), message);
        Assert.True(message.Length < 500, $"message is {message.Length} characters long");
    }

    [Fact]
    public void Explain_AbbreviatesALongInvalidValueWithinTheLengthLimit()
    {
        // 200 characters: within CollectionId's 255, but invalid for its '!'.
        string value = new string('b', 199) + "!";
        string message = FieldRules.CollectionId.Explain(value);
        Assert.NotNull(message);
        Assert.Contains("CollectionId", message);
        Assert.Contains("...", message);
        Assert.DoesNotContain(value, message);
        Assert.DoesNotContain(new string('b', 81), message);
    }

    [Fact]
    public void Explain_ShortInvalidFaceId_SaysNotValid()
    {
        string message = FieldRules.FaceId.Explain("abc");
        Assert.Contains("'abc'", message);
        Assert.Contains("not valid", message);
    }

    public static TheoryData<string> AllRules() => new(typeof(FieldRules).GetFields().Where(f => f.FieldType == typeof(FieldRule)).Select(f => f.Name));

    private static FieldRule RuleByField(string name) => (FieldRule)typeof(FieldRules).GetField(name)!.GetValue(null)!;

    // The character-by-character check must agree with the rule's regular expression on every input,
    // whichever of the two a rule uses.
    [Theory]
    [MemberData(nameof(AllRules))]
    public void FastCheck_AgreesWithThePatternOnValidInvalidAndNearMissValues(string field)
    {
        FieldRule rule = RuleByField(field);
        var regex = new Regex(@"\A(?:" + rule.Pattern + @")\z", RegexOptions.CultureInvariant);
        // Seeded from the name by a fixed hash (string.GetHashCode differs from run to run): a failure reproduces.
        var random = new Random(field.Aggregate(17, (hash, c) => unchecked(hash * 31 + c)) & 0x7fffffff);
        const string alphabet = "abcfzAFZ0189-_.:/=+@ !#$%^&*()[]{}|\\\"'<>?,;`~\t\n\r\u00e9\u0663\uff21\u2028\u00a0";
        var samples = new List<string> { "", GoodFaceId, GoodFaceId.ToUpperInvariant(), "{" + GoodFaceId + "}", GoodFaceId + "\n", "aws:x", "x", "a.b-c_d:e" };
        for (int n = 0; n < 4000; n++)
        {
            int length = random.Next(0, 3) == 0 ? random.Next(34, 39) : random.Next(0, 12);
            var text = new char[length];
            for (int k = 0; k < length; k++) text[k] = alphabet[random.Next(alphabet.Length)];
            samples.Add(new string(text));
            // A valid face ID with one character changed: the near misses a fixed-count check can get wrong.
            char[] face = GoodFaceId.ToCharArray();
            face[random.Next(face.Length)] = alphabet[random.Next(alphabet.Length)];
            samples.Add(new string(face));
        }

        foreach (string value in samples)
        {
            bool expected = value.Length >= rule.MinLength && value.Length <= rule.MaxLength && regex.IsMatch(value);
            Assert.True(expected == rule.IsValid(value), $"{field}: '{value}' is {(expected ? "valid" : "invalid")} by the pattern");
        }
    }

    [Fact]
    public void FastCheck_ServesThePerFaceRules_AndLeavesLookaroundsAndUnicodeClassesToTheRegex()
    {
        Assert.True(FieldRules.FaceId.IsCheckedWithoutRegex);
        Assert.True(FieldRules.CollectionId.IsCheckedWithoutRegex);
        Assert.True(FieldRules.UserId.IsCheckedWithoutRegex);
        Assert.True(FieldRules.ClientRequestToken.IsCheckedWithoutRegex);
        Assert.False(FieldRules.TagKey.IsCheckedWithoutRegex);
        Assert.False(FieldRules.TagValue.IsCheckedWithoutRegex);
        Assert.False(FieldRules.NextToken.IsCheckedWithoutRegex);
        Assert.Null(CharacterPattern.TryParse("[a-z]+[0-9]"));
        Assert.Null(CharacterPattern.TryParse("[^a-z]"));
        Assert.Null(CharacterPattern.TryParse("a|b"));
    }
}
