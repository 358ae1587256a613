namespace FaceTools
{
    /// <summary>What Add-RekFaceToUser or Remove-RekFaceFromUser did with one face.</summary>
    public abstract class FaceUserResult
    {
        public string CollectionId { get; set; }
        public string UserId { get; set; }
        public string FaceId { get; set; }

        /// <summary>What happened to the face; the values depend on the operation.</summary>
        public string Status { get; set; }

        /// <summary>For Unsuccessful: the service's reasons, such as FACE_NOT_FOUND.</summary>
        public ReasonList Reasons { get; set; } = ReasonList.None;

        /// <summary>For a face that belongs to another user: that user, where the service says.</summary>
        public string OwnerUserId { get; set; }

        /// <summary>The user's status after the request (ACTIVE, UPDATING, ...).</summary>
        public string UserStatus { get; set; }

        public override string ToString() => FaceId;
    }
}
