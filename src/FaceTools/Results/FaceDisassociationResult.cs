namespace FaceTools
{
    /// <summary>The values of <see cref="FaceDisassociationResult.Status"/>.</summary>
    public static class FaceDisassociationStatus
    {
        /// <summary>The service disassociated the face from the user.</summary>
        public const string Disassociated = "Disassociated";

        /// <summary>The service refused; Reasons says why.</summary>
        public const string Unsuccessful = "Unsuccessful";

        /// <summary>The face was sent, and the service ignored it: it was not associated with the user.</summary>
        public const string NotAssociated = "NotAssociated";
    }

    /// <summary>What Remove-RekFaceFromUser did with one face.</summary>
    public sealed class FaceDisassociationResult
    {
        public string CollectionId { get; set; }
        public string UserId { get; set; }
        public string FaceId { get; set; }

        /// <summary>Disassociated, Unsuccessful or NotAssociated.</summary>
        public string Status { get; set; }

        /// <summary>For Unsuccessful: FACE_NOT_FOUND or ASSOCIATED_TO_A_DIFFERENT_USER.</summary>
        public string[] Reasons { get; set; } = new string[0];

        /// <summary>For a face that belongs to another user: that user, where the service says.</summary>
        public string OwnerUserId { get; set; }

        /// <summary>The user's status after the request (ACTIVE, UPDATING, ...).</summary>
        public string UserStatus { get; set; }

        public override string ToString() => FaceId;
    }
}
