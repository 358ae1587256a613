using System.Globalization;

namespace FaceTools
{
    /// <summary>A face in a collection, as Get-RekFace lists it.</summary>
    public sealed class RekFace
    {
        public string CollectionId { get; set; }
        public string FaceId { get; set; }

        /// <summary>The user the face is associated with, or null.</summary>
        public string UserId { get; set; }

        public string ImageId { get; set; }
        public string ExternalImageId { get; set; }
        public double? Confidence { get; set; }
        public BoundingBox BoundingBox { get; set; }
        public string IndexFacesModelVersion { get; set; }

        public override string ToString() => FaceId;
    }

    /// <summary>Where a face is in its image, as ratios of the image's width and height.</summary>
    public sealed class BoundingBox
    {
        public double? Width { get; set; }
        public double? Height { get; set; }
        public double? Left { get; set; }
        public double? Top { get; set; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture,
            "Left={0:0.####} Top={1:0.####} Width={2:0.####} Height={3:0.####}", Left, Top, Width, Height);
    }

    /// <summary>A user of a collection.</summary>
    public sealed class RekUser
    {
        public string CollectionId { get; set; }
        public string UserId { get; set; }

        /// <summary>ACTIVE, UPDATING, CREATING or CREATED.</summary>
        public string UserStatus { get; set; }

        public override string ToString() => UserId;
    }
}
