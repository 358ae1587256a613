using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FaceTools.Engine.Batching;
using FaceTools.Engine.Operations;

namespace FaceTools.Commands
{
    /// <summary>Associates faces with a user of a collection (AssociateFaces).</summary>
    [Cmdlet(VerbsCommon.Add, "RekFaceToUser", DefaultParameterSetName = FaceIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FaceAssociationResult))]
    public sealed class AddRekFaceToUserCommand : FaceBatchCmdlet
    {
        /// <summary>The minimum confidence (0-100) that a face matches the user's other faces; the service's default is 75.</summary>
        [Parameter]
        [ValidateRange(0.0, 100.0)]
        public float UserMatchThreshold { get; set; }

        // Read once: sends start on other threads, while the pipeline thread binds each piped object (which changes BoundParameters).
        private double? _userMatchThreshold;

        protected override string ActionDescription => "Associate faces with user";
        protected override string SucceededDescription => "associated";

        protected override void BeginProcessing()
        {
            _userMatchThreshold = IfGiven(nameof(UserMatchThreshold), (double)UserMatchThreshold);
            base.BeginProcessing();
        }

        protected override Task<FaceBatchOutcome> SendAsync(RekognitionApi api, FaceBatch batch, CancellationToken cancellationToken) =>
            api.AssociateFacesAsync(batch.CollectionId, batch.UserId, batch.FaceIds, batch.ClientRequestToken, _userMatchThreshold, cancellationToken);

        protected override object ResultFor(FaceBatch batch, FaceBatchOutcome outcome, in FaceVerdict verdict) =>
            new FaceAssociationResult
            {
                CollectionId = batch.CollectionId,
                UserId = batch.UserId,
                FaceId = verdict.FaceId,
                Status = verdict.Kind == FaceVerdictKind.Succeeded ? FaceAssociationStatus.Associated
                    : verdict.Kind == FaceVerdictKind.Refused ? FaceAssociationStatus.Unsuccessful
                    : FaceAssociationStatus.AlreadyAssociated,
                Reasons = verdict.ReasonsArray(),
                OwnerUserId = OwnerOf(verdict, batch),
                Confidence = verdict.Refusal?.Confidence,
                UserStatus = outcome.UserStatus,
            };
    }
}
