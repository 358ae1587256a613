using System.Management.Automation;
using FaceTools.Engine.Batching;
using FaceTools.Engine.Operations;
using FaceTools.Engine.Protocol;
using FaceTools.Completion;
using FaceTools.Validation;

namespace FaceTools.Commands
{
    /// <summary>
    /// The streaming batch cmdlet behind Add-RekFaceToUser and Remove-RekFaceFromUser: face IDs from the pipeline
    /// are batched 100 per (collection, user) by <see cref="FaceStreamCmdlet"/>, with batch tokens derived from
    /// -ClientRequestToken.
    /// </summary>
    public abstract class FaceBatchCmdlet : FaceStreamCmdlet
    {
        // Checked by FaceStreamCmdlet (AcceptRecord, CheckArgument), not by validation attributes: see AcceptRecord for why.
        // Given with -InputObject, it names the user of every piped object; otherwise each object's UserId property does.
        [Parameter(Mandatory = true, ParameterSetName = FaceIdSet)]
        [Parameter(ParameterSetName = InputObjectSet)]
        [TrimmedString]
        [AllowNull, AllowEmptyString]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public string UserId { get; set; }

        [Parameter]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.ClientRequestToken))]
        public string ClientRequestToken { get; set; }

        protected override string BaseClientRequestToken => ClientRequestToken;

        protected override void BeginProcessing()
        {
            CheckArgument(nameof(UserId), FieldRules.UserId, new[] { UserId });
            base.BeginProcessing();
        }

        protected override bool HasUser => true;
        protected override string UserIdArgument => UserId;

        /// <summary>The user a refused face belongs to, when that is not the user it was sent for.</summary>
        protected static string OwnerOf(in FaceVerdict verdict, FaceBatch batch) =>
            verdict.Refusal?.UserId != null && verdict.Refusal.UserId != batch.UserId ? verdict.Refusal.UserId : null;
    }
}
