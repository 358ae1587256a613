using System;

namespace FaceTools
{
    /// <summary>A face collection, as New-RekFaceCollection creates it and Get-RekFaceCollection describes it.</summary>
    public sealed class RekFaceCollection
    {
        public string CollectionId { get; set; }
        public string CollectionArn { get; set; }

        /// <summary>The version of the face model the collection indexes faces with.</summary>
        public string FaceModelVersion { get; set; }

        public long? FaceCount { get; set; }
        public long? UserCount { get; set; }

        /// <summary>When the collection was created, in UTC.</summary>
        public DateTime? CreationTimestamp { get; set; }

        /// <summary>The tags New-RekFaceCollection gave the collection; null where they are not known.</summary>
        public TagTable Tags { get; set; }

        public override string ToString() => CollectionId;
    }
}
