using FaceTools.Engine.Operations;

namespace FaceTools.Tests;

/// <summary>FaceVerdicts: exactly one verdict per face sent, whatever order and shape the answer takes.</summary>
public class FaceVerdictsTests
{
    private static readonly string[] Sent = Enumerable.Range(1, 6).Select(i => $"{i:x8}-0000-4000-8000-{i:x12}").ToArray();

    private static FaceBatchOutcome Outcome(IEnumerable<string> succeeded, params UnsuccessfulFace[] unsuccessful) =>
        new FaceBatchOutcome { Succeeded = succeeded.ToList(), Unsuccessful = unsuccessful.ToList() };

    private static UnsuccessfulFace Refusal(string faceId, params string[] reasons) =>
        new UnsuccessfulFace { FaceId = faceId, Reasons = reasons.ToList() };

    private static string Kinds(FaceVerdict[] verdicts) => string.Join(",", verdicts.Select(v => v.Kind.ToString()[0]));

    [Fact]
    public void AllTakenInTheOrderSent_AreAllSucceeded()
    {
        var verdicts = FaceVerdicts.For(Sent, Outcome(Sent));
        Assert.Equal(Sent, verdicts.Select(v => v.FaceId));
        Assert.Equal("S,S,S,S,S,S", Kinds(verdicts));
    }

    [Fact]
    public void TakenOutOfOrder_AreStillEachFoundOnce()
    {
        var verdicts = FaceVerdicts.For(Sent, Outcome(new[] { Sent[0], Sent[1], Sent[5], Sent[3], Sent[2] }, Refusal(Sent[4], "FACE_NOT_FOUND")));
        Assert.Equal(Sent, verdicts.Select(v => v.FaceId));
        Assert.Equal("S,S,S,S,R,S", Kinds(verdicts));
        Assert.Equal(new[] { "FACE_NOT_FOUND" }, verdicts[4].ReasonsArray());
    }

    [Fact]
    public void RefusedAndIgnoredBetweenFacesTakenInOrder_AreToldApart()
    {
        var verdicts = FaceVerdicts.For(Sent, Outcome(new[] { Sent[0], Sent[2], Sent[5] },
            Refusal(Sent[1], "ASSOCIATED_TO_A_DIFFERENT_USER"), Refusal(Sent[4], "FACE_NOT_FOUND")));
        Assert.Equal("S,R,S,I,R,S", Kinds(verdicts));
        Assert.Empty(verdicts[3].ReasonsArray());
        Assert.Null(verdicts[3].Refusal);
    }

    [Fact]
    public void FacesTheAnswerNamesButWereNotSent_AreDropped_AndRepeatsCountOnce()
    {
        string stranger = "ffffffff-0000-4000-8000-000000000000";
        var verdicts = FaceVerdicts.For(Sent.Take(3).ToArray(), Outcome(new[] { Sent[0], Sent[0], stranger, Sent[2] }, Refusal(stranger, "FACE_NOT_FOUND")));
        Assert.Equal(Sent.Take(3), verdicts.Select(v => v.FaceId));
        Assert.Equal("S,I,S", Kinds(verdicts));
    }

    [Fact]
    public void AFaceBothTakenAndRefused_IsSucceeded()
    {
        var inStep = FaceVerdicts.For(Sent.Take(2).ToArray(), Outcome(new[] { Sent[0], Sent[1] }, Refusal(Sent[1], "X")));
        var outOfStep = FaceVerdicts.For(Sent.Take(2).ToArray(), Outcome(new[] { Sent[1], Sent[0] }, Refusal(Sent[0], "X")));
        Assert.Equal("S,S", Kinds(inStep));
        Assert.Equal("S,S", Kinds(outOfStep));
    }

    [Fact]
    public void NothingTaken_IsRefusedOrIgnored_AndNothingSent_IsNoVerdict()
    {
        Assert.Equal("R,I,I,I,I,I", Kinds(FaceVerdicts.For(Sent, Outcome(Array.Empty<string>(), Refusal(Sent[0], "FACE_NOT_FOUND"), Refusal(null, "X")))));
        Assert.Empty(FaceVerdicts.For(Array.Empty<string>(), Outcome(Sent)));
    }
}
