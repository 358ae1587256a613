namespace FaceTools
{
    /// <summary>The values of <see cref="FaceAssociationResult.Status"/>.</summary>
    public static class FaceAssociationStatus
    {
        /// <summary>The service associated the face with the user.</summary>
        public const string Associated = "Associated";

        /// <summary>The face was sent, and the service ignored it: it was already the user's.</summary>
        public const string AlreadyAssociated = "AlreadyAssociated";

        /// <summary>The service refused; Reasons says why.</summary>
        public const string Unsuccessful = "Unsuccessful";
    }

    /// <summary>What Add-RekFaceToUser did with one face.</summary>
    public sealed class FaceAssociationResult
    {
        public string CollectionId { get; set; }
        public string UserId { get; set; }
        public string FaceId { get; set; }

        /// <summary>Associated, AlreadyAssociated or Unsuccessful.</summary>
        public string Status { get; set; }

        /// <summary>For Unsuccessful: FACE_NOT_FOUND, ASSOCIATED_TO_A_DIFFERENT_USER or LOW_MATCH_CONFIDENCE.</summary>
        public string[] Reasons { get; set; } = new string[0];

        /// <summary>For a face that belongs to another user: that user, where the service says.</summary>
        public string OwnerUserId { get; set; }

        /// <summary>For LOW_MATCH_CONFIDENCE: how well the face matched the user, where the service says.</summary>
        public double? Confidence { get; set; }

        public string UserStatus { get; set; }

        public override string ToString() => FaceId;
    }
}
