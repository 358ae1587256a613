using System;
using System.Collections.Generic;

namespace FaceTools.Engine.Operations
{
    /// <summary>What the service said about one batch of AssociateFaces or DisassociateFaces.</summary>
    public sealed class FaceBatchOutcome
    {
        public IReadOnlyList<string> Succeeded { get; set; } = new List<string>();
        public IReadOnlyList<UnsuccessfulFace> Unsuccessful { get; set; } = new List<UnsuccessfulFace>();
        public string UserStatus { get; set; }
        public string RequestId { get; set; }
        public int Attempts { get; set; }
    }

    public sealed class UnsuccessfulFace
    {
        public string FaceId { get; set; }

        /// <summary>The user the face belongs to, where the service says (another user's face).</summary>
        public string UserId { get; set; }

        public IReadOnlyList<string> Reasons { get; set; } = new List<string>();
        public double? Confidence { get; set; }
    }

    public sealed class BoundingBoxRecord
    {
        public double? Width { get; set; }
        public double? Height { get; set; }
        public double? Left { get; set; }
        public double? Top { get; set; }
    }

    public sealed class FaceRecord
    {
        public string FaceId { get; set; }
        public string UserId { get; set; }
        public string ImageId { get; set; }
        public string ExternalImageId { get; set; }
        public double? Confidence { get; set; }
        public BoundingBoxRecord BoundingBox { get; set; }
        public string IndexFacesModelVersion { get; set; }
    }

    public sealed class UserRecord
    {
        public string UserId { get; set; }
        public string UserStatus { get; set; }
    }

    /// <summary>One page of a listing and the token for the next (null on the last page).</summary>
    public sealed class Page<T>
    {
        public IReadOnlyList<T> Items { get; set; } = new List<T>();
        public string NextToken { get; set; }
        public string RequestId { get; set; }
    }
}

namespace FaceTools.Engine.Operations
{
    public enum FaceVerdictKind
    {
        /// <summary>In the service's list of associated or disassociated faces.</summary>
        Succeeded,

        /// <summary>In the service's list of unsuccessful faces.</summary>
        Refused,

        /// <summary>In neither list: the service ignored it (already in, or already out of, the requested state).</summary>
        Ignored,
    }

    /// <summary>The service's answer for one face that was sent.</summary>
    public readonly struct FaceVerdict
    {
        public FaceVerdict(string faceId, FaceVerdictKind kind, UnsuccessfulFace refusal = null)
        {
            FaceId = faceId;
            Kind = kind;
            Refusal = refusal;
        }

        public string FaceId { get; }
        public FaceVerdictKind Kind { get; }

        /// <summary>For <see cref="FaceVerdictKind.Refused"/>: what the service said.</summary>
        public UnsuccessfulFace Refusal { get; }

        /// <summary>The refusal's reasons as a new array for a result object; empty when there was no refusal.</summary>
        public string[] ReasonsArray()
        {
            if (Refusal == null || Refusal.Reasons.Count == 0) return System.Array.Empty<string>();
            var reasons = new string[Refusal.Reasons.Count];
            for (int i = 0; i < reasons.Length; i++) reasons[i] = Refusal.Reasons[i];
            return reasons;
        }
    }

    public static class FaceVerdicts
    {
        /// <summary>Exactly one verdict per face sent, in the order sent; faces the service named but were not sent are dropped.</summary>
        public static FaceVerdict[] For(IReadOnlyList<string> sent, FaceBatchOutcome outcome)
        {
            var verdicts = new FaceVerdict[sent.Count];
            IReadOnlyList<string> succeeded = outcome.Succeeded;
            Dictionary<string, UnsuccessfulFace> refused = null;
            HashSet<string> succeededLater = null;
            int inStep = 0;
            for (int i = 0; i < verdicts.Length; i++)
            {
                string faceId = sent[i];

                // The service names the faces it took in the order they were sent, as a rule: while it
                // does, each is matched in step; the first one out of step sets up lookups for the rest.
                if (succeededLater == null && inStep < succeeded.Count && string.Equals(succeeded[inStep], faceId, StringComparison.Ordinal))
                {
                    inStep++;
                    verdicts[i] = new FaceVerdict(faceId, FaceVerdictKind.Succeeded);
                    continue;
                }

                if (succeededLater == null)
                {
                    succeededLater = new HashSet<string>(StringComparer.Ordinal);
                    for (int k = inStep; k < succeeded.Count; k++) succeededLater.Add(succeeded[k]);
                    refused = new Dictionary<string, UnsuccessfulFace>(StringComparer.Ordinal);
                    foreach (UnsuccessfulFace face in outcome.Unsuccessful)
                        if (face.FaceId != null) refused[face.FaceId] = face;
                }

                if (succeededLater.Contains(faceId)) verdicts[i] = new FaceVerdict(faceId, FaceVerdictKind.Succeeded);
                else if (refused.TryGetValue(faceId, out UnsuccessfulFace refusal)) verdicts[i] = new FaceVerdict(faceId, FaceVerdictKind.Refused, refusal);
                else verdicts[i] = new FaceVerdict(faceId, FaceVerdictKind.Ignored);
            }

            return verdicts;
        }
    }
}
