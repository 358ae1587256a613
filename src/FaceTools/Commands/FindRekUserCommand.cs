using System.Management.Automation;
using FaceTools.Engine.Operations;
using FaceTools.Engine.Protocol;
using FaceTools.Completion;
using FaceTools.Validation;

namespace FaceTools.Commands
{
    /// <summary>
    /// Finds the users of a collection that match a face of the collection, another user (SearchUsers), or the
    /// largest face in an image (SearchUsersByImage), best match first.
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "RekUser", DefaultParameterSetName = FaceIdSet)]
    [OutputType(typeof(UserMatch))]
    public sealed class FindRekUserCommand : RekognitionCmdlet
    {
        private const string FaceIdSet = "FaceId";
        private const string UserIdSet = "UserId";
        private const string ImagePathSet = "ImagePath";

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.CollectionId))]
        [ArgumentCompleter(typeof(CollectionIdCompleter))]
        public string CollectionId { get; set; }

        /// <summary>A face of the collection: the users it matches.</summary>
        // By property name only: by value, a user object piped in would bind here as its name.
        [Parameter(Mandatory = true, ParameterSetName = FaceIdSet, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.FaceId))]
        public string FaceId { get; set; }

        /// <summary>A user of the collection: the users whose faces match that user's.</summary>
        [Parameter(Mandatory = true, ParameterSetName = UserIdSet, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.UserId))]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public string UserId { get; set; }

        /// <summary>A PNG or JPEG file (at most 5 MB): the users that match its largest face.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ImagePathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName")]
        [ValidateNotNullOrEmpty]
        public string ImagePath { get; set; }

        /// <summary>The least similarity (0-100) a user must have to be returned; the service's default is 80.</summary>
        [Parameter]
        [ValidateRange(0.0, 100.0)]
        public float UserMatchThreshold { get; set; }

        /// <summary>At most this many users (1-500), the best first.</summary>
        [Parameter]
        [ValidateRange(1, FieldRules.MaxUserResults)]
        public int MaxUsers { get; set; }

        protected override void ProcessRecord()
        {
            double? threshold = IfGiven(nameof(UserMatchThreshold), (double)UserMatchThreshold);
            int? maxUsers = IfGiven(nameof(MaxUsers), MaxUsers);

            switch (ParameterSetName)
            {
                case ImagePathSet:
                    foreach (string file in ImageFiles.Resolve(this, ImagePath, literal: true))
                    {
                        // The same checks as Add-RekFaceToCollection: size and format, before any request.
                        LocalImage image = ImageFiles.Load(this, file);
                        if (image == null) continue;
                        if (TryCall((api, cancel) => api.SearchUsersByImageAsync(CollectionId, ImageInput.FromBytes(image.Bytes), threshold, maxUsers, cancel), file, out UserSearchOutcome byImage))
                            Emit(byImage, file);
                    }

                    break;
                case UserIdSet:
                    if (TryCall((api, cancel) => api.SearchUsersAsync(CollectionId, null, UserId, threshold, maxUsers, cancel), UserId, out UserSearchOutcome byUser))
                        Emit(byUser, null);
                    break;
                default:
                    if (TryCall((api, cancel) => api.SearchUsersAsync(CollectionId, FaceId, null, threshold, maxUsers, cancel), FaceId, out UserSearchOutcome byFace))
                        Emit(byFace, null);
                    break;
            }
        }

        private void Emit(UserSearchOutcome outcome, string imagePath)
        {
            string searched = imagePath != null ? $"image '{imagePath}'" : FaceId != null ? $"face {FaceId}" : $"user '{UserId}'";
            WriteVerbose($"Searched {searched} in collection '{CollectionId}': {outcome.Matches.Count} user(s) matched; request id {outcome.RequestId ?? "none"}.");
            foreach (UserMatchRecord match in outcome.Matches)
                WriteObject(new UserMatch
                {
                    CollectionId = CollectionId,
                    UserId = match.UserId,
                    UserStatus = match.UserStatus,
                    Similarity = match.Similarity,
                    SearchedFaceId = ParameterSetName == FaceIdSet ? outcome.SearchedFaceId ?? FaceId : null,
                    SearchedUserId = ParameterSetName == UserIdSet ? outcome.SearchedUserId ?? UserId : null,
                    SearchedImagePath = imagePath,
                });
        }
    }
}
