namespace FaceTools
{
    /// <summary>The values of <see cref="IndexedFace.Status"/>.</summary>
    public static class IndexedFaceStatus
    {
        /// <summary>The service indexed the face: it is in the collection, with FaceId.</summary>
        public const string Indexed = "Indexed";

        /// <summary>The service detected the face and did not index it; Reasons says why.</summary>
        public const string NotIndexed = "NotIndexed";
    }

    /// <summary>A face Add-RekFaceToCollection found in an image: indexed, or not indexed with the service's reasons.</summary>
    public sealed class IndexedFace
    {
        public string CollectionId { get; set; }

        /// <summary>The new face's ID; null for a face that was not indexed.</summary>
        public string FaceId { get; set; }

        /// <summary>Indexed or NotIndexed.</summary>
        public string Status { get; set; }

        /// <summary>For NotIndexed: EXCEEDS_MAX_FACES, EXTREME_POSE, LOW_BRIGHTNESS, LOW_SHARPNESS, LOW_CONFIDENCE, SMALL_BOUNDING_BOX or LOW_FACE_QUALITY.</summary>
        public ReasonList Reasons { get; set; } = ReasonList.None;

        public string ImageId { get; set; }
        public string ExternalImageId { get; set; }
        public double? Confidence { get; set; }
        public BoundingBox BoundingBox { get; set; }
        public string IndexFacesModelVersion { get; set; }

        /// <summary>The image: the local file's full path, or s3://bucket/key.</summary>
        public string Path { get; set; }

        public override string ToString() => FaceId ?? Status;
    }
}
