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
        // The rules of the three ID parameters are checked by FaceStreamCmdlet (AcceptRecord, CheckArgument), not by
        // validation attributes: see AcceptRecord for why.
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [AllowNull, AllowEmptyString]
        [ArgumentCompleter(typeof(CollectionIdCompleter))]
        public string CollectionId { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [AllowNull, AllowEmptyString]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public string UserId { get; set; }

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FaceIds")]
        [TrimmedString]
        [AllowNull, AllowEmptyString, AllowEmptyCollection]
        public string[] FaceId { get; set; }

        [Parameter]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.ClientRequestToken))]
        public string ClientRequestToken { get; set; }

        protected override string BaseClientRequestToken => ClientRequestToken;

        protected override void BeginProcessing()
        {
            CheckArgument(nameof(CollectionId), FieldRules.CollectionId, new[] { CollectionId });
            CheckArgument(nameof(UserId), FieldRules.UserId, new[] { UserId });
            CheckArgument(nameof(FaceId), FieldRules.FaceId, FaceId);
            base.BeginProcessing();
        }

        protected override void ProcessRecord()
        {
            Enqueue(CollectionId, UserId, hasUser: true, FaceId);
        }

        /// <summary>The user a refused face belongs to, when that is not the user it was sent for.</summary>
        protected static string OwnerOf(in FaceVerdict verdict, FaceBatch batch) =>
            verdict.Refusal?.UserId != null && verdict.Refusal.UserId != batch.UserId ? verdict.Refusal.UserId : null;
    }
}
