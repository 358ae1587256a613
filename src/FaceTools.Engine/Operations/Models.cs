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
