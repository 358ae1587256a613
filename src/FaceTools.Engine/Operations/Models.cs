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
    public sealed class FaceVerdict
    {
        public string FaceId { get; set; }
        public FaceVerdictKind Kind { get; set; }

        /// <summary>For <see cref="FaceVerdictKind.Refused"/>: what the service said.</summary>
        public UnsuccessfulFace Refusal { get; set; }

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
        public static IEnumerable<FaceVerdict> For(IReadOnlyList<string> sent, FaceBatchOutcome outcome)
        {
            var succeeded = new HashSet<string>(outcome.Succeeded);
            var refused = new Dictionary<string, UnsuccessfulFace>();
            foreach (UnsuccessfulFace face in outcome.Unsuccessful)
                if (face.FaceId != null) refused[face.FaceId] = face;

            foreach (string faceId in sent)
            {
                if (succeeded.Contains(faceId)) yield return new FaceVerdict { FaceId = faceId, Kind = FaceVerdictKind.Succeeded };
                else if (refused.TryGetValue(faceId, out UnsuccessfulFace refusal)) yield return new FaceVerdict { FaceId = faceId, Kind = FaceVerdictKind.Refused, Refusal = refusal };
                else yield return new FaceVerdict { FaceId = faceId, Kind = FaceVerdictKind.Ignored };
            }
        }
    }
}
