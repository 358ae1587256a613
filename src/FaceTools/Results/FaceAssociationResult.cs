namespace FaceTools
{
    /// <summary>The values of <see cref="FaceUserResult.Status"/> for Add-RekFaceToUser.</summary>
    public static class FaceAssociationStatus
    {
        /// <summary>The service associated the face with the user.</summary>
        public const string Associated = "Associated";

        /// <summary>The face was sent, and the service ignored it: it was already the user's.</summary>
        public const string AlreadyAssociated = "AlreadyAssociated";

        /// <summary>The service refused; Reasons says why (also LOW_MATCH_CONFIDENCE).</summary>
        public const string Unsuccessful = "Unsuccessful";
    }

    /// <summary>What Add-RekFaceToUser did with one face.</summary>
    public sealed class FaceAssociationResult : FaceUserResult
    {
        /// <summary>For LOW_MATCH_CONFIDENCE: how well the face matched the user, where the service says.</summary>
        public double? Confidence { get; set; }
    }
}
