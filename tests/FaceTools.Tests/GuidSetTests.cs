using FaceTools.Engine.Batching;

namespace FaceTools.Tests;

public class GuidSetTests
{
    [Fact]
    public void AddsEachValueOnce_ThroughManyGrowths()
    {
        using var set = new GuidSet();
        var values = Enumerable.Range(0, 50_000).Select(i => new Guid($"{i >> 16:x8}-0000-4000-8000-{i:x12}")).ToList();
        Assert.All(values, v => Assert.True(set.Add(v)));
        Assert.All(values, v => Assert.False(set.Add(v)));
        Assert.Equal(values.Count, set.Count);
    }

    [Fact]
    public void Contains_AgreesWithAdd_SmallAndSplit()
    {
        using var set = new GuidSet();
        Assert.False(set.Contains(Guid.Empty));
        var values = Enumerable.Range(1, 20_000).Select(i => new Guid($"{i >> 16:x8}-0000-4000-8000-{i:x12}")).ToList();
        var absent = new Guid("ffffffff-0000-4000-8000-000000000001");
        for (int i = 0; i < values.Count; i++)
        {
            Assert.False(set.Contains(values[i]));
            set.Add(values[i]);
            Assert.True(set.Contains(values[i]));
            if (i % 997 == 0) Assert.All(values.Take(i + 1), v => Assert.True(set.Contains(v)));
        }

        Assert.True(set.Segments > 1);
        Assert.False(set.Contains(absent));
        set.Add(Guid.Empty);
        Assert.True(set.Contains(Guid.Empty));
    }

    [Fact]
    public void TheAllZeroGuidIsAValueLikeAnyOther()
    {
        using var set = new GuidSet();
        Assert.True(set.Add(Guid.Empty));
        Assert.False(set.Add(Guid.Empty));
        Assert.True(set.Add(Guid.NewGuid()));
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void RandomValuesMatchAHashSet()
    {
        var random = new Random(42);
        using var set = new GuidSet();
        var reference = new HashSet<Guid>();
        var pool = Enumerable.Range(0, 3000).Select(_ => { var b = new byte[16]; random.NextBytes(b); return new Guid(b); }).ToArray();
        for (int i = 0; i < 20_000; i++)
        {
            Guid value = pool[random.Next(pool.Length)];
            Assert.Equal(reference.Add(value), set.Add(value));
        }

        Assert.Equal(reference.Count, set.Count);
    }

    [Fact]
    public void ALargeSetIsSplitIntoSegments_AndKeepsEveryValueAcrossTheSplit()
    {
        using var set = new GuidSet();
        var random = new Random(7);
        var values = Enumerable.Range(0, 200_000).Select(_ => { var b = new byte[16]; random.NextBytes(b); return new Guid(b); }).Distinct().ToList();
        int splitAt = -1;
        for (int i = 0; i < values.Count; i++)
        {
            Assert.True(set.Add(values[i]));
            if (splitAt < 0 && set.Segments > 1) splitAt = i;
        }

        Assert.Equal(GuidSet.SegmentCount, set.Segments);
        Assert.InRange(splitAt, GuidSet.SplitAtSlots / 2, GuidSet.SplitAtSlots);
        Assert.All(values, v => Assert.False(set.Add(v)));
        Assert.Equal(values.Count, set.Count);

        // Growth by a quarter at most 85% full: under 1.6 slots a value once large.
        Assert.InRange(set.Capacity, values.Count * 100L / 85, values.Count * 16L / 10);
    }

    [Fact]
    public void ValuesThatAllFallInOneSegment_StillFit()
    {
        // Values chosen so their hashes share the top bits: after the split they all go to one segment,
        // which has to grow on its own (rather than run out of free slots).
        var random = new Random(11);
        var values = new List<Guid>();
        var bytes = new byte[16];
        while (values.Count < 60_000)
        {
            random.NextBytes(bytes);
            var value = new Guid(bytes);
            if (GuidSet.Hash(value) >> 58 == 5) values.Add(value);
        }

        using var set = new GuidSet();
        Assert.All(values, v => Assert.True(set.Add(v)));
        Assert.Equal(GuidSet.SegmentCount, set.Segments);
        Assert.All(values, v => Assert.False(set.Add(v)));
        Assert.Equal(values.Count, set.Count);
    }

    [Fact]
    public void ADisposedSet_RefusesValues_AndDisposingTwiceIsHarmless()
    {
        var small = new GuidSet();
        small.Add(Guid.NewGuid());
        var large = new GuidSet();
        for (int i = 0; large.Segments == 1; i++) large.Add(new Guid($"{i >> 16:x8}-0000-4000-8000-{i:x12}"));

        foreach (GuidSet set in new[] { small, large })
        {
            set.Dispose();
            set.Dispose();
            Assert.Throws<ObjectDisposedException>(() => set.Add(Guid.NewGuid()));
        }
    }
}
