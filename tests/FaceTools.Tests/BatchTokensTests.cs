using FaceTools.Engine.Batching;
using FaceTools.Engine.Protocol;

namespace FaceTools.Tests;

public class BatchTokensTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void WithoutBaseToken_TokensAreRandomAndValid(string baseToken)
    {
        var tokens = new HashSet<string>();
        for (int i = 0; i < 200; i++)
        {
            string token = BatchTokens.ForBatch(baseToken, "coll", "user", 0);
            Assert.True(FieldRules.ClientRequestToken.IsValid(token), token);
            tokens.Add(token);
        }

        Assert.Equal(200, tokens.Count);
    }

    [Fact]
    public void Derived_IsDeterministic()
    {
        string a = BatchTokens.ForBatch("my-run-1", "coll", "user", 3);
        string b = BatchTokens.ForBatch("my-run-1", "coll", "user", 3);
        Assert.Equal(a, b);
        Assert.StartsWith("my-run-1-", a);
    }

    [Fact]
    public void Derived_DistinctPerCollectionUserAndIndex()
    {
        var tokens = new HashSet<string>();
        int count = 0;
        foreach (string collection in new[] { "c1", "c2", "c1x" })
        foreach (string user in new[] { "u1", "u2", "u1x", "c1" })
        for (int index = 0; index < 20; index++)
        {
            tokens.Add(BatchTokens.ForBatch("base", collection, user, index));
            count++;
        }

        Assert.Equal(count, tokens.Count);
    }

    [Fact]
    public void Derived_SwappingCollectionAndUserGivesADifferentToken()
    {
        Assert.NotEqual(BatchTokens.ForBatch("base", "a", "b", 0), BatchTokens.ForBatch("base", "b", "a", 0));
        Assert.NotEqual(BatchTokens.ForBatch("base", "a1", "0", 0), BatchTokens.ForBatch("base", "a", "10", 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(63)]
    [InlineData(64)]
    public void Derived_AlwaysValidAndAtMost64Characters(int baseLength)
    {
        string baseToken = string.Concat(Enumerable.Range(0, baseLength).Select(i => "aZ9-_"[i % 5]));
        Assert.True(FieldRules.ClientRequestToken.IsValid(baseToken));
        foreach (int index in new[] { 0, 1, 99, int.MaxValue })
        {
            string token = BatchTokens.ForBatch(baseToken, new string('c', 255), new string('u', 128), index);
            Assert.True(token.Length <= 64, $"{token.Length} characters");
            Assert.True(FieldRules.ClientRequestToken.IsValid(token), token);
            Assert.StartsWith(baseToken.Substring(0, Math.Min(baseLength, BatchTokens.PrefixLength)) + "-", token);
        }
    }

    [Fact]
    public void Derived_FromA64CharacterBase_IsExactly64Characters()
    {
        string token = BatchTokens.ForBatch(new string('t', 64), "c", "u", 0);
        Assert.Equal(64, token.Length);
    }

    [Fact]
    public void Derived_DiffersForBaseTokensSharingA31CharacterPrefix()
    {
        string prefix = new string('p', 31);
        var bases = new[] { prefix + "A", prefix + "B", prefix + "A" + new string('z', 32), prefix, prefix + "-" };
        var tokens = bases.Select(b => BatchTokens.ForBatch(b, "coll", "user", 0)).ToList();
        Assert.Equal(bases.Length, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.StartsWith(prefix + "-", t));
    }

    [Fact]
    public void Derived_SuffixIs32LowerCaseHexDigits()
    {
        string token = BatchTokens.ForBatch("run", "coll", "user", 0);
        string suffix = token.Substring("run-".Length);
        Assert.Equal(32, suffix.Length);
        Assert.Matches("^[0-9a-f]{32}$", suffix);
    }
}
