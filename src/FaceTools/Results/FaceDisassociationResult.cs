namespace FaceTools
{
    /// <summary>The values of <see cref="FaceUserResult.Status"/> for Remove-RekFaceFromUser.</summary>
    public static class FaceDisassociationStatus
    {
        /// <summary>The service disassociated the face from the user.</summary>
        public const string Disassociated = "Disassociated";

        /// <summary>The service refused; Reasons says why (FACE_NOT_FOUND, ASSOCIATED_TO_A_DIFFERENT_USER).</summary>
        public const string Unsuccessful = "Unsuccessful";

        /// <summary>The face was sent, and the service ignored it: it was not associated with the user.</summary>
        public const string NotAssociated = "NotAssociated";
    }

    /// <summary>What Remove-RekFaceFromUser did with one face.</summary>
    public sealed class FaceDisassociationResult : FaceUserResult
    {
    }
}
