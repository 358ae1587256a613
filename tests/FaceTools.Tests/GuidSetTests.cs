using FaceTools.Engine.Batching;

namespace FaceTools.Tests;

public class GuidSetTests
{
    [Fact]
    public void AddsEachValueOnce_ThroughManyGrowths()
    {
        var set = new GuidSet();
        var values = Enumerable.Range(0, 50_000).Select(i => new Guid($"{i >> 16:x8}-0000-4000-8000-{i:x12}")).ToList();
        Assert.All(values, v => Assert.True(set.Add(v)));
        Assert.All(values, v => Assert.False(set.Add(v)));
        Assert.Equal(values.Count, set.Count);
    }

    [Fact]
    public void TheAllZeroGuidIsAValueLikeAnyOther()
    {
        var set = new GuidSet();
        Assert.True(set.Add(Guid.Empty));
        Assert.False(set.Add(Guid.Empty));
        Assert.True(set.Add(Guid.NewGuid()));
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void RandomValuesMatchAHashSet()
    {
        var random = new Random(42);
        var set = new GuidSet();
        var reference = new HashSet<Guid>();
        var pool = Enumerable.Range(0, 3000).Select(_ => { var b = new byte[16]; random.NextBytes(b); return new Guid(b); }).ToArray();
        for (int i = 0; i < 20_000; i++)
        {
            Guid value = pool[random.Next(pool.Length)];
            Assert.Equal(reference.Add(value), set.Add(value));
        }

        Assert.Equal(reference.Count, set.Count);
    }
}
