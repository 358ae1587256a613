using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FaceTools.Engine.Batching;
using FaceTools.Engine.Operations;
using FaceTools.Engine.Protocol;

namespace FaceTools.Commands
{
    /// <summary>
    /// Deletes faces from a collection (DeleteFaces), streamed from the pipeline in batches of up to 4,096 per
    /// collection. A face associated with a user is not deleted: the service asks for it to be removed from the user first.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "RekFaceFromCollection", DefaultParameterSetName = FaceIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FaceDeletionResult))]
    public sealed class RemoveRekFaceFromCollectionCommand : FaceStreamCmdlet
    {
        private const string AssociatedToUser = "ASSOCIATED_TO_AN_EXISTING_USER";
        private int _heldByUsers;

        protected override int BatchSize => FieldRules.MaxFaceIdsPerDeleteRequest;
        protected override string ActionDescription => "Delete faces from collection";
        protected override string SucceededDescription => "deleted";

        protected override void EndProcessing()
        {
            base.EndProcessing();
            if (_heldByUsers > 0)
                WriteWarning($"{_heldByUsers} face(s) were not deleted because they are associated with users. Remove them from their users first " +
                             "with Remove-RekFaceFromUser (each result's UserId names the user, and the results can be piped to it), then delete them again.");
        }

        protected override Task<FaceBatchOutcome> SendAsync(RekognitionApi api, FaceBatch batch, CancellationToken cancellationToken) =>
            api.DeleteFacesAsync(batch.CollectionId, batch.FaceIds, cancellationToken);

        protected override object ResultFor(FaceBatch batch, FaceBatchOutcome outcome, in FaceVerdict verdict)
        {
            string[] reasons = verdict.ReasonsArray();
            string owner = verdict.Refusal?.UserId;
            bool held = reasons.Contains(AssociatedToUser);
            if (held) _heldByUsers++;
            return new FaceDeletionResult
            {
                CollectionId = batch.CollectionId,
                FaceId = verdict.FaceId,
                // A face in neither of the service's lists was not deleted either.
                Status = verdict.Kind == FaceVerdictKind.Succeeded ? FaceDeletionStatus.Deleted : FaceDeletionStatus.Unsuccessful,
                Reasons = reasons,
                UserId = owner,
                Hint = HintFor(verdict, held, owner, batch.CollectionId),
            };
        }

        private static string HintFor(in FaceVerdict verdict, bool held, string owner, string collectionId)
        {
            if (held)
                return owner != null
                    ? $"Remove it from user '{owner}' first: Remove-RekFaceFromUser -CollectionId {collectionId} -UserId {owner} -FaceId {verdict.FaceId}"
                    : "Remove it from its user first with Remove-RekFaceFromUser.";
            if (verdict.Kind == FaceVerdictKind.Ignored)
                return "The service reported neither a deletion nor a reason for this face.";
            return null;
        }
    }
}
