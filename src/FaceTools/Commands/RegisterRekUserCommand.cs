using System;
using System.Management.Automation;
using FaceTools.Engine.Batching;
using FaceTools.Engine.Client;
using FaceTools.Engine.Protocol;
using FaceTools.Completion;
using FaceTools.Validation;

namespace FaceTools.Commands
{
    /// <summary>Creates users in a collection (CreateUser).</summary>
    [Cmdlet(VerbsLifecycle.Register, "RekUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(RekUser))]
    public sealed class RegisterRekUserCommand : RekognitionCmdlet
    {
        /// <summary>The status the service gives a user that has no faces yet.</summary>
        private const string NewUserStatus = "CREATED";

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.CollectionId))]
        [ArgumentCompleter(typeof(CollectionIdCompleter))]
        public string CollectionId { get; set; }

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.UserId))]
        public string[] UserId { get; set; }

        /// <summary>Makes reruns safe: each user's token is derived from it (see about_FaceTools).</summary>
        [Parameter]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.ClientRequestToken))]
        public string ClientRequestToken { get; set; }

        // CreateUser answers ConflictException for a user ID the collection has already, and also when a change to the
        // user (a deletion just before, say) is still under way: only the message tells them apart.
        private static bool UserExists(RekognitionException exception) =>
            exception.ErrorCode == "ConflictException" && exception.Message.IndexOf("already exists", StringComparison.OrdinalIgnoreCase) >= 0;

        protected override ErrorCategory CategoryFor(RekognitionException exception) =>
            UserExists(exception) ? ErrorCategory.ResourceExists : base.CategoryFor(exception);

        protected override string RecommendedActionFor(RekognitionException exception) =>
            UserExists(exception)
                ? $"Use the existing user (Get-RekUser -CollectionId '{CollectionId}' shows the collection's users), or choose another user ID."
                : base.RecommendedActionFor(exception);

        protected override void ProcessRecord()
        {
            foreach (string userId in UserId)
            {
                if (!FirstTime(FaceBatch.UserKeyOf(CollectionId, userId), $"User '{userId}' in collection '{CollectionId}'", "created")) continue;
                if (!ShouldProcess($"user '{userId}' in collection '{CollectionId}'", "Create user")) continue;
                string token = BatchTokens.ForBatch(ClientRequestToken, CollectionId, userId, 0);
                if (TryCall((api, cancel) => api.CreateUserAsync(CollectionId, userId, token, cancel), userId, out string requestId))
                {
                    WriteVerbose($"Created user '{userId}' in collection '{CollectionId}'; request id {requestId}.");
                    WriteObject(new RekUser { CollectionId = CollectionId, UserId = userId, UserStatus = NewUserStatus });
                }
            }
        }
    }
}
