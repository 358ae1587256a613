using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FaceTools.Engine.Batching;
using FaceTools.Engine.Operations;

namespace FaceTools.Commands
{
    /// <summary>Removes faces from a user of a collection (DisassociateFaces).</summary>
    [Cmdlet(VerbsCommon.Remove, "RekFaceFromUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FaceDisassociationResult))]
    public sealed class RemoveRekFaceFromUserCommand : FaceBatchCmdlet
    {
        protected override string ActionDescription => "Disassociate faces from user";
        protected override string SucceededDescription => "disassociated";

        protected override Task<FaceBatchOutcome> SendAsync(RekognitionApi api, FaceBatch batch, CancellationToken cancellationToken) =>
            api.DisassociateFacesAsync(batch.CollectionId, batch.UserId, batch.FaceIds, batch.ClientRequestToken, cancellationToken);

        protected override IEnumerable<object> ResultsFor(FaceBatch batch, FaceBatchOutcome outcome)
        {
            var succeeded = new HashSet<string>(outcome.Succeeded);
            var unsuccessful = new Dictionary<string, UnsuccessfulFace>();
            foreach (UnsuccessfulFace face in outcome.Unsuccessful)
                if (face.FaceId != null) unsuccessful[face.FaceId] = face;

            foreach (string faceId in batch.FaceIds)
            {
                var result = new FaceDisassociationResult
                {
                    CollectionId = batch.CollectionId,
                    UserId = batch.UserId,
                    FaceId = faceId,
                    UserStatus = outcome.UserStatus,
                };
                if (succeeded.Contains(faceId))
                {
                    result.Status = FaceDisassociationStatus.Disassociated;
                }
                else if (unsuccessful.TryGetValue(faceId, out UnsuccessfulFace refused))
                {
                    result.Status = FaceDisassociationStatus.Unsuccessful;
                    result.Reasons = refused.Reasons.ToArray();
                    if (refused.UserId != null && refused.UserId != batch.UserId) result.OwnerUserId = refused.UserId;
                }
                else
                {
                    result.Status = FaceDisassociationStatus.NotAssociated;
                }

                yield return result;
            }
        }
    }
}
