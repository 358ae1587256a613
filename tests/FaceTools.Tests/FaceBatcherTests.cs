using FaceTools.Engine.Batching;
using FaceTools.Engine.Protocol;

namespace FaceTools.Tests;

public class FaceBatcherTests
{
    private static string Face(int n) => new Guid(n, 0, 0, new byte[8]).ToString("D");

    private static List<string> Faces(int count, int start = 0) => Enumerable.Range(start, count).Select(Face).ToList();

    [Fact]
    public void Constructor_RejectsBatchSizeBelowOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaceBatcher(0, null));
    }

    [Fact]
    public void TwoHundredFiftyFaces_Give100_100_50_HandedOutAsTheyFill()
    {
        var batcher = new FaceBatcher(100, null);
        var faces = Faces(250);
        var handedOut = new List<(int position, FaceBatch batch)>();
        for (int i = 0; i < faces.Count; i++)
        {
            Assert.True(batcher.Add("coll", "user", faces[i], out FaceBatch full));
            if (full != null) handedOut.Add((i, full));
        }

        Assert.Equal(2, handedOut.Count);
        Assert.Equal(99, handedOut[0].position);
        Assert.Equal(199, handedOut[1].position);
        Assert.Equal(faces.Take(100), handedOut[0].batch.FaceIds);
        Assert.Equal(faces.Skip(100).Take(100), handedOut[1].batch.FaceIds);

        var flushed = batcher.Flush().ToList();
        FaceBatch last = Assert.Single(flushed);
        Assert.Equal(faces.Skip(200), last.FaceIds);

        Assert.Equal(new[] { 1, 2, 3 }, new[] { handedOut[0].batch.Number, handedOut[1].batch.Number, last.Number });
        Assert.Equal(new[] { 0, 1, 2 }, new[] { handedOut[0].batch.IndexForUser, handedOut[1].batch.IndexForUser, last.IndexForUser });
        Assert.Equal(250, batcher.DistinctFaces);
        Assert.Equal(0, batcher.Duplicates);
        Assert.Equal(3, batcher.BatchesClosed);
        Assert.All(new[] { handedOut[0].batch, handedOut[1].batch, last }, b =>
        {
            Assert.Equal("coll", b.CollectionId);
            Assert.Equal("user", b.UserId);
            Assert.Equal(FaceBatch.UserKeyOf("coll", "user"), b.UserKey);
        });
    }

    [Fact]
    public void Flush_WithNothingOpen_YieldsNothing_AndIsRepeatable()
    {
        var batcher = new FaceBatcher(100, null);
        Assert.Empty(batcher.Flush());
        foreach (string face in Faces(100)) batcher.Add("c", "u", face, out _);
        Assert.Empty(batcher.Flush());
        batcher.Add("c", "u", Face(1000), out _);
        Assert.Single(batcher.Flush());
        Assert.Empty(batcher.Flush());
    }

    [Fact]
    public void Duplicates_AreDroppedAndCounted_WithinABatch()
    {
        var batcher = new FaceBatcher(100, null);
        Assert.True(batcher.Add("c", "u", Face(1), out _));
        Assert.False(batcher.Add("c", "u", Face(1), out FaceBatch full));
        Assert.Null(full);
        Assert.True(batcher.Add("c", "u", Face(2), out _));
        Assert.False(batcher.Add("c", "u", Face(2), out _));
        Assert.False(batcher.Add("c", "u", Face(1), out _));

        Assert.Equal(2, batcher.DistinctFaces);
        Assert.Equal(3, batcher.Duplicates);
        Assert.Equal(new[] { Face(1), Face(2) }, Assert.Single(batcher.Flush()).FaceIds);
    }

    [Fact]
    public void Has_TellsTheFacesAddedForAUser_OpenOrHandedOut_WithoutAddingAny()
    {
        var batcher = new FaceBatcher(2, null);
        batcher.Add("c", "u", Face(1), out _);
        batcher.Add("c", "u", Face(2), out FaceBatch full);
        Assert.NotNull(full);
        batcher.Add("c", "u", Face(3), out _);

        Assert.True(batcher.Has("c", "u", Face(1)));
        Assert.True(batcher.Has("c", "u", Face(3)));
        Assert.False(batcher.Has("c", "u", Face(4)));
        Assert.False(batcher.Has("c", "other", Face(1)));
        Assert.False(batcher.Has("other", "u", Face(1)));
        Assert.False(batcher.Has("c", "u", "not-a-face"));
        Assert.Equal(3, batcher.DistinctFaces);
        Assert.True(batcher.Add("c", "u", Face(4), out _));
    }

    [Fact]
    public void Duplicates_AreDroppedAcrossBatchBoundaries()
    {
        var batcher = new FaceBatcher(100, null);
        var batches = new List<FaceBatch>();
        foreach (string face in Faces(100))
            if (batcher.Add("c", "u", face, out FaceBatch full) && full != null) batches.Add(full);
        Assert.Single(batches);

        // Every face of the closed batch again, then one new face.
        foreach (string face in Faces(100))
        {
            Assert.False(batcher.Add("c", "u", face, out FaceBatch full));
            Assert.Null(full);
        }

        Assert.True(batcher.Add("c", "u", Face(500), out _));
        Assert.Equal(100, batcher.Duplicates);
        Assert.Equal(101, batcher.DistinctFaces);
        Assert.Equal(new[] { Face(500) }, Assert.Single(batcher.Flush()).FaceIds);
    }

    [Fact]
    public void SameFace_ForDifferentUsersOrCollections_IsNotADuplicate()
    {
        var batcher = new FaceBatcher(100, null);
        Assert.True(batcher.Add("c", "u1", Face(1), out _));
        Assert.True(batcher.Add("c", "u2", Face(1), out _));
        Assert.True(batcher.Add("c2", "u1", Face(1), out _));
        Assert.Equal(0, batcher.Duplicates);
        Assert.Equal(3, batcher.Flush().Count());
    }

    [Fact]
    public void InterleavedUsers_GetSeparateBatches()
    {
        var batcher = new FaceBatcher(100, null);
        var closed = new List<FaceBatch>();
        for (int i = 0; i < 150; i++)
        {
            if (batcher.Add("coll", "alice", Face(i), out FaceBatch a) && a != null) closed.Add(a);
            if (batcher.Add("coll", "bob", Face(10_000 + i), out FaceBatch b) && b != null) closed.Add(b);
        }

        Assert.Equal(2, closed.Count);
        Assert.Equal("alice", closed[0].UserId);
        Assert.Equal("bob", closed[1].UserId);
        Assert.Equal(Faces(100), closed[0].FaceIds);
        Assert.Equal(Faces(100, 10_000), closed[1].FaceIds);
        Assert.Equal(1, closed[0].Number);
        Assert.Equal(2, closed[1].Number);
        Assert.Equal(0, closed[0].IndexForUser);
        Assert.Equal(0, closed[1].IndexForUser);
        Assert.NotEqual(closed[0].UserKey, closed[1].UserKey);

        var flushed = batcher.Flush().ToList();
        Assert.Equal(new[] { "alice", "bob" }, flushed.Select(b => b.UserId));
        Assert.Equal(Faces(50, 100), flushed[0].FaceIds);
        Assert.Equal(Faces(50, 10_100), flushed[1].FaceIds);
        Assert.Equal(new[] { 3, 4 }, flushed.Select(b => b.Number));
        Assert.Equal(new[] { 1, 1 }, flushed.Select(b => b.IndexForUser));
    }

    [Fact]
    public void SameUserIdInTwoCollections_AreDifferentUsers()
    {
        var batcher = new FaceBatcher(2, null);
        batcher.Add("c1", "u", Face(1), out _);
        batcher.Add("c2", "u", Face(2), out _);
        batcher.Add("c1", "u", Face(3), out FaceBatch full);
        Assert.NotNull(full);
        Assert.Equal("c1", full.CollectionId);
        Assert.Equal(new[] { Face(1), Face(3) }, full.FaceIds);
        Assert.NotEqual(FaceBatch.UserKeyOf("c1", "u"), FaceBatch.UserKeyOf("c2", "u"));
    }

    [Fact]
    public void Flush_FollowsTheOrderUsersWereFirstSeen_NotTheOrderOfTheirLastFace()
    {
        var batcher = new FaceBatcher(100, null);
        batcher.Add("c", "zed", Face(1), out _);
        batcher.Add("c", "amy", Face(2), out _);
        batcher.Add("b", "mid", Face(3), out _);
        batcher.Add("c", "zed", Face(4), out _);
        var flushed = batcher.Flush().ToList();
        Assert.Equal(new[] { "zed", "amy", "mid" }, flushed.Select(b => b.UserId));
        Assert.Equal(new[] { 1, 2, 3 }, flushed.Select(b => b.Number));
    }

    [Fact]
    public void Flush_SkipsUsersWhoseBatchJustClosed()
    {
        var batcher = new FaceBatcher(1, null);
        batcher.Add("c", "a", Face(1), out FaceBatch first);
        batcher.Add("c", "b", Face(2), out FaceBatch second);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Empty(batcher.Flush());
    }

    [Fact]
    public void IndexForUser_CountsPerUser_WhileNumberCountsOverall()
    {
        var batcher = new FaceBatcher(2, null);
        var closed = new List<FaceBatch>();
        int n = 0;
        foreach (string user in new[] { "a", "b", "a", "a", "b" })
        {
            batcher.Add("c", user, Face(n++), out _);
            batcher.Add("c", user, Face(n++), out FaceBatch full);
            closed.Add(full);
        }

        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, closed.Select(b => b.Number));
        Assert.Equal(new[] { 0, 0, 1, 2, 1 }, closed.Select(b => b.IndexForUser));
    }

    [Fact]
    public void WithBaseToken_TokensAreDerivedFromIt()
    {
        var batcher = new FaceBatcher(100, "rerun-7");
        var batches = new List<FaceBatch>();
        foreach (string face in Faces(150))
            if (batcher.Add("coll", "user", face, out FaceBatch full) && full != null) batches.Add(full);
        batches.AddRange(batcher.Flush());

        Assert.Equal(2, batches.Count);
        Assert.Equal(BatchTokens.ForBatch("rerun-7", "coll", "user", 0), batches[0].ClientRequestToken);
        Assert.Equal(BatchTokens.ForBatch("rerun-7", "coll", "user", 1), batches[1].ClientRequestToken);
        Assert.NotEqual(batches[0].ClientRequestToken, batches[1].ClientRequestToken);

        // The same input with the same base token gives the same tokens again.
        var again = new FaceBatcher(100, "rerun-7");
        var againBatches = new List<FaceBatch>();
        foreach (string face in Faces(150))
            if (again.Add("coll", "user", face, out FaceBatch full) && full != null) againBatches.Add(full);
        againBatches.AddRange(again.Flush());
        Assert.Equal(batches.Select(b => b.ClientRequestToken), againBatches.Select(b => b.ClientRequestToken));
    }

    [Fact]
    public void WithoutBaseToken_EachBatchGetsItsOwnValidRandomToken()
    {
        var tokens = new List<string>();
        for (int run = 0; run < 2; run++)
        {
            var batcher = new FaceBatcher(100, null);
            foreach (string face in Faces(200))
                if (batcher.Add("coll", "user", face, out FaceBatch full) && full != null) tokens.Add(full.ClientRequestToken);
        }

        Assert.Equal(4, tokens.Count);
        Assert.Equal(4, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.True(FieldRules.ClientRequestToken.IsValid(t), t));
    }

    [Fact]
    public void Add_RejectsSomethingThatIsNotAGuid()
    {
        var batcher = new FaceBatcher(100, null);
        Assert.Throws<ArgumentException>(() => batcher.Add("c", "u", "not-a-face", out _));
        Assert.Equal(0, batcher.DistinctFaces);
    }

    [Fact]
    public void MemorySanity_200000DistinctFacesForOneUser_Give2000BatchesOfAtMost100()
    {
        using var batcher = new FaceBatcher(FieldRules.MaxFacesPerAssociationRequest, "big-run");
        int batches = 0, largest = 0, facesOut = 0, lastNumber = 0;
        for (int i = 0; i < 200_000; i++)
        {
            Assert.True(batcher.Add("coll", "user", Guid.NewGuid().ToString("D"), out FaceBatch full));
            if (full == null) continue;
            batches++;
            largest = Math.Max(largest, full.FaceIds.Count);
            facesOut += full.FaceIds.Count;
            Assert.Equal(lastNumber + 1, full.Number);
            lastNumber = full.Number;
        }

        Assert.Empty(batcher.Flush());
        Assert.Equal(2000, batches);
        Assert.Equal(100, largest);
        Assert.Equal(200_000, facesOut);
        Assert.Equal(200_000, batcher.DistinctFaces);
        Assert.Equal(2000, batcher.BatchesClosed);
    }

    [Fact]
    public void Dispose_FreesEveryUsersSet_SoLaterFacesAreRefused()
    {
        var batcher = new FaceBatcher(100, null);
        for (int i = 0; i < 100_000; i++) batcher.Add("coll", "big", Guid.NewGuid().ToString("D"), out _);
        batcher.Add("coll", "small", Guid.NewGuid().ToString("D"), out _);

        batcher.Dispose();
        batcher.Dispose();
        Assert.Throws<ObjectDisposedException>(() => batcher.Add("coll", "big", Guid.NewGuid().ToString("D"), out _));
        Assert.Throws<ObjectDisposedException>(() => batcher.Add("coll", "small", Guid.NewGuid().ToString("D"), out _));
    }
}
