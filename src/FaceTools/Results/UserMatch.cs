namespace FaceTools
{
    /// <summary>A user Find-RekUser found, and what was searched for.</summary>
    public sealed class UserMatch
    {
        public string CollectionId { get; set; }
        public string UserId { get; set; }

        /// <summary>ACTIVE, UPDATING, CREATING or CREATED.</summary>
        public string UserStatus { get; set; }

        /// <summary>How well the user matches, 0 to 100.</summary>
        public double? Similarity { get; set; }

        /// <summary>The face searched with -FaceId.</summary>
        public string SearchedFaceId { get; set; }

        /// <summary>The user searched with -UserId.</summary>
        public string SearchedUserId { get; set; }

        /// <summary>The image searched with -ImagePath: the file's full path.</summary>
        public string SearchedImagePath { get; set; }

        public override string ToString() => UserId;
    }
}
