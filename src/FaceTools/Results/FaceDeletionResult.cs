namespace FaceTools
{
    /// <summary>The values of <see cref="FaceDeletionResult.Status"/>.</summary>
    public static class FaceDeletionStatus
    {
        /// <summary>The service deleted the face from the collection.</summary>
        public const string Deleted = "Deleted";

        /// <summary>The service did not delete the face; Reasons says why where the service says.</summary>
        public const string Unsuccessful = "Unsuccessful";
    }

    /// <summary>What Remove-RekFaceFromCollection did with one face.</summary>
    public sealed class FaceDeletionResult
    {
        public string CollectionId { get; set; }
        public string FaceId { get; set; }

        /// <summary>Deleted or Unsuccessful.</summary>
        public string Status { get; set; }

        /// <summary>For Unsuccessful: ASSOCIATED_TO_AN_EXISTING_USER or FACE_NOT_FOUND.</summary>
        public ReasonList Reasons { get; set; } = ReasonList.None;

        /// <summary>
        /// For ASSOCIATED_TO_AN_EXISTING_USER: the user the face belongs to. The result binds by property name to
        /// Remove-RekFaceFromUser, which frees the face for deletion.
        /// </summary>
        public string UserId { get; set; }

        /// <summary>What to do about an unsuccessful face, where there is something to do.</summary>
        public string Hint { get; set; }

        public override string ToString() => FaceId;
    }
}
