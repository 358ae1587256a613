using System.Management.Automation;
using FaceTools.Engine.Batching;
using FaceTools.Engine.Protocol;
using FaceTools.Completion;
using FaceTools.Validation;

namespace FaceTools.Commands
{
    /// <summary>Deletes users from a collection (DeleteUser); their faces stay in the collection, unassociated.</summary>
    [Cmdlet(VerbsLifecycle.Unregister, "RekUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class UnregisterRekUserCommand : RekognitionCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.CollectionId))]
        [ArgumentCompleter(typeof(CollectionIdCompleter))]
        public string CollectionId { get; set; }

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.UserId))]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public string[] UserId { get; set; }

        [Parameter]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.ClientRequestToken))]
        public string ClientRequestToken { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string userId in UserId)
            {
                // Faces piped in may name one user many times: delete it once.
                if (!FirstTime(FaceBatch.UserKeyOf(CollectionId, userId), $"User '{userId}' in collection '{CollectionId}'", "deleted")) continue;
                if (!ConfirmTarget(Force, $"user '{userId}' in collection '{CollectionId}'", "Delete user")) continue;
                string token = BatchTokens.ForBatch(ClientRequestToken, CollectionId, userId, 0);
                if (TryCall((api, cancel) => api.DeleteUserAsync(CollectionId, userId, token, cancel), userId, out string requestId))
                    WriteVerbose($"Deleted user '{userId}' from collection '{CollectionId}'; request id {requestId}.");
            }
        }
    }
}
