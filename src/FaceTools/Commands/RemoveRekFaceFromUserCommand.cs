using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FaceTools.Engine.Batching;
using FaceTools.Engine.Operations;

namespace FaceTools.Commands
{
    /// <summary>Removes faces from a user of a collection (DisassociateFaces).</summary>
    [Cmdlet(VerbsCommon.Remove, "RekFaceFromUser", DefaultParameterSetName = FaceIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FaceDisassociationResult))]
    public sealed class RemoveRekFaceFromUserCommand : FaceBatchCmdlet
    {
        protected override string ActionDescription => "Disassociate faces from user";
        protected override string SucceededDescription => "disassociated";

        protected override Task<FaceBatchOutcome> SendAsync(RekognitionApi api, FaceBatch batch, CancellationToken cancellationToken) =>
            api.DisassociateFacesAsync(batch.CollectionId, batch.UserId, batch.FaceIds, batch.ClientRequestToken, cancellationToken);

        protected override object ResultFor(FaceBatch batch, FaceBatchOutcome outcome, in FaceVerdict verdict) =>
            new FaceDisassociationResult
            {
                CollectionId = batch.CollectionId,
                UserId = batch.UserId,
                FaceId = verdict.FaceId,
                Status = verdict.Kind == FaceVerdictKind.Succeeded ? FaceDisassociationStatus.Disassociated
                    : verdict.Kind == FaceVerdictKind.Refused ? FaceDisassociationStatus.Unsuccessful
                    : FaceDisassociationStatus.NotAssociated,
                Reasons = verdict.ReasonsArray(),
                OwnerUserId = OwnerOf(verdict, batch),
                UserStatus = outcome.UserStatus,
            };
    }
}
